import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { describe, expect, test } from 'vitest'

/**
 * The universal entry (`gitlab-fake`) must load in a browser bundle: nothing in the graph of
 * static imports from dist/index.js may name a Node builtin or a Node-only entry of a package.
 * `listen()` reaches the server through `import(serverModule)`, a dynamic import of a variable
 * that bundlers leave alone, so only static `import … from`, `export … from` and `import '…'`
 * count. dist/vitest.js and dist/node/index.js are the Node-only entries, apart from it.
 */

const dist = new URL('../../dist/', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))

/** Packages' entries that run on Node only. */
const NODE_ONLY_ENTRIES = new Set(['msw/node', 'vitest'])

const STATIC_IMPORT =
  /^[ \t]*(?:import|export)\b(?:[^'"`;]*?\bfrom)?[ \t]*(['"])([^'"\n]+)\1|^[ \t]*import[ \t]*(['"])([^'"\n]+)\3/gm

/** The specifiers of a module's static imports and re-exports, in order. */
function staticSpecifiers(source: string): { specifier: string; sideEffectOnly: boolean }[] {
  return [...source.matchAll(STATIC_IMPORT)].map((m) => ({
    specifier: (m[2] ?? m[4]) as string,
    sideEffectOnly: m[4] !== undefined,
  }))
}

function nodeOnly(specifier: string): boolean {
  return (
    specifier.startsWith('node:') ||
    builtinModules.includes(specifier) ||
    NODE_ONLY_ENTRIES.has(specifier) ||
    specifier.startsWith('vitest/')
  )
}

interface Graph {
  /** Files reached, relative to dist/. */
  files: Set<string>
  /** Package specifiers, with a file importing each. */
  packages: Map<string, string>
  /** `import './x.js'`: modules loaded for their side effects alone. */
  sideEffectImports: string[]
}

function walk(entry: string): Graph {
  const graph: Graph = { files: new Set(), packages: new Map(), sideEffectImports: [] }
  const pending = [new URL(entry, dist)]
  for (let url = pending.pop(); url; url = pending.pop()) {
    const name = url.href.slice(dist.href.length)
    if (graph.files.has(name)) continue
    graph.files.add(name)
    for (const { specifier, sideEffectOnly } of staticSpecifiers(readFileSync(url, 'utf8'))) {
      if (sideEffectOnly) graph.sideEffectImports.push(`${name}: ${specifier}`)
      if (specifier.startsWith('.')) pending.push(new URL(specifier, url))
      else if (!graph.packages.has(specifier)) graph.packages.set(specifier, name)
    }
  }
  return graph
}

describe('staticSpecifiers', () => {
  test.each([
    ["import { a } from './a.js';", ['./a.js']],
    ['import x, { a as b } from \'msw\';\nexport { c } from "./c.js";', ['msw', './c.js']],
    ["import {\n    a,\n    b,\n} from './multi.js';", ['./multi.js']],
    ["export * from './all.js';\nexport * as ns from './ns.js';", ['./all.js', './ns.js']],
    ["import * as fs from 'node:fs';", ['node:fs']],
    ["import './polyfill.js';", ['./polyfill.js']],
    ['const { serve } = (await import(/* @vite-ignore */ serverModule));', []],
    ["const m = await import('./lazy.js');\nconst url = import.meta.url;", []],
    ["export const from = 1;\nexport function f() { return 'x'; }", []],
  ])('%j', (source, expected) => {
    expect(staticSpecifiers(source).map((s) => s.specifier)).toEqual(expected)
  })
})

test.each([
  ['fs', true],
  ['node:fs', true],
  ['fs/promises', true],
  ['http', true],
  ['worker_threads', true],
  ['msw/node', true],
  ['vitest', true],
  ['msw', false],
  ['fflate', false],
  ['@faker-js/faker', false],
])('nodeOnly(%j) is %j', (specifier, expected) => {
  expect(nodeOnly(specifier)).toBe(expected)
})

describe('dist/index.js, the universal entry', () => {
  test('package.json names it for "."', () => {
    expect(pkg.exports['.'].default).toBe('./dist/index.js')
    expect(pkg.main).toBe('./dist/index.js')
  })

  const graph = walk('index.js')

  test('reaches no Node builtin and no Node-only entry', () => {
    const offenders = [...graph.packages].filter(([specifier]) => nodeOnly(specifier))
    expect(offenders.map(([specifier, file]) => `${file} imports ${specifier}`)).toEqual([])
    expect(graph.files.size).toBeGreaterThan(30)
    expect(graph.files).toContain('fake.js')
  })

  test('leaves the server behind the dynamic import, and the Node-only entries out', () => {
    const fake = readFileSync(new URL('fake.js', dist), 'utf8')
    expect(fake).toMatch(/const serverModule = '\.\/node\/server\.js'/)
    expect(fake).toMatch(/import\(\/\* @vite-ignore \*\/ serverModule\)/)
    const reached = [...graph.files]
    expect(reached.filter((file) => file.startsWith('node/') || file === 'vitest.js')).toEqual([])
  })

  // From createGitLabFake's module: the entry also re-exports `fixtureSchema` (zod), which only
  // an app that imports it pays for (test/package/bundle.test.ts builds one that does not).
  test('fake.js reaches neither faker, zod nor fflate: seeding, fixture checks and zips load on demand', () => {
    const fakeGraph = walk('fake.js')
    const heavy = [...fakeGraph.packages].filter(([specifier]) =>
      /^(@faker-js\/faker|zod|fflate)(\/|$)/.test(specifier),
    )
    expect(heavy.map(([specifier, file]) => `${file} imports ${specifier}`)).toEqual([])
    for (const file of ['data/seeding.js', 'data/fixture-schema.js', 'domain/archive.js'])
      expect(fakeGraph.files).not.toContain(file)
  })

  test('imports nothing for its side effects alone (package.json says "sideEffects": false)', () => {
    expect(pkg.sideEffects).toBe(false)
    expect(graph.sideEffectImports).toEqual([])
  })
})

describe('the Node-only entries', () => {
  test('dist/index.node.js, the "node" condition of ".": the universal entry, with seeding loaded', () => {
    expect(pkg.exports['.'].node).toBe('./dist/index.node.js')
    const graph = walk('index.node.js')
    expect(graph.files).toContain('index.js')
    expect(graph.files).toContain('data/seeding.js')
    expect(graph.files).toContain('data/fixture-schema.js')
  })

  test('dist/vitest.js: msw/node and vitest, beside the universal graph', () => {
    const graph = walk('vitest.js')
    expect([...graph.packages.keys()].filter(nodeOnly).sort()).toEqual(['msw/node', 'vitest'])
    expect(graph.files).toContain('fake.js')
  })

  test('dist/node/index.js: node:http and its kind, which the universal entry never reaches', () => {
    const graph = walk('node/index.js')
    expect([...graph.packages.keys()].some((specifier) => specifier.startsWith('node:'))).toBe(true)
    expect(pkg.exports['./node'].default).toBe('./dist/node/index.js')
  })
})

/**
 * The declarations an app's type check reads from the universal and browser entries: a browser
 * app without @types/node checks them with `skipLibCheck: false`, so none may name a Node module.
 */
function walkTypes(entry: string): Graph {
  const graph: Graph = { files: new Set(), packages: new Map(), sideEffectImports: [] }
  const pending = [new URL(entry, dist)]
  for (let url = pending.pop(); url; url = pending.pop()) {
    const name = url.href.slice(dist.href.length)
    if (graph.files.has(name)) continue
    graph.files.add(name)
    const source = readFileSync(url, 'utf8')
    const inline = [...source.matchAll(/\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/g)].map((m) => m[2] as string)
    for (const specifier of [...staticSpecifiers(source).map((s) => s.specifier), ...inline]) {
      if (specifier.startsWith('.')) pending.push(new URL(specifier.replace(/\.js$/, '.d.ts'), url))
      else if (!graph.packages.has(specifier)) graph.packages.set(specifier, name)
    }
  }
  return graph
}

describe('the declarations of the universal and browser entries', () => {
  test.each(['index.d.ts', 'browser.d.ts'])(
    '%s names no Node module, directly or through the files it imports',
    (entry) => {
      const graph = walkTypes(entry)
      expect(graph.files).toContain('fake.d.ts')
      const offenders = [...graph.packages].filter(([specifier]) => nodeOnly(specifier))
      expect(offenders.map(([specifier, file]) => `${file} imports ${specifier}`)).toEqual([])
      expect([...graph.files].filter((file) => file.startsWith('node/'))).toEqual([])
    },
  )

  test('dist/node/server.d.ts, which the check walks around, does name node:http', () => {
    expect(walkTypes('node/index.d.ts').packages.has('node:http')).toBe(true)
  })
})

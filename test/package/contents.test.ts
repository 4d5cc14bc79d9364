import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, test } from 'vitest'

/**
 * What `npm pack` would put in the tarball (dist as built): the license, every file the README
 * links to, and source maps that work without the repository. test/package/pack-check.mjs
 * (`npm run test:pack`) installs the real tarball and runs it.
 */

const root = new URL('../../', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'))
let files: Set<string>

beforeAll(async () => {
  // --ignore-scripts: the files as they are; `npm test` has built dist already.
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  })
  const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }]
  files = new Set(packed.files.map((file) => file.path))
})

/** The relative targets of the README's links, inline (`[a](b)`) and by reference (`[a]: b`). */
function relativeLinks(markdown: string): string[] {
  const targets = [
    ...[...markdown.matchAll(/\]\(\s*(?:<([^>\n]*)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)].map(
      (m) => (m[1] ?? m[2]) as string,
    ),
    ...[...markdown.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1] as string),
  ]
  return targets
    .filter((target) => !/^(?:[a-z][a-z0-9+.-]*:|#|\/\/)/i.test(target))
    .map((target) => decodeURI(target.replace(/[#?].*$/, '').replace(/^\.\//, '')))
}

describe('relativeLinks', () => {
  test('keeps relative files, drops URLs and anchors', () => {
    const markdown = [
      '[a](docs/a.md) [b](./b.md#part) [c](https://mswjs.io) [d](#faults) [e](mailto:x@example.com)',
      '[f](<docs/with space.md> "title") ![g](img/g.png)',
      '[ref]: test/contract/drift.md',
      '  [web]: https://gitlab.com',
    ].join('\n')
    expect(relativeLinks(markdown)).toEqual([
      'docs/a.md',
      'b.md',
      'docs/with space.md',
      'img/g.png',
      'test/contract/drift.md',
    ])
  })
})

describe('the tarball', () => {
  test('holds the MIT license that package.json names', () => {
    expect(pkg.license).toBe('MIT')
    expect(files).toContain('LICENSE')
    const license = readFileSync(new URL('LICENSE', root), 'utf8')
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} gitlab-fake contributors\n/)
  })

  test('holds every file the README links to', () => {
    const links = relativeLinks(readFileSync(new URL('README.md', root), 'utf8'))
    expect(links.length).toBeGreaterThan(0)
    expect(links.filter((link) => !files.has(link))).toEqual([])
  })

  test('holds what package.json points at: main, types, exports, bin', () => {
    const targets = [
      pkg.main,
      pkg.types,
      ...Object.values(pkg.exports as Record<string, string | Record<string, string>>).flatMap((target) =>
        typeof target === 'string' ? [target] : Object.values(target),
      ),
      ...Object.values(pkg.bin as Record<string, string>),
    ].map((target: string) => target.replace(/^\.\//, ''))
    expect(targets.filter((target) => !files.has(target))).toEqual([])
  })

  test('source maps carry their sources; no declaration maps point at unshipped src', () => {
    const maps = [...files].filter((file) => file.endsWith('.map'))
    expect(maps.length).toBeGreaterThan(30)
    const broken: string[] = []
    for (const file of maps) {
      const map = JSON.parse(readFileSync(new URL(file, root), 'utf8')) as {
        sources: string[]
        sourcesContent?: (string | null)[]
      }
      map.sources.forEach((source, i) => {
        const shipped = files.has(new URL(source, new URL(file, 'pkg:/')).pathname.slice(1))
        if (!shipped && typeof map.sourcesContent?.[i] !== 'string') broken.push(`${file}: ${source}`)
      })
    }
    expect(broken).toEqual([])
  })

  test('each built module names a source map that ships', () => {
    const missing = [...files]
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) => {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(new URL(file, root), 'utf8'))?.[1]
        const map = url && new URL(url, new URL(file, 'pkg:/')).pathname.slice(1)
        return map && !files.has(map) ? [`${file} -> ${map}`] : []
      })
    expect(missing).toEqual([])
  })

  test("ships the fake's own page: dist/page with what its index names and msw's worker", () => {
    expect(files).toContain('dist/page/index.html')
    expect(files).toContain('dist/page/mockServiceWorker.js')
    const page = [...files].filter((file) => file.startsWith('dist/page/'))
    const texts = page.map((file) => readFileSync(new URL(file, root), 'utf8')).join('\n')
    // Every asset is named by the page or by another asset (vite empties dist/page on each build).
    const unnamed = page.filter(
      (file) =>
        file.startsWith('dist/page/assets/') && !texts.includes(file.slice('dist/page/assets/'.length)),
    )
    expect(unnamed).toEqual([])
    const named = [...texts.matchAll(/(?:\.\/|")(assets\/[\w.-]+\.(?:js|css))/g)].map(
      (m) => `dist/page/${m[1]}`,
    )
    expect(named.filter((file) => !files.has(file))).toEqual([])
  })

  test('ships nothing in dist that no source builds (a stale build: remove dist and build again)', () => {
    const stale = [...files].filter(
      (file) =>
        file.startsWith('dist/') &&
        // The page's build (vite.page.config.ts) has names of its own; the test above checks it.
        !file.startsWith('dist/page/') &&
        !existsSync(
          new URL(file.replace(/^dist\//, 'src/').replace(/(?:\.d\.ts|\.js|\.js\.map)$/, '.ts'), root),
        ),
    )
    expect(stale).toEqual([])
  })

  test('ships no tests, benchmarks or sources beyond the drift tables', () => {
    const outside = [...files].filter((file) => /^(?:src|bench|test)\//.test(file))
    expect(outside.sort()).toEqual(['test/contract/drift-latest.md', 'test/contract/drift.md'])
  })
})

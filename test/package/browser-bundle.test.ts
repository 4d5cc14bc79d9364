import { builtinModules } from 'node:module'
import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'

/**
 * Nothing Node-only reaches a browser bundle: the browser entry (`gitlab-fake/browser`) and the
 * universal one (`gitlab-fake`) are bundled by Vite (Rolldown) for the browser, as an app's
 * production build bundles them, and every module the bundler resolves is checked. A `node:`
 * import or a Node builtin anywhere in the graph, or msw's Node entry, fails the build.
 * (universal-entry.test.ts walks the static imports of dist/index.js; this is the real bundler.)
 */

const root = resolve(import.meta.dirname, '../..')

function nodeOnly(specifier: string): boolean {
  return (
    specifier.startsWith('node:') ||
    builtinModules.includes(specifier) ||
    builtinModules.includes(specifier.split('/')[0] as string) ||
    specifier === 'msw/node' ||
    specifier === 'vitest' ||
    specifier.startsWith('vitest/')
  )
}

/** Bundles `entry` for the browser; answers the Node-only imports met (with their importer) and the bundle's modules. */
async function bundle(entry: string): Promise<{ offenders: string[]; modules: string[]; code: string }> {
  const { build } = await import('vite')
  const offenders: string[] = []
  const result = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    mode: 'production',
    plugins: [
      {
        name: 'no-node-in-the-browser',
        enforce: 'pre',
        resolveId(source, importer) {
          if (nodeOnly(source))
            offenders.push(`${importer?.slice(root.length + 1) ?? '(entry)'} imports ${source}`)
          return null
        },
      },
    ],
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      reportCompressedSize: false,
      lib: { entry, formats: ['es'], fileName: 'bundle' },
      rolldownOptions: { external: [] },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) =>
    'output' in r ? r.output : [],
  ) as { type: string; code?: string; moduleIds?: string[]; modules?: Record<string, unknown> }[]
  const chunks = outputs.filter((o) => o.type === 'chunk')
  const modules = chunks.flatMap((c) => c.moduleIds ?? Object.keys(c.modules ?? {}))
  return { offenders, modules, code: chunks.map((c) => c.code ?? '').join('\n') }
}

describe('bundled for the browser by Vite', () => {
  test('gitlab-fake/browser: msw/browser and the fake, and nothing of Node', async () => {
    const { offenders, modules, code } = await bundle(join(root, 'dist/browser.js'))
    expect(offenders).toEqual([])
    const ours = modules
      .filter((id) => id.startsWith(join(root, 'dist')))
      .map((id) => id.slice(root.length + 1))
    expect(ours).toContain('dist/browser.js')
    expect(ours).toContain('dist/fake.js')
    expect(ours.filter((id) => id.startsWith('dist/node/') || id === 'dist/vitest.js')).toEqual([])
    expect(modules.some((id) => id.includes('/msw/lib/browser/'))).toBe(true)
    expect(code).not.toMatch(/from ["']node:/)
  }, 60_000)

  test('gitlab-fake, the universal entry, too', async () => {
    const { offenders, modules } = await bundle(join(root, 'dist/index.js'))
    expect(offenders).toEqual([])
    expect(modules.some((id) => id.endsWith('dist/fake.js'))).toBe(true)
  }, 60_000)

  test('the check fails a module that reaches Node', async () => {
    const { offenders } = await bundle(join(root, 'dist/node/index.js'))
    expect(offenders.some((line) => / imports node:/.test(line))).toBe(true)
  }, 60_000)
})

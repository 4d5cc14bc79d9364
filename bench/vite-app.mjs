// A production Vite build of the smallest app that uses the package in a browser: it starts the
// default fake under msw's setupWorker, and nothing else. Built beside the same app with msw
// alone, so that what the package adds can be measured (bench/bundle.mjs) and checked
// (test/package/bundle.test.ts).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'

const repo = new URL('..', import.meta.url).pathname

/** The apps' scripts. Each records, in `window.__timing`, when its code ran and what it took. */
const MAIN = {
  fake: `import { setupWorker } from 'msw/browser'
import { createGitLabFake } from 'gitlab-fake'

const loaded = performance.now()
const gitlab = createGitLabFake()
const created = performance.now()
await setupWorker(...gitlab.handlers).start({ quiet: true })
const response = await fetch(\`\${gitlab.apiUrl}/projects/1/jobs/8\`, { headers: { 'PRIVATE-TOKEN': 'root-token' } })
window.__timing = { loaded, created, status: response.status, name: (await response.json()).name }
`,
  // No worker: the fake's seeding on demand, driven from the test (test/browser/seeding.test.ts).
  seeding: `import { createGitLabFake, loadSeeding } from 'gitlab-fake'

window.__app = { createGitLabFake, loadSeeding }
window.__timing = {}
`,
  msw: `import { setupWorker } from 'msw/browser'

const loaded = performance.now()
await setupWorker().start({ quiet: true })
window.__timing = { loaded, created: loaded }
`,
}

// The page notes when it began, before the module script is fetched and run.
const HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>app</title>
<script>window.__start = performance.now()</script>
<script type="module" src="./main.js"></script>
</head><body></body></html>
`

/**
 * Builds the app `kind` ('fake', 'msw', or 'seeding') with Vite's JS API, in production mode, into a
 * temporary directory under test-output/. Answers its files, the initial chunk (the entry and
 * what it imports statically) and every JavaScript chunk, each with its minified and gzip bytes.
 * The package is taken from dist/ (run `npm run build` first).
 */
export async function buildApp(kind) {
  const { build } = await import('vite')
  mkdirSync(join(repo, 'test-output'), { recursive: true })
  const dir = mkdtempSync(join(repo, 'test-output', `vite-app-${kind}-`))
  writeFileSync(join(dir, 'index.html'), HTML)
  writeFileSync(join(dir, 'main.js'), MAIN[kind])
  const outDir = join(dir, 'dist')
  const result = await build({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    mode: 'production',
    resolve: { alias: [{ find: /^gitlab-fake$/, replacement: join(repo, 'dist/index.js') }] },
    build: { outDir, emptyOutDir: true, reportCompressedSize: false, target: 'es2022' },
  })
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output)
  const chunks = outputs.filter((o) => o.type === 'chunk')
  const entry = chunks.find((c) => c.isEntry)
  if (!entry) throw new Error('no entry chunk')
  const byName = new Map(chunks.map((c) => [c.fileName, c]))
  const initialNames = new Set()
  const pending = [entry.fileName]
  for (let name = pending.pop(); name; name = pending.pop()) {
    if (initialNames.has(name)) continue
    initialNames.add(name)
    pending.push(...(byName.get(name)?.imports ?? []))
  }
  const size = (list) =>
    list.reduce(
      (sum, c) => {
        const bytes = Buffer.from(c.code)
        return { min: sum.min + bytes.length, gzip: sum.gzip + gzipSync(bytes).length }
      },
      { min: 0, gzip: 0 },
    )
  const initial = chunks.filter((c) => initialNames.has(c.fileName))
  // The service worker msw asks for, as `npx msw init` would put it.
  copyFileSync(join(repo, 'node_modules/msw/lib/mockServiceWorker.js'), join(outDir, 'mockServiceWorker.js'))
  return {
    dir,
    outDir,
    initial: { ...size(initial), chunks: initial },
    total: { ...size(chunks), chunks },
    /** The ids of the modules in the initial chunks, relative to the repository. */
    initialModules: initial.flatMap((c) => Object.keys(c.modules).map((id) => relative(repo, id))),
    /** The ids of the modules in every chunk. */
    allModules: chunks.flatMap((c) => Object.keys(c.modules).map((id) => relative(repo, id))),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** A static server for a built app (loopback, a free port); `close()` stops it. */
export async function serveApp(outDir) {
  const { createServer } = await import('node:http')
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file = join(outDir, path === '/' ? 'index.html' : path)
    try {
      const body = readFileSync(file)
      res.setHeader('content-type', types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream')
      res.end(body)
    } catch {
      res.statusCode = 404
      res.end()
    }
  })
  await new Promise((done) => server.listen(0, '127.0.0.1', done))
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((d) => server.close(d)),
  }
}

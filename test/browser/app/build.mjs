// Builds the app in this folder as `vite build` does, with msw's worker script in its public dir as
// `npx msw init public` puts it there, and serves the build as `vite preview` would. Used by
// test/browser/worker-app.test.ts and bench/worker-download-child.mjs.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { extname, join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../../..')
const appDir = import.meta.dirname

/**
 * Builds the app into `outDir` (under test-output/ by default) for `mode` ('production', as
 * `vite build`, or 'development'); answers the folder.
 */
export async function buildApp(outDir = join(root, 'test-output/worker-app'), mode = 'production') {
  const { build } = await import('vite')
  const publicDir = `${outDir}-public`
  rmSync(publicDir, { recursive: true, force: true })
  mkdirSync(publicDir, { recursive: true })
  // What `npx msw init public` copies: the worker script of the msw installed (or of the one
  // MSW_PACKAGE names, a folder holding another version of msw, whose modules the app then takes).
  const other = process.env.MSW_PACKAGE
  const msw = other
    ? join(other, 'lib/mockServiceWorker.js')
    : createRequire(import.meta.url).resolve('msw/mockServiceWorker.js')
  copyFileSync(msw, join(publicDir, 'mockServiceWorker.js'))
  const alias = [{ find: /^gitlab-fake\/browser$/, replacement: join(root, 'dist/browser.js') }]
  if (other)
    alias.push(
      { find: /^msw$/, replacement: join(other, 'lib/core/index.js') },
      { find: /^msw\/browser$/, replacement: join(other, 'lib/browser/index.js') },
    )
  // As `vite build` runs (vitest sets NODE_ENV to "test", which Vite would build in).
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = mode
  try {
    await build({
      root: appDir,
      configFile: false,
      mode,
      logLevel: 'error',
      publicDir,
      // The package's browser entry as an app installs it, built (npm run test:browser builds first).
      resolve: { alias },
      build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
    })
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
  return outDir
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
}

/** Serves `dir` on a loopback port; answers the server and its URL. */
export function serveApp(dir) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file = join(dir, path === '/' ? 'index.html' : path)
    try {
      const body = readFileSync(file)
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
      res.end(body)
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${server.address().port}/` })),
  )
}

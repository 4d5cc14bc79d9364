// What the package adds to a browser app: a production Vite build of an app that only starts the
// default fake under setupWorker, against the same app with msw alone (bytes, minified and gzip);
// and, in Chromium, the time its code takes to run and `createGitLabFake()` takes, over several
// page loads. Prints one JSON line. Needs dist/ (npm run build) and /usr/bin/chromium.
import { existsSync } from 'node:fs'
import { CHROMIUM, FLAGS } from '../test/support/chromium-flags.mjs'
import { buildApp, serveApp } from './vite-app.mjs'

const LOADS = Number(process.env.BENCH_PAGE_LOADS ?? 9)

const fake = await buildApp('fake')
const msw = await buildApp('msw')
const sizes = {}
for (const [key, app] of [
  ['fake', fake],
  ['msw', msw],
]) {
  sizes[key] = {
    initial: { min: app.initial.min, gzip: app.initial.gzip },
    total: { min: app.total.min, gzip: app.total.gzip },
    chunks: app.total.chunks.length,
  }
}

let timing = null
if (existsSync(CHROMIUM)) {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS })
  try {
    timing = { fake: [], msw: [] }
    for (const [key, app] of [
      ['fake', fake],
      ['msw', msw],
    ]) {
      const server = await serveApp(app.outDir)
      try {
        for (let i = 0; i < LOADS; i++) {
          // A fresh context each time: nothing cached, no service worker left from the last load.
          const context = await browser.newContext()
          const page = await context.newPage()
          await page.goto(server.url)
          await page.waitForFunction(() => window.__timing !== undefined, undefined, { timeout: 30_000 })
          const t = await page.evaluate(() => {
            const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.js'))
            return { ...window.__timing, start: window.__start, scriptEnd: script?.responseEnd ?? 0 }
          })
          if (key === 'fake' && t.status !== 200) throw new Error(`the fake answered ${t.status}`)
          timing[key].push({
            // From the script's last byte to the app's code: parsing and running its imports.
            evaluateMs: t.loaded - t.scriptEnd,
            createMs: t.created - t.loaded,
          })
          await context.close()
        }
      } finally {
        await server.close()
      }
    }
  } finally {
    await browser.close()
  }
}
fake.remove()
msw.remove()
console.log(JSON.stringify({ sizes, timing }))

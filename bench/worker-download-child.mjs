// A 20 MB archive downloaded in Chromium through msw's setupWorker (the Vite app of
// test/browser/app, built for production), against gitlab.handle() in the same page and against
// msw's own handler answering a prepared Response of the same bytes through the same worker.
// Alternated, RUNS of each after one to warm up. Prints one JSON line (null without chromium).
// Needs dist/ (npm run build).
import { existsSync } from 'node:fs'
import { buildApp, serveApp } from '../test/browser/app/build.mjs'
import { CHROMIUM, FLAGS } from '../test/support/chromium-flags.mjs'

const RUNS = Number(process.env.BENCH_DOWNLOAD_RUNS ?? 9)

if (!existsSync(CHROMIUM)) {
  console.log('null')
  process.exit(0)
}
const { server, url } = await serveApp(
  await buildApp(new URL('../test-output/bench-worker-app', import.meta.url).pathname),
)
const { chromium } = await import('playwright-core')
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS })
try {
  const page = await browser.newPage()
  await page.goto(url)
  await page.waitForSelector('body[data-ready="true"]')
  const out = await page.evaluate(async (runs) => {
    const { app } = window
    const id = await app.seedArchive(20)
    const plainUrl = app.baseline(id)
    const worker = []
    const handle = []
    const plain = []
    for (let i = -1; i < runs; i++) {
      const w = await app.download(id)
      const h = await app.handled(id)
      const p = await app.fetched(plainUrl)
      if (w.sha256 !== h.sha256 || w.size !== p.size) throw new Error('the downloads differ')
      if (i < 0) continue
      worker.push(w.ms)
      handle.push(h.ms)
      plain.push(p.ms)
    }
    return { mb: (await app.handled(id)).size / 2 ** 20, worker, handle, plain }
  }, RUNS)
  console.log(JSON.stringify(out))
} finally {
  await browser.close()
  server.close()
}

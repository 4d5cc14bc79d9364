// npm run bench: every figure a ratio (or a time) measured in this run, repeated, as a median
// with its spread. Not part of npm test. Writes one table.
import { spawn } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { child, median, spread } from './lib.mjs'

const rows = []
const fmt = (x, digits = 2) => x.toFixed(digits)
/** A row from repeated measurements: their median, their spread, and whether `ok` holds at the median. */
function measured(what, against, target, values, ok, unit) {
  row(what, against, target, median(values), spread(values), ok(median(values)), unit)
}

/** Runs a bench child `n` times, each in a fresh process. */
async function children(file, n) {
  const out = []
  for (let i = 0; i < n; i++) out.push(await child(new URL(file, import.meta.url).pathname))
  return out
}

function row(what, against, target, value, range, met, unit = '×') {
  rows.push({
    what,
    against,
    target,
    value: `${fmt(value)}${unit}`,
    spread: range ? `${fmt(range[0])}–${fmt(range[1])}` : '',
    met: target === '—' ? '—' : met ? 'yes' : 'NO',
  })
}

// 1. In-process, through setupServer and fetch.
process.stderr.write('in-process…\n')
const inproc = await child(new URL('./inprocess.mjs', import.meta.url).pathname)
for (const [key, what, against, limit] of [
  [
    'page-vs-constant',
    'in-process `GET /projects/:id/jobs?per_page=100`, 100,000 jobs',
    'msw handler answering the same bytes',
    1.3,
  ],
  [
    'one-vs-constant',
    'in-process `GET /projects/:id/jobs/:job_id`, 100,000 jobs',
    'msw handler answering the same bytes',
    1.2,
  ],
  ['page-flat', 'the page of 100 at 100,000 jobs', 'the same at 100 jobs', 1.2],
  ['one-flat', 'one job at 100,000 jobs', 'the same at 100 jobs', 1.2],
]) {
  const { median: m, spread: range } = inproc[key]
  row(what, against, `≤ ${limit}×`, m, range, m <= limit)
}

// 2. The standalone server under autocannon, each server pinned to core 0, the load to core 1.
//    Requests/s is the target's measure; CPU time per request (read from the server process) is
//    reported beside it, as it holds better on a noisy machine.
async function serverLoad(mode, path, seconds) {
  const p = spawn(
    'taskset',
    ['-c', '0', process.execPath, new URL('./server-child.mjs', import.meta.url).pathname, mode, path],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  )
  const url = await new Promise((resolve) => p.stdout.once('data', (d) => resolve(JSON.parse(String(d)).url)))
  const cpu = () =>
    new Promise((resolve) => {
      p.once('message', (m) => resolve(m.cpuUs))
      p.send('cpu')
    })
  try {
    const before = await cpu()
    const load = await child(
      new URL('./load-child.mjs', import.meta.url).pathname,
      [url + path, String(seconds)],
      { core: 1 },
    )
    const after = await cpu()
    if (load.errors) throw new Error(`${load.errors} errors against ${mode}`)
    return { rps: load.rps, cpuPerRequest: (after - before) / load.total }
  } finally {
    p.kill()
  }
}
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const REPEAT = Number(process.env.BENCH_SERVER_R ?? 5)
for (const [label, path] of [
  [
    'standalone server, `GET` of one job, requests/s (autocannon, 50 connections)',
    '/api/v4/projects/1/jobs/50000',
  ],
  ['standalone server, page of 100 jobs, requests/s', '/api/v4/projects/1/jobs?per_page=100'],
]) {
  process.stderr.write(`${label}…\n`)
  const ratios = []
  const cpuRatios = []
  let last = { rps: 0, cpuPerRequest: 0 }
  for (let r = 0; r < REPEAT; r++) {
    const f = await serverLoad('fake', path, SECONDS)
    const b = await serverLoad('bare', path, SECONDS)
    ratios.push(f.rps / b.rps)
    cpuRatios.push(b.cpuPerRequest / f.cpuPerRequest)
    last = f
  }
  measured(
    `${label} (last: ${Math.round(last.rps)}/s)`,
    'bare node:http server writing the same bytes',
    '≥ 0.5×',
    ratios,
    (m) => m >= 0.5,
    '×',
  )
  measured(
    `the same, as CPU time per request (last: ${Math.round(last.cpuPerRequest)} µs)`,
    'the bare server’s CPU time per request, inverted',
    '≥ 0.5×',
    cpuRatios,
    (m) => m >= 0.5,
    '×',
  )
}

// 3. Start-up.
process.stderr.write('start-up…\n')
const starts = await children('./startup-child.mjs', 7)
measured(
  '`createGitLabFake()` with the default dataset, after import',
  '—',
  '≤ 50 ms',
  starts.map((s) => s.createMs),
  (m) => m <= 50,
  ' ms',
)

function timeSpawn(args, untilFirstAnswer) {
  return new Promise((resolve, reject) => {
    const t = performance.now()
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] })
    if (!untilFirstAnswer) {
      p.on('exit', () => resolve(performance.now() - t))
      return
    }
    p.stdout.once('data', async (d) => {
      const url = String(d).split('\n')[0]
      const response = await fetch(`${url}/api/v4/projects/1/jobs/8`, {
        headers: { 'PRIVATE-TOKEN': 'root-token' },
      })
      await response.arrayBuffer()
      const ms = performance.now() - t
      p.kill()
      response.status === 200 ? resolve(ms) : reject(new Error(`status ${response.status}`))
    })
  })
}
const cli = new URL('../dist/node/cli.js', import.meta.url).pathname
const extra = []
for (let i = 0; i < 7; i++) {
  const fake = await timeSpawn([cli, '--port', '0', '--quiet'], true)
  const empty = await timeSpawn(['-e', ''], false)
  extra.push((fake - empty) / 1000)
}
measured(
  '`npx gitlab-fake --port 0` to its first answered request',
  '`node -e` of an empty script',
  '≤ 1 s more',
  extra,
  (m) => m <= 1,
  ' s more',
)

// 4. Seeding.
process.stderr.write('seeding…\n')
const seeds = await children('./seed-child.mjs', 3)
const SEEDING = 'seeding 100,000 jobs in 1,000 pipelines'
measured(
  `${SEEDING}: time`,
  '—',
  '≤ 2 s',
  seeds.map((s) => s.ms / 1000),
  (m) => m <= 2,
  ' s',
)
measured(
  `${SEEDING}: peak resident memory (whole process)`,
  '—',
  '≤ 300 MB',
  seeds.map((s) => s.maxRssMb),
  (m) => m <= 300,
  ' MB',
)

// 5. A large archive.
process.stderr.write('archive…\n')
const archives = await children('./archive-child.mjs', 3)
const [first] = archives
measured(
  `an archive of 1,000 files, ${fmt(first.mb, 0)} MB: build once`,
  '—',
  '≤ 3 s',
  archives.map((a) => a.buildMs / 1000),
  (m) => m <= 3,
  ' s',
)
measured(
  'then one file out of it',
  '—',
  '≤ 5 ms',
  archives.map((a) => a.fileMs),
  (m) => m <= 5,
  ' ms',
)
measured(
  `then ten whole downloads (${fmt(first.archiveMb, 1)} MB each) opened at once: memory they take before being read`,
  '—',
  'streamed, not copied',
  archives.map((a) => a.heldMb),
  (m) => m < 1,
  ' MB',
)

// 6. reset() after one retry: the change log, not the dataset, sets its cost.
process.stderr.write('reset…\n')
const resets = []
for (const jobs of [100_000, 100]) {
  const runs = []
  for (let i = 0; i < 3; i++)
    runs.push(await child(new URL('./reset-child.mjs', import.meta.url).pathname, ['time', String(jobs)]))
  resets.push(runs.map((r) => median(r.ms)))
}
const [resetBig, resetSmall] = resets
measured('`reset()` after one retry, 100,000 jobs', '—', '≤ 2 ms', resetBig, (m) => m <= 2, ' ms')
measured(
  'the same at 100,000 jobs',
  'the same at 100 jobs',
  '≤ 1.2×',
  resetBig.map((big, i) => big / resetSmall[i]),
  (m) => m <= 1.2,
)
const memories = []
for (let i = 0; i < 3; i++)
  memories.push(await child(new URL('./reset-child.mjs', import.meta.url).pathname, ['memory']))
measured(
  'resident memory of a 100,000-job fake after `commitInitial()` and ten retries',
  'the same before `commitInitial()`',
  '≤ 1.2×',
  memories.map((m) => m.afterMb / m.beforeMb),
  (m) => m <= 1.2,
)

// 7. One clock step: the runner's work follows the jobs that change, not the jobs held.
process.stderr.write('clock…\n')
const steps = { big: [], small: [] }
for (let i = 0; i < 3; i++) {
  const run = await child(new URL('./clock-child.mjs', import.meta.url).pathname)
  steps.big.push(median(run.big))
  steps.small.push(median(run.small))
}
measured(
  `one clock step, 100 running jobs each writing a line, 100,000 jobs (last: ${fmt(steps.big.at(-1) * 1000, 0)} µs)`,
  'the same with the 100 jobs alone',
  '≤ 1.2×',
  steps.big.map((big, i) => big / steps.small[i]),
  (m) => m <= 1.2,
)

// 8. The browser bundle: a production Vite build of an app that only starts the default fake
//    under setupWorker, against the same app with msw alone; and the time to createGitLabFake()
//    in Chromium (skipped without /usr/bin/chromium).
process.stderr.write('browser bundle…\n')
const bundle = await child(new URL('./bundle.mjs', import.meta.url).pathname)
const kB = (bytes) => bytes / 1000
const { fake: withFake, msw: mswAlone } = bundle.sizes
const chunksNote = withFake.chunks > 1 ? `, initial chunk (${withFake.chunks} chunks in all)` : ''
row(
  `browser app starting the default fake under setupWorker: bytes added, gzip${chunksNote}`,
  `the same app with msw alone (${fmt(kB(mswAlone.initial.gzip), 1)} kB gzip)`,
  '≤ 60 kB',
  kB(withFake.initial.gzip - mswAlone.initial.gzip),
  null,
  withFake.initial.gzip - mswAlone.initial.gzip <= 60_000,
  ' kB',
)
row(
  `the same, minified${chunksNote}`,
  `msw alone (${fmt(kB(mswAlone.initial.min), 1)} kB)`,
  '—',
  kB(withFake.initial.min - mswAlone.initial.min),
  null,
  true,
  ' kB',
)
if (withFake.chunks > 1)
  row(
    'the same, every chunk (what loads when faker and fixture checks are needed), gzip',
    'msw alone',
    '—',
    kB(withFake.total.gzip - mswAlone.total.gzip),
    null,
    true,
    ' kB',
  )
if (bundle.timing) {
  measured(
    '`createGitLabFake()` in Chromium, default dataset (page loads, median)',
    '—',
    '≤ 15 ms',
    bundle.timing.fake.map((t) => t.createMs),
    (m) => m <= 15,
    ' ms',
  )
  const evaluate = (key) => median(bundle.timing[key].map((t) => t.evaluateMs))
  measured(
    'parsing and running the app’s bundle in Chromium, then `createGitLabFake()`: time added',
    `msw alone (${fmt(evaluate('msw'), 1)} ms)`,
    '—',
    bundle.timing.fake.map((t) => t.evaluateMs + t.createMs - evaluate('msw')),
    () => true,
    ' ms',
  )
}

// 9. A 20 MB archive through setupWorker in Chromium (the Vite app of test/browser/app), against
//    gitlab.handle() in the same page and msw's own handler answering the same bytes (skipped
//    without /usr/bin/chromium).
process.stderr.write('download through the worker…\n')
const download = await child(new URL('./worker-download-child.mjs', import.meta.url).pathname)
if (download) {
  const ratios = (against) => download.worker.map((w, i) => w / against[i])
  measured(
    `a ${fmt(download.mb, 0)} MB archive through setupWorker in Chromium (last: ${fmt(download.worker.at(-1), 0)} ms)`,
    `\`gitlab.handle()\` in the same page (last: ${fmt(download.handle.at(-1), 0)} ms)`,
    '≤ 2×',
    ratios(download.handle),
    (m) => m <= 2,
  )
  measured(
    'the same',
    `msw's own handler answering a prepared Response of the same bytes (last: ${fmt(download.plain.at(-1), 0)} ms)`,
    '≤ 1.2×',
    ratios(download.plain),
    (m) => m <= 1.2,
  )
}

// 10. The latest profile (gitlab.handle() on 100,000 jobs): its page of 100, the jobs_index limiter
//     counting, against 13.0's; and a keyset page at the list's end against the first one.
process.stderr.write('latest profile…\n')
const latest = await child(new URL('./latest-child.mjs', import.meta.url).pathname)
for (const [key, what, against] of [
  [
    'page-latest',
    '`--gitlab latest`: `GET /projects/:id/jobs?per_page=100`, 100,000 jobs, the rate limiter counting',
    'the same under 13.0',
  ],
  [
    'keyset-flat',
    '`--gitlab latest`: the keyset page holding the last 100 of 100,000 jobs',
    'the first keyset page',
  ],
]) {
  const { median: m, spread: range } = latest[key]
  row(what, against, '≤ 1.2×', m, range, m <= 1.2)
}

const cols = ['what', 'against', 'target', 'value', 'spread', 'met']
const head = ['what', 'measured against', 'target', 'median', 'spread', 'met']
console.log(
  `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}\n`,
)
console.log(`| ${head.join(' | ')} |`)
console.log(`|${head.map(() => '---').join('|')}|`)
for (const r of rows) console.log(`| ${cols.map((c) => r[c]).join(' | ')} |`)

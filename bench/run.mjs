// npm run bench: every figure a ratio (or a time) measured in this run, repeated, as a median
// with its spread. Not part of npm test. Writes one table.
import { spawn } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { child, median, spread } from './lib.mjs'

const rows = []
const fmt = (x, digits = 2) => x.toFixed(digits)
function row(what, against, target, value, range, met, unit = '×') {
  rows.push({
    what,
    against,
    target,
    value: `${fmt(value)}${unit}`,
    spread: range ? `${fmt(range[0])}–${fmt(range[1])}` : '',
    met: met ? 'yes' : 'NO',
  })
}

// 1. In-process, through setupServer and fetch.
process.stderr.write('in-process…\n')
const inproc = await child(new URL('./inprocess.mjs', import.meta.url).pathname)
const ip = (k) => inproc[k]
row(
  'in-process `GET /projects/:id/jobs?per_page=100`, 100,000 jobs',
  'msw handler answering the same bytes',
  '≤ 1.3×',
  ip('page-vs-constant').median,
  ip('page-vs-constant').spread,
  ip('page-vs-constant').median <= 1.3,
)
row(
  'in-process `GET /projects/:id/jobs/:job_id`, 100,000 jobs',
  'msw handler answering the same bytes',
  '≤ 1.2×',
  ip('one-vs-constant').median,
  ip('one-vs-constant').spread,
  ip('one-vs-constant').median <= 1.2,
)
row(
  'the page of 100 at 100,000 jobs',
  'the same at 100 jobs',
  '≤ 1.2×',
  ip('page-flat').median,
  ip('page-flat').spread,
  ip('page-flat').median <= 1.2,
)
row(
  'one job at 100,000 jobs',
  'the same at 100 jobs',
  '≤ 1.2×',
  ip('one-flat').median,
  ip('one-flat').spread,
  ip('one-flat').median <= 1.2,
)

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
  row(
    `${label} (last: ${Math.round(last.rps)}/s)`,
    'bare node:http server writing the same bytes',
    '≥ 0.5×',
    median(ratios),
    spread(ratios),
    median(ratios) >= 0.5,
  )
  row(
    `the same, as CPU time per request (last: ${Math.round(last.cpuPerRequest)} µs)`,
    'the bare server’s CPU time per request, inverted',
    '≥ 0.5×',
    median(cpuRatios),
    spread(cpuRatios),
    median(cpuRatios) >= 0.5,
  )
}

// 3. Start-up.
process.stderr.write('start-up…\n')
const starts = []
for (let i = 0; i < 7; i++) starts.push(await child(new URL('./startup-child.mjs', import.meta.url).pathname))
const createMs = starts.map((s) => s.createMs)
row(
  '`createGitLabFake()` with the default dataset, after import',
  '—',
  '≤ 50 ms',
  median(createMs),
  spread(createMs),
  median(createMs) <= 50,
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
row(
  '`npx gitlab-fake --port 0` to its first answered request',
  '`node -e` of an empty script',
  '≤ 1 s more',
  median(extra),
  spread(extra),
  median(extra) <= 1,
  ' s more',
)

// 4. Seeding.
process.stderr.write('seeding…\n')
const seeds = []
for (let i = 0; i < 3; i++) seeds.push(await child(new URL('./seed-child.mjs', import.meta.url).pathname))
const seedS = seeds.map((s) => s.ms / 1000)
const seedMb = seeds.map((s) => s.maxRssMb)
row(
  'seeding 100,000 jobs in 1,000 pipelines: time',
  '—',
  '≤ 2 s',
  median(seedS),
  spread(seedS),
  median(seedS) <= 2,
  ' s',
)
row(
  'seeding 100,000 jobs in 1,000 pipelines: peak resident memory (whole process)',
  '—',
  '≤ 300 MB',
  median(seedMb),
  spread(seedMb),
  median(seedMb) <= 300,
  ' MB',
)

// 5. A large archive.
process.stderr.write('archive…\n')
const archives = []
for (let i = 0; i < 3; i++)
  archives.push(await child(new URL('./archive-child.mjs', import.meta.url).pathname))
const build = archives.map((a) => a.buildMs / 1000)
const file = archives.map((a) => a.fileMs)
const held = archives.map((a) => a.heldMb)
row(
  `an archive of 1,000 files, ${fmt(archives[0].mb, 0)} MB: build once`,
  '—',
  '≤ 3 s',
  median(build),
  spread(build),
  median(build) <= 3,
  ' s',
)
row('then one file out of it', '—', '≤ 5 ms', median(file), spread(file), median(file) <= 5, ' ms')
row(
  `then ten whole downloads (${fmt(archives[0].archiveMb, 1)} MB each) opened at once: memory they take before being read`,
  '—',
  'streamed, not copied',
  median(held),
  spread(held),
  median(held) < 1,
  ' MB',
)

const cols = ['what', 'against', 'target', 'value', 'spread', 'met']
const head = ['what', 'measured against', 'target', 'median', 'spread', 'met']
console.log(
  `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}\n`,
)
console.log(`| ${head.join(' | ')} |`)
console.log(`|${head.map(() => '---').join('|')}|`)
for (const r of rows) console.log(`| ${cols.map((c) => r[c]).join(' | ')} |`)

// The latest profile's costs, through gitlab.handle() on 100,000 jobs: its page of 100 (offset,
// without counts, the jobs_index limiter counting every request) against 13.0's page of 100; and a
// keyset page at the end of the list against the keyset page at its start.
import { createGitLabFake } from '../dist/index.js'
import { alternate, seedJobs } from './lib.mjs'

const N = Number(process.env.BENCH_N ?? 300)
const R = Number(process.env.BENCH_R ?? 9)
const auth = { headers: { 'PRIVATE-TOKEN': 'bench-token' } }

function fake(gitlab) {
  // The limiter counts, but a bench makes far more than 600 requests in a minute of a standing clock.
  const options = gitlab === 'latest' ? { projectJobsApiRateLimit: 1e12 } : {}
  const f = createGitLabFake({
    gitlab,
    dataset: 'empty',
    seed: 1,
    baseUrl: `https://${gitlab}.example.com`,
    ...options,
  })
  seedJobs(f, 100_000)
  return f
}
const old = fake('13.0')
const latest = fake('latest')

async function once(f, path) {
  const t = performance.now()
  const response = await f.handle(new Request(f.baseUrl + path, auth))
  await response.arrayBuffer()
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`)
  return (performance.now() - t) * 1000
}

const compare = (a, b) =>
  alternate(
    () => once(...a),
    () => once(...b),
    { n: N, r: R },
  )

// The cursor of the keyset page that holds the list's last 100 jobs: GitLab's Base64 of its
// {"id":"…","_kd":"n"}, naming the last job of the page before.
const ids = [...latest.store.jobs.keys()].sort((x, y) => y - x)
const cursor = Buffer.from(JSON.stringify({ id: String(ids.at(-101)), _kd: 'n' })).toString('base64')
const keyset = '/api/v4/projects/1/jobs?pagination=keyset&per_page=100&order_by=id&sort=desc'
const last = await latest.handle(
  new Request(`${latest.baseUrl}${keyset}&cursor=${encodeURIComponent(cursor)}`, auth),
)
const lastPage = await last.json()
if (lastPage.length !== 100 || lastPage.at(-1).id !== ids.at(-1))
  throw new Error('the keyset cursor does not reach the end')

const page = '/api/v4/projects/1/jobs?per_page=100'
console.log(
  JSON.stringify({
    'page-latest': await compare([latest, page], [old, page]),
    'keyset-flat': await compare(
      [latest, `${keyset}&cursor=${encodeURIComponent(cursor)}`],
      [latest, keyset],
    ),
  }),
)

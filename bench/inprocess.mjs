// In-process cost through setupServer and fetch: the fake against a constant handler that
// answers the same bytes, and the fake at 100 jobs against the fake at 100,000 jobs.
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { createGitLabFake } from '../dist/index.js'
import { alternate, seedJobs } from './lib.mjs'

const N = Number(process.env.BENCH_N ?? 300)
const R = Number(process.env.BENCH_R ?? 9)
const auth = { headers: { 'PRIVATE-TOKEN': 'bench-token' } }

const big = createGitLabFake({ baseUrl: 'https://big.example.com', dataset: 'empty', seed: 1 })
seedJobs(big, 100_000)
const small = createGitLabFake({ baseUrl: 'https://small.example.com', dataset: 'empty', seed: 1 })
seedJobs(small, 100)

const pagePath = '/api/v4/projects/1/jobs?per_page=100'
const onePath = (fake) =>
  `/api/v4/projects/1/jobs/${[...fake.store.jobs.keys()][Math.floor(fake.store.jobs.size / 2)]}`

async function bytes(fake, path) {
  return new Uint8Array(await (await fake.handle(new Request(fake.baseUrl + path, auth))).arrayBuffer())
}

function constant(url, body) {
  return http.get(url, () => new HttpResponse(body, { headers: { 'Content-Type': 'application/json' } }))
}

const server = setupServer()
server.listen({ onUnhandledRequest: 'error' })

async function once(handler, url) {
  server.resetHandlers(handler)
  const t = performance.now()
  await (await fetch(url, auth)).arrayBuffer()
  return (performance.now() - t) * 1000
}

const compare = (a, b) =>
  alternate(
    () => once(...a),
    () => once(...b),
    { n: N, r: R },
  )

const [bigHandler] = big.handlers
const [smallHandler] = small.handlers
const results = {}
for (const [name, path] of [
  ['page', pagePath],
  ['one', onePath(big)],
]) {
  const body = await bytes(big, path)
  results[`${name}-vs-constant`] = await compare(
    [bigHandler, `https://big.example.com${path}`],
    [constant('https://const.example.com/x', body), 'https://const.example.com/x'],
  )
}
results['page-flat'] = await compare(
  [bigHandler, `https://big.example.com${pagePath}`],
  [smallHandler, `https://small.example.com${pagePath}`],
)
results['one-flat'] = await compare(
  [bigHandler, `https://big.example.com${onePath(big)}`],
  [smallHandler, `https://small.example.com${onePath(small)}`],
)
server.close()
console.log(JSON.stringify(results))

// reset() after one retry, at a given number of jobs: its time, and what the change log costs.
//   node bench/reset-child.mjs time JOBS   → { ms: [..] } reset() times, one per retry
//   node bench/reset-child.mjs memory      → resident memory of 100,000 jobs before and after commitInitial()
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createGitLabFake } from '../dist/index.js'
import { seedJobs } from './lib.mjs'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc')
const [mode, jobs = '100000'] = process.argv.slice(2)

const fake = createGitLabFake({ dataset: 'empty', seed: 1 })
seedJobs(fake, mode === 'memory' ? 100_000 : Number(jobs))

const rss = () => {
  gc()
  gc()
  return process.memoryUsage().rss / 2 ** 20
}

if (mode === 'memory') {
  const before = rss()
  fake.commitInitial()
  // A few changes, so that the log holds something.
  for (let i = 0; i < 10; i++) await retry(50 + i)
  const after = rss()
  console.log(JSON.stringify({ beforeMb: before, afterMb: after }))
} else {
  fake.commitInitial()
  const ms = []
  for (let i = 0; i < 300; i++) {
    await retry(50)
    const t = performance.now()
    fake.reset()
    ms.push(performance.now() - t)
  }
  console.log(JSON.stringify({ ms }))
}

async function retry(id) {
  const response = await fake.handle(
    new Request(`${fake.apiUrl}/projects/1/jobs/${id}/retry`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': 'bench-token' },
    }),
  )
  if (response?.status !== 201) throw new Error(`retry answered ${response?.status}`)
}

// Seeding 100,000 jobs in 1,000 pipelines: time and memory.
import { createGitLabFake } from '../dist/index.js'
import { seedJobs } from './lib.mjs'

const fake = createGitLabFake({ dataset: 'empty', seed: 1 })
const t = performance.now()
seedJobs(fake, 100_000)
const ms = performance.now() - t
if (fake.store.jobs.size !== 100_000) throw new Error('not 100,000 jobs')
console.log(
  JSON.stringify({
    ms,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
)

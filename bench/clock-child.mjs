// One clock step while 100 jobs run, each writing a log line a second, on a fake holding 100,000
// jobs and on one holding those 100 alone; the steps alternate, so that both meet the same
// machine.   node bench/clock-child.mjs   → { big: [ms…], small: [ms…] }
import { createGitLabFake } from '../dist/index.js'
import { seedJobs } from './lib.mjs'

const RUNNING = 100
const log = Array.from({ length: 1000 }, (_, i) => ({ at: i * 1000, text: `line ${i}` }))

function fakeWith(jobs) {
  const fake = createGitLabFake({ dataset: 'empty', seed: 1, now: '2020-06-01T00:00:00Z' })
  if (jobs > RUNNING) seedJobs(fake, jobs - RUNNING)
  else
    fake.load({
      users: [{ username: 'bench', tokens: ['bench-token'], admin: true }],
      projects: [{ path: 'bench/project' }],
    })
  fake.seed.pipeline({
    project: 'bench/project',
    jobs: Array.from({ length: RUNNING }, () => ({ status: 'running', run: { duration: '1h', log } })),
  })
  fake.commitInitial()
  if (fake.store.jobs.size !== jobs) throw new Error(`${fake.store.jobs.size} jobs, not ${jobs}`)
  return fake
}

const big = fakeWith(100_000)
const small = fakeWith(RUNNING)
const times = { big: [], small: [] }
const step = (fake, into) => {
  const t = performance.now()
  fake.clock.advance(1000)
  into.push(performance.now() - t)
}
for (let i = 0; i < 600; i++) {
  step(big, times.big)
  step(small, times.small)
}
for (const fake of [big, small]) {
  const running = fake.store
    .jobsOfProject(1)
    .list()
    .filter((j) => j.status === 'running')
  if (running.length !== RUNNING) throw new Error(`${running.length} running`)
  if (!running[0].trace.includes(`line ${times.big.length}\n`)) throw new Error('the log did not grow')
}
console.log(JSON.stringify(times))

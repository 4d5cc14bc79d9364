// An archive of 1,000 files, 50 MB: build once; one file out of it; the whole download.
import { createGitLabFake } from '../dist/index.js'
import { median } from './lib.mjs'

const fake = createGitLabFake({ dataset: 'empty', seed: 1 })
fake.load({
  users: [{ username: 'bench', tokens: ['bench-token'], admin: true }],
  projects: [{ path: 'bench/project' }],
})
// Build output as runners keep it: 1,000 files of about 52 KB of log text.
const line = (i) =>
  `${String(i).padStart(6, '0')} compiled module ${(i * 2654435761) % 1e9} in ${i % 997} ms\n`
const files = {}
for (let f = 0; f < 1000; f++) {
  // Joined, so that each file is one flat string, as a fixture's JSON gives it.
  const lines = []
  let size = 0
  for (let i = f * 1000; size < 52_000; i++) {
    lines.push(line(i))
    size += lines.at(-1).length
  }
  files[`dist/chunk-${f}.log`] = lines.join('')
}
const mb = Object.values(files).reduce((n, t) => n + t.length, 0) / 2 ** 20
const t0 = performance.now()
const { jobs } = fake.seed.pipeline({
  project: 'bench/project',
  jobs: [{ name: 'build', status: 'success', artifacts: [{ file_type: 'archive', files }] }],
})
const buildMs = performance.now() - t0
const id = jobs[0].id
const ask = (path) =>
  fake.handle(
    new Request(`${fake.baseUrl}/api/v4/projects/1/jobs/${id}${path}`, {
      headers: { 'PRIVATE-TOKEN': 'bench-token' },
    }),
  )

const fileMs = []
for (let i = 0; i < 60; i++) {
  const t = performance.now()
  const response = await ask(`/artifacts/dist/chunk-${(i * 37) % 1000}.log`)
  await response.arrayBuffer()
  if (response.status !== 200) throw new Error(`status ${response.status}`)
  fileMs.push(performance.now() - t)
}

// Ten downloads at once, held open: memory grows by what is read, not by ten copies.
const before = process.memoryUsage().arrayBuffers
const responses = await Promise.all(Array.from({ length: 10 }, () => ask('/artifacts')))
const heldMb = (process.memoryUsage().arrayBuffers - before) / 2 ** 20
const t1 = performance.now()
let size = 0
const reader = responses[0].body.getReader()
for (;;) {
  const { done, value } = await reader.read()
  if (done) break
  size += value.length
}
const downloadMs = performance.now() - t1
for (const r of responses.slice(1)) await r.body.cancel()
console.log(
  JSON.stringify({
    mb,
    archiveMb: size / 2 ** 20,
    buildMs,
    fileMs: median(fileMs.slice(10)),
    heldMb,
    downloadMs,
  }),
)

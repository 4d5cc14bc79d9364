import { createGitLabFake } from '../dist/index.js'

const g = createGitLabFake({ seed: 1 })
for (let p = 0; p < 1000; p++)
  g.seed.pipeline({ project: 1, ref: 'perf', jobs: Array.from({ length: 100 }, () => ({})) })
const req = () =>
  new Request('https://gitlab.example.com/api/v4/projects/1/jobs?per_page=100', {
    headers: { 'PRIVATE-TOKEN': 'root-token' },
  })
for (let i = 0; i < 200; i++) await (await g.handle(req())).text()
const t = performance.now()
for (let i = 0; i < 1000; i++) await (await g.handle(req())).text()
console.log('handle page µs', (performance.now() - t).toFixed(0))

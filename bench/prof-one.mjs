import { createGitLabFake } from '../dist/index.js'

const g = createGitLabFake({ seed: 1 })
const req = () =>
  new Request('https://gitlab.example.com/api/v4/projects/1/jobs/8', {
    headers: { 'PRIVATE-TOKEN': 'root-token' },
  })
for (let i = 0; i < 2000; i++) await g.handle(req())
let t = performance.now()
for (let i = 0; i < 20000; i++) await g.handle(req())
console.log('handle one µs', (((performance.now() - t) / 20000) * 1000).toFixed(1))
t = performance.now()
for (let i = 0; i < 20000; i++) req()
console.log('new Request µs', (((performance.now() - t) / 20000) * 1000).toFixed(1))

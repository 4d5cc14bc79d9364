import { createGitLabFake } from '../dist/index.js'

const g = createGitLabFake({ seed: 1 })
const t = performance.now()
for (let p = 0; p < 1000; p++)
  g.seed.pipeline({ project: 1, ref: 'perf', jobs: Array.from({ length: 100 }, () => ({})) })
console.log('seed 100k', (performance.now() - t).toFixed(0))

import { presentAll, presentContext, presentJob } from '../dist/entities/index.js'
import { createGitLabFake, gitlab13_0 } from '../dist/index.js'

const g = createGitLabFake({ seed: 1 })
for (let p = 0; p < 1000; p++)
  g.seed.pipeline({ project: 1, ref: 'perf', jobs: Array.from({ length: 100 }, () => ({})) })
const jobs = g.store.jobsOfProject(1).page('desc', 0, 100)
let t = performance.now()
let len = 0
for (let i = 0; i < 2000; i++) {
  const ctx = presentContext(gitlab13_0, g.store, 'https://gitlab.example.com', Date.now())
  len += presentAll(jobs, (j) => presentJob(j, ctx)).text.length
}
console.log('render µs', (((performance.now() - t) / 2000) * 1000).toFixed(0), len / 2000)
const text = presentAll(jobs, (j) =>
  presentJob(j, presentContext(gitlab13_0, g.store, 'https://gitlab.example.com', Date.now())),
).text
t = performance.now()
for (let i = 0; i < 2000; i++) {
  await new Response(text, { headers: { 'content-type': 'application/json' } }).text()
}
console.log('response+text µs', (((performance.now() - t) / 2000) * 1000).toFixed(0))
t = performance.now()
for (let i = 0; i < 2000; i++) {
  g.store.jobsOfProject(1).page('desc', 0, 100)
}
console.log('page µs', (((performance.now() - t) / 2000) * 1000).toFixed(0))
const req = () =>
  new Request('https://gitlab.example.com/api/v4/projects/1/jobs?per_page=100', {
    headers: { 'PRIVATE-TOKEN': 'root-token' },
  })
t = performance.now()
for (let i = 0; i < 2000; i++) {
  await g.handle(req())
}
console.log('handle (no body read) µs', (((performance.now() - t) / 2000) * 1000).toFixed(0))
const ctx0 = presentContext(gitlab13_0, g.store, 'https://gitlab.example.com', Date.now())
const texts = jobs.map((j) => presentJob(j, ctx0).text)
t = performance.now()
for (let i = 0; i < 2000; i++) {
  len += ['[', texts.join(','), ']'].join('').length
}
console.log('join µs', (((performance.now() - t) / 2000) * 1000).toFixed(0))
t = performance.now()
for (let i = 0; i < 2000; i++) {
  for (const j of jobs) presentJob(j, ctx0)
}
console.log('100 lookups µs', (((performance.now() - t) / 2000) * 1000).toFixed(0))
const flat = texts.map((s) => Buffer.from(s).toString())
t = performance.now()
for (let i = 0; i < 2000; i++) {
  len += ['[', flat.join(','), ']'].join('').length
}
console.log('join flat µs', (((performance.now() - t) / 2000) * 1000).toFixed(0))
t = performance.now()
for (let i = 0; i < 2000; i++) {
  let s = '['
  for (const x of flat) s += x + ','
  len += s.length
  s.charCodeAt(5)
}
console.log('concat flat µs', (((performance.now() - t) / 2000) * 1000).toFixed(0))
t = performance.now()
for (let i = 0; i < 2000; i++) {
  await new Response(['[', flat.join(','), ']'].join('')).arrayBuffer()
}
console.log('response arrayBuffer µs', (((performance.now() - t) / 2000) * 1000).toFixed(0))

// createGitLabFake() with the default dataset, after import.
const t0 = performance.now()
const { createGitLabFake } = await import('../dist/index.js')
const t1 = performance.now()
createGitLabFake()
const t2 = performance.now()
console.log(JSON.stringify({ importMs: t1 - t0, createMs: t2 - t1 }))

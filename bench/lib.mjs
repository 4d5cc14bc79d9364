import { spawn } from 'node:child_process'

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export const spread = (xs) => [Math.min(...xs), Math.max(...xs)]

/** Runs `node file args…` (optionally pinned to a core) and parses the JSON its last line prints. */
export function child(file, args = [], { core } = {}) {
  const cmd = core === undefined ? process.execPath : 'taskset'
  const argv = core === undefined ? [file, ...args] : ['-c', String(core), process.execPath, file, ...args]
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    p.stdout.on('data', (d) => {
      out += d
    })
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${file} exited ${code}`))
      const last = out.trim().split('\n').at(-1)
      resolve(JSON.parse(last))
    })
  })
}

/** Seeds `jobs` jobs in pipelines of 100 into project 1 of an empty fake. */
export function seedJobs(fake, jobs) {
  fake.load({
    users: [{ username: 'bench', tokens: ['bench-token'], admin: true }],
    projects: [{ path: 'bench/project' }],
  })
  for (let p = 0; p < jobs / 100; p++) {
    fake.seed.pipeline({
      project: 'bench/project',
      ref: 'main',
      jobs: Array.from({ length: 100 }, () => ({})),
    })
  }
}

/**
 * A and B (each an async function answering its time in µs) one run each in turn, `n` times after
 * a warm-up of 100; the ratio of their median times. Repeated `r` times: the median and the
 * spread of those ratios, and A's median time in µs.
 */
export async function alternate(a, b, { n = 300, r = 9 } = {}) {
  for (let i = 0; i < 100; i++) {
    await a()
    await b()
  }
  const ratios = []
  const as = []
  for (let k = 0; k < r; k++) {
    const ta = []
    const tb = []
    for (let i = 0; i < n; i++) {
      ta.push(await a())
      tb.push(await b())
    }
    ratios.push(median(ta) / median(tb))
    as.push(median(ta))
  }
  return { median: median(ratios), spread: spread(ratios), us: median(as) }
}

import { ClockError, parseDuration } from '../domain/clock.js'
import { DEFAULT_EXPIRE_IN, type Runner, RunnerError } from '../domain/runner.js'
import type { JobRecord } from '../store/records.js'
import type { Store } from '../store/store.js'
import type { Seeder } from './seeder.js'

/** The runner, by hand: each call answers the job as it now stands. */
export interface RunnerControl {
  /** A runner takes the pending job (`runner`: which one; default the first active). */
  start(job: number, options?: { runner?: number }): JobRecord
  /** The running job writes to its log; a line wants its own `"\n"`. */
  log(job: number, text: string): JobRecord
  /** The running job ends, uploading `artifacts` (fixture artifacts) that expire `expire_in` later. */
  finish(
    job: number,
    outcome: { status: 'success' | 'failed'; artifacts?: unknown[]; expire_in?: string | number },
  ): JobRecord
  /** Runs what is due by the clock (a real clock moves without telling; requests do this too). */
  sync(): void
}

/**
 * `gitlab.runner`: the runner driven by job id, as a test (or the control API) drives it; what a
 * finish uploads is made from fixture artifacts, as a load makes them.
 */
export function runnerControl(store: Store, runner: Runner, seeder: Seeder, sync: () => void): RunnerControl {
  const jobOf = (id: number): JobRecord => {
    sync()
    const job = typeof id === 'number' ? store.jobs.get(id) : undefined
    if (!job) throw new RunnerError('job', `no job ${JSON.stringify(id)}`)
    return job
  }
  return {
    start: (id, options) => runner.start(jobOf(id), options),
    log: (id, text) => runner.log(jobOf(id), text),
    finish: (id, outcome) => {
      const job = jobOf(id)
      const { status, artifacts = [], expire_in } = outcome ?? {}
      if (status !== 'success' && status !== 'failed')
        throw new RunnerError('status', `must be "success" or "failed", got ${JSON.stringify(status)}`)
      const expireIn =
        expire_in === undefined ? DEFAULT_EXPIRE_IN : expire_in === 'never' ? null : duration(expire_in)
      if (job.status !== 'running') return runner.finish(job, status)
      return runner.finish(job, status, seeder.uploads(job, artifacts), expireIn)
    },
    sync,
  }
}

/** `expire_in`: a duration such as `"1 week"`, or milliseconds, as the clock takes them. */
function duration(value: string | number): number {
  try {
    if (typeof value === 'string') return parseDuration(value, 'expire_in')
    if (typeof value === 'number' && value >= 0 && value <= 100 * 365 * 86_400_000) return value
  } catch (error) {
    if (!(error instanceof ClockError)) throw error
  }
  throw new RunnerError(
    'expire_in',
    `must be a duration such as "1 week", or milliseconds up to 100 years, got ${JSON.stringify(value)}`,
  )
}

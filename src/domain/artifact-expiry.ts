import { rowExpiry } from '../store/artifact-expiry-index.js'
import type { Store } from '../store/store.js'

/**
 * GitLab 13.0's ExpireBuildArtifactsWorker, on the fake's clock.
 *
 * Two moments follow `artifacts_expire_at`. Once it has passed, `Ci::Build#artifacts?` is false
 * (app/models/ci/build.rb: `!artifacts_expired? && artifacts_file&.exists?`): the Job entity leaves
 * `artifacts_file` out, and the single file by id and keep answer 404; yet the rows are still there,
 * so `artifacts` lists them and the archive still downloads, by id and by ref. Then the worker's
 * next run destroys the expired rows and their files (app/services/ci/
 * destroy_expired_job_artifacts_service.rb: `Ci::JobArtifact.expired(BATCH_SIZE)` …
 * `artifacts.each(&:destroy!)`, `expired` being `where('expire_at < ?', Time.current)`), leaving the
 * build's `artifacts_expire_at` as it was and the trace, which has no `expire_at`.
 *
 * The worker runs at its cron times as the clock passes them, and on demand. At creation (and
 * after `reset()`) it has not run yet: rows that expired before then stay until its first run.
 */

/** `Settings.cron_jobs['expire_build_artifacts_worker']['cron'] ||= '50 * * * *'` (config/initializers/1_settings.rb), in UTC. */
const HOUR = 3_600_000
const CRON_MINUTE = 50 * 60_000

/** DestroyExpiredJobArtifactsService: `BATCH_SIZE = 100`, `LOOP_LIMIT = 1000` batches a run. */
const ARTIFACTS_PER_RUN = 100 * 1000

/** The first run of the worker's cron strictly after `time`. */
export function nextRunAfter(time: number): number {
  return (Math.floor((time - CRON_MINUTE) / HOUR) + 1) * HOUR + CRON_MINUTE
}

export class ArtifactExpiry {
  /** The scheduled runs up to this time have been run. */
  private ranUntil: number

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {
    this.ranUntil = now()
  }

  /**
   * Runs every scheduled run the clock has passed since it last looked, each at its own time.
   * The runs that would find nothing are skipped without being walked through, so that this costs
   * what the runs destroy, not the time the clock moved.
   */
  catchUp(): void {
    const now = this.now()
    for (;;) {
      const run = nextRunAfter(this.ranUntil)
      if (run > now) return
      const first = this.store.firstExpiringJob()
      if (!first || first.at >= now) {
        // Nothing expires before the runs due: they find nothing.
        this.ranUntil = now
        return
      }
      if (first.at >= run) {
        // This run finds nothing; the first that may is the one after `first.at`.
        this.ranUntil = first.at
        continue
      }
      this.perform(run)
      this.ranUntil = run
    }
  }

  /**
   * One run now, as `ExpireBuildArtifactsWorker#perform` (after the scheduled runs due, at their
   * times). Answers how many job artifact rows it destroyed.
   */
  runNow(): number {
    this.catchUp()
    return this.perform(this.now())
  }

  /** The next scheduled run. */
  nextRun(): number {
    return nextRunAfter(Math.max(this.ranUntil, this.now()))
  }

  /** After `reset()`: as right after creation, the worker has not run since the clock's time. */
  reset(): void {
    this.ranUntil = this.now()
  }

  /**
   * `DestroyExpiredJobArtifactsService#execute` at `time`: the rows whose `expire_at` is before it
   * go, at most `LOOP_LIMIT` batches of `BATCH_SIZE`. GitLab reads a batch in no set order; here
   * the earliest to expire go first, a job's expired rows together.
   */
  private perform(time: number): number {
    let destroyed = 0
    for (;;) {
      const first = this.store.firstExpiringJob()
      if (!first || first.at >= time || destroyed >= ARTIFACTS_PER_RUN) return destroyed
      const { job } = first
      const kept = job.artifacts.filter((a) => {
        const at = rowExpiry(job, a)
        return at === null || at >= time
      })
      destroyed += job.artifacts.length - kept.length
      this.store.updateJob(job, { artifacts: kept })
    }
  }
}

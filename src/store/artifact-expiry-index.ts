import type { ArtifactRecord, JobRecord } from './records.js'

/**
 * Whether a job artifact row carries `expire_at`. In GitLab 13.0 every uploaded artifact gets the
 * upload's `expire_in`, as the build's `artifacts_expire_at` does
 * (app/services/ci/create_job_artifacts_service.rb: `job.job_artifacts.build(…, expire_in:
 * expire_in)` and `job.update(artifacts_expire_in: expire_in)`); the trace is archived without one
 * (lib/gitlab/ci/trace.rb, `create_job_artifacts_trace!`), so it never expires.
 */
export function expires(artifact: ArtifactRecord): boolean {
  return artifact.file_type !== 'trace'
}

/** When a job's expiring artifact rows expire; null when it holds none, or they never expire. */
export function expiryOf(job: JobRecord): number | null {
  if (job.artifacts_expire_at === null) return null
  return job.artifacts.some(expires) ? job.artifacts_expire_at : null
}

/**
 * The jobs holding artifact rows that expire, earliest first (then by id): a binary heap with
 * each job's place, so that adding, moving or removing a job costs O(log n) and the expiry worker
 * reads the earliest in O(1), whatever the number of jobs.
 */
export class ArtifactExpiryIndex {
  private readonly jobs: JobRecord[] = []
  private readonly at: number[] = []
  private readonly place = new Map<JobRecord, number>()

  /** Puts the job where its fields now place it (or out, when nothing of it expires). */
  update(job: JobRecord): void {
    const at = expiryOf(job)
    const i = this.place.get(job)
    if (i !== undefined) {
      if (at === this.at[i]) return
      this.removeAt(i)
    }
    if (at !== null) this.insert(job, at)
  }

  remove(job: JobRecord): void {
    const i = this.place.get(job)
    if (i !== undefined) this.removeAt(i)
  }

  /** The job whose artifacts expire first, and when. */
  first(): { job: JobRecord; at: number } | undefined {
    const job = this.jobs[0]
    return job && { job, at: this.at[0] as number }
  }

  get size(): number {
    return this.jobs.length
  }

  private insert(job: JobRecord, at: number): void {
    this.jobs.push(job)
    this.at.push(at)
    this.place.set(job, this.jobs.length - 1)
    this.up(this.jobs.length - 1)
  }

  private removeAt(i: number): void {
    const job = this.jobs[i] as JobRecord
    const last = this.jobs.length - 1
    if (i !== last) this.swap(i, last)
    this.jobs.pop()
    this.at.pop()
    this.place.delete(job)
    if (i < this.jobs.length) {
      this.up(i)
      this.down(i)
    }
  }

  private before(a: number, b: number): boolean {
    const ta = this.at[a] as number
    const tb = this.at[b] as number
    return ta < tb || (ta === tb && (this.jobs[a] as JobRecord).id < (this.jobs[b] as JobRecord).id)
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(i, parent)) return
      this.swap(i, parent)
      i = parent
    }
  }

  private down(i: number): void {
    const n = this.jobs.length
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) return
      const right = left + 1
      const child = right < n && this.before(right, left) ? right : left
      if (!this.before(child, i)) return
      this.swap(i, child)
      i = child
    }
  }

  private swap(a: number, b: number): void {
    const job = this.jobs[a] as JobRecord
    const at = this.at[a] as number
    this.jobs[a] = this.jobs[b] as JobRecord
    this.at[a] = this.at[b] as number
    this.jobs[b] = job
    this.at[b] = at
    this.place.set(this.jobs[a] as JobRecord, a)
    this.place.set(job, b)
  }
}

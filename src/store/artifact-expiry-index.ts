import { MinHeap } from './min-heap.js'
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

/** When a row expires (its own `expire_at`, else its job's); null: never. */
export function rowExpiry(job: JobRecord, artifact: ArtifactRecord): number | null {
  if (artifact.expire_at !== undefined) return artifact.expire_at
  return expires(artifact) ? job.artifacts_expire_at : null
}

/** When a job's first expiring artifact row expires; null when it holds none, or they never expire. */
export function expiryOf(job: JobRecord): number | null {
  let first: number | null = null
  for (const artifact of job.artifacts) {
    const at = rowExpiry(job, artifact)
    if (at !== null && (first === null || at < first)) first = at
  }
  return first
}

/**
 * The jobs holding artifact rows that expire, earliest first (then by id): a binary heap with
 * each job's place, so that adding, moving or removing a job costs O(log n) and the expiry worker
 * reads the earliest in O(1), whatever the number of jobs.
 */
export class ArtifactExpiryIndex {
  /** Each job's entry, which knows its place in the heap. */
  private readonly entries = new Map<JobRecord, Entry>()
  private readonly heap = new MinHeap<Entry>(
    (a, b) => a.at < b.at || (a.at === b.at && a.job.id < b.job.id),
    (entry, index) => {
      entry.index = index
    },
  )

  /** Puts the job where its fields now place it (or out, when nothing of it expires). */
  update(job: JobRecord): void {
    const at = expiryOf(job)
    const entry = this.entries.get(job)
    if (entry) {
      if (at === entry.at) return
      this.remove(job)
    }
    if (at !== null) {
      const added = { job, at, index: -1 }
      this.entries.set(job, added)
      this.heap.push(added)
    }
  }

  remove(job: JobRecord): void {
    const entry = this.entries.get(job)
    if (!entry) return
    this.heap.removeAt(entry.index)
    this.entries.delete(job)
  }

  /** The job whose artifacts expire first, and when. */
  first(): { job: JobRecord; at: number } | undefined {
    return this.heap.peek()
  }

  get size(): number {
    return this.heap.size
  }
}

interface Entry {
  readonly job: JobRecord
  readonly at: number
  index: number
}

import type { ArtifactRecord, JobRecord } from '../store/records.js'

/**
 * `Ci::Build#artifacts?`: an archive exists and has not expired
 * (app/models/ci/build.rb: `!artifacts_expired? && artifacts_file&.exists?`).
 */
export function hasArtifacts(job: JobRecord, now: number): boolean {
  const expired = job.artifacts_expire_at !== null && job.artifacts_expire_at < now
  return !expired && archiveOf(job) !== undefined
}

/**
 * `Ci::Build#job_artifacts_archive`: the archive row, expired or not, until the expiry worker
 * destroys it (what `with_artifacts_archive` and `present_carrierwave_file!` look at).
 */
export function archiveOf(job: JobRecord): ArtifactRecord | undefined {
  return job.artifacts.find((a) => a.file_type === 'archive')
}

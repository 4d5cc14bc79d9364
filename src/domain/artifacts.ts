import type { JobRecord } from '../store/records.js'

/**
 * `Ci::Build#artifacts?`: an archive exists and has not expired
 * (app/models/ci/build.rb: `!artifacts_expired? && artifacts_file&.exists?`).
 */
export function hasArtifacts(job: JobRecord, now: number): boolean {
  const expired = job.artifacts_expire_at !== null && job.artifacts_expire_at < now
  return !expired && job.artifacts.some((a) => a.file_type === 'archive')
}

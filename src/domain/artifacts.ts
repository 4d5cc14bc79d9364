import type { ArtifactRecord, JobRecord } from '../store/records.js'

/**
 * A finished job's log, archived as its trace artifact (Ci::ArchiveTraceService): its bytes are
 * the job's log, not a blob.
 */
export function traceArtifact(trace: string, filename = 'job.log'): ArtifactRecord {
  return { file_type: 'trace', filename, file_format: 'raw', size: utf8Length(trace), blob: null }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is 0x00 to 0x7f.
const ASCII = /^[\x00-\x7f]*$/
const encoder = new TextEncoder()

/** UTF-8 length of a string: its length when it is ASCII (a native scan), else encoded. */
export function utf8Length(text: string): number {
  return ASCII.test(text) ? text.length : encoder.encode(text).length
}

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

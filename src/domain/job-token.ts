import type { JobRecord, ProjectRecord } from '../store/records.js'

/** A CI job token (CI_JOB_TOKEN): the job id, so that it is unique, and 64 bits mixed from a salt. */
export function jobToken(id: number, salt: number): string {
  const a = mix32(id ^ salt)
  const b = mix32(a ^ id)
  return `job-${id}-${a.toString(36)}${b.toString(36)}`
}

/** A salt for the tokens of jobs a fake makes: from its seed, so that they repeat, else random. */
export function tokenSalt(seed: number | undefined): number {
  return seed === undefined
    ? (crypto.getRandomValues(new Uint32Array(1))[0] as number)
    : mix32(seed ^ 0x5bd1e995)
}

/** mulberry32's mix: a well-spread 32-bit value from another. */
export function mix32(n: number): number {
  let t = (n + 0x6d2b79f5) | 0
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return (t ^ (t >>> 14)) >>> 0
}

/**
 * `Ci::JobToken::Scope#accessible?` (inbound): a job's token reaches its own project, a project
 * that does not limit access to itself, or one whose allowlist holds the job's project.
 */
export function jobTokenReaches(job: JobRecord, project: ProjectRecord): boolean {
  return (
    job.project_id === project.id ||
    !project.ci_inbound_job_token_scope_enabled ||
    project.job_token_allowlist.includes(job.project_id)
  )
}

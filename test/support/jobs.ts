import type { GitLabFake, JobInput, JobRecord } from '../../src/index.js'

/** A job of its own in project 1 (foo/bar), on an unprotected branch unless `ref` says otherwise. */
export function seedJob(gitlab: GitLabFake, job: JobInput = {}, ref = 'feature/actions'): JobRecord {
  const { jobs } = gitlab.seed.pipeline({
    project: 1,
    ref,
    user: 'developer',
    jobs: [{ user: 'developer', ...job }],
  })
  return jobs[0] as JobRecord
}

/** A copy of the job as stored now. */
export function stored(gitlab: GitLabFake, id: number): JobRecord | undefined {
  const job = gitlab.store.jobs.get(id)
  return job && structuredClone(job)
}

import { archiveOf, hasArtifacts } from '../domain/artifacts.js'
import type { ArtifactRecord, JobRecord } from '../store/records.js'
import { presentCommit } from './commit.js'
import { presentPipelineBasic } from './pipeline-basic.js'
import { type Fields, isoTime, type Json, OMIT, type PresentContext, present, presentAll } from './present.js'
import { presentRunner, presentRunnerManager } from './runner.js'
import { presentUser } from './user.js'

// lib/api/entities/job_artifact.rb, job_artifact_file.rb
const artifactFields: Fields<ArtifactRecord> = {
  file_type: (a) => a.file_type,
  size: (a) => a.size,
  filename: (a) => a.filename,
  file_format: (a) => a.file_format,
}

// lib/api/entities/job_basic.rb and job.rb
const fields: Fields<JobRecord> = {
  id: (j) => j.id,
  status: (j) => j.status,
  stage: (j) => j.stage,
  name: (j) => j.name,
  ref: (j) => j.ref,
  tag: (j) => j.tag,
  coverage: (j) => j.coverage,
  allow_failure: (j) => j.allow_failure,
  created_at: (j) => isoTime(j.created_at),
  started_at: (j) => isoTime(j.started_at),
  finished_at: (j) => isoTime(j.finished_at),
  erased_at: (j) => isoTime(j.erased_at),
  // Ci::Build#duration: (finished_at || now) - started_at, in seconds.
  duration: (j, ctx) => (j.started_at === null ? null : ((j.finished_at ?? ctx.now) - j.started_at) / 1000),
  // CommitStatus#queued_duration: (started_at || finished_at || now) - queued_at, in seconds.
  queued_duration: (j, ctx) =>
    j.queued_at === null ? null : ((j.started_at ?? j.finished_at ?? ctx.now) - j.queued_at) / 1000,
  user: (j, ctx) => {
    const user = j.user_id === null ? undefined : ctx.store.users.get(j.user_id)
    return user ? presentUser(user, ctx) : null
  },
  commit: (j, ctx) => {
    const pipeline = ctx.store.pipelines.get(j.pipeline_id)
    const commit = pipeline && ctx.store.commit(j.project_id, pipeline.sha)
    return commit ? presentCommit(commit, ctx) : null
  },
  pipeline: (j, ctx) => {
    const pipeline = ctx.store.pipelines.get(j.pipeline_id)
    return pipeline ? presentPipelineBasic(pipeline, ctx) : null
  },
  // `expose :failure_reason, if: -> (job) { job.failed? }`
  failure_reason: (j) => (j.status === 'failed' ? (j.failure_reason ?? 'unknown_failure') : OMIT),
  web_url: (j, ctx) =>
    `${ctx.gitlabUrl}/${ctx.store.projects.get(j.project_id)?.path_with_namespace}${ctx.profile.webScope}/jobs/${j.id}`,
  // `expose :artifacts_file, if: -> (job, opts) { job.artifacts? }`: left out once
  // `artifacts_expire_at` has passed, though the archive row is still listed in `artifacts`.
  artifacts_file: (j, ctx) => {
    const archive = hasArtifacts(j, ctx.now) ? archiveOf(j) : undefined
    return archive ? present(archive, ctx.profile.entities.jobArtifactFile, artifactFields, ctx) : OMIT
  },
  // `expose :job_artifacts, as: :artifacts`: every row, until the expiry worker destroys the
  // expired ones (the trace has no expiry).
  artifacts: (j, ctx) =>
    presentAll(j.artifacts, (a) => present(a, ctx.profile.entities.jobArtifact, artifactFields, ctx)),
  // `expose :project { expose :ci_outbound_job_token_scope_enabled?, as: :ci_job_token_scope_enabled }`
  project: (j, ctx) => ({
    ci_job_token_scope_enabled: ctx.store.projects.get(j.project_id)?.ci_job_token_scope_enabled ?? false,
  }),
  runner: (j, ctx) => {
    const runner = j.runner_id === null ? undefined : ctx.store.runners.get(j.runner_id)
    return runner ? presentRunner(runner, ctx) : null
  },
  // The runner manager (the runner's process on one machine) that took it.
  runner_manager: (j, ctx) => {
    const found = j.runner_manager_id === null ? undefined : ctx.store.runnerManager(j.runner_manager_id)
    return found ? presentRunnerManager(found.manager, ctx) : null
  },
  // The build's column: the expiry worker destroys rows but leaves it as it was.
  artifacts_expire_at: (j) => isoTime(j.artifacts_expire_at),
  archived: (j) => j.archived,
  // `tag_list`: the tags' names, sorted.
  tag_list: (j) => [...j.tag_list].sort(),
}

interface Rendered {
  readonly json: Json
  readonly gitlabUrl: string
  readonly profile: object
  readonly revision: number
  readonly pipelineRevision: number
  readonly projectRevision: number
  readonly artifactsShown: boolean
  readonly runnerExecuting: boolean
  readonly managerExecuting: boolean
}

/**
 * A job's JSON is kept and served again while nothing it shows has changed: the job, its
 * pipeline and its project (their store revisions), the URL, the version, whether its archive is
 * shown and, where the version shows it, whether its runner is running a job. A
 * job whose JSON shows the clock is rendered each time: a running job (its duration grows), and
 * a queued one where the version shows `queued_duration`.
 */
const renderedJobs = new WeakMap<JobRecord, Rendered>()

function showsClock(job: JobRecord, keys: readonly string[]): boolean {
  if (job.finished_at !== null) return false
  if (job.started_at !== null) return true
  return job.queued_at !== null && keys.includes('queued_duration')
}

export function presentJob(job: JobRecord, ctx: PresentContext): Json {
  if (showsClock(job, ctx.profile.entities.job)) return present(job, ctx.profile.entities.job, fields, ctx)
  const pipeline = ctx.store.pipelines.get(job.pipeline_id)
  const revision = ctx.store.revisionOf(job)
  const pipelineRevision = pipeline ? ctx.store.revisionOf(pipeline) : -1
  const project = ctx.store.projects.get(job.project_id)
  const projectRevision = project ? ctx.store.revisionOf(project) : -1
  const artifactsShown = hasArtifacts(job, ctx.now)
  const runnerExecuting =
    job.runner_id !== null &&
    ctx.profile.entities.runner.includes('job_execution_status') &&
    ctx.store.runnerExecuting(job.runner_id)
  const managerExecuting =
    job.runner_manager_id !== null &&
    ctx.profile.entities.job.includes('runner_manager') &&
    ctx.store.runnerManagerExecuting(job.runner_manager_id)
  const kept = renderedJobs.get(job)
  if (
    kept &&
    kept.revision === revision &&
    kept.pipelineRevision === pipelineRevision &&
    kept.projectRevision === projectRevision &&
    kept.artifactsShown === artifactsShown &&
    kept.runnerExecuting === runnerExecuting &&
    kept.managerExecuting === managerExecuting &&
    kept.gitlabUrl === ctx.gitlabUrl &&
    kept.profile === ctx.profile
  ) {
    return kept.json
  }
  const json = present(job, ctx.profile.entities.job, fields, ctx)
  renderedJobs.set(job, {
    json,
    gitlabUrl: ctx.gitlabUrl,
    profile: ctx.profile,
    revision,
    pipelineRevision,
    projectRevision,
    artifactsShown,
    runnerExecuting,
    managerExecuting,
  })
  return json
}

import type { BridgeRecord } from '../store/records.js'
import { presentCommit } from './commit.js'
import { presentPipelineBasic } from './pipeline-basic.js'
import { type Fields, isoTime, type Json, OMIT, type PresentContext, present } from './present.js'
import { presentUser } from './user.js'

/**
 * A trigger job (`Ci::Bridge`) as lib/api/entities/ci/bridge.rb shows it (JobBasic's keys, then
 * `downstream_pipeline`), and as the Job entity shows one when retry answers it: no runner, no
 * runner manager (`if: ->(job) { job.is_a?(::Ci::Build) }`), no artifacts.
 */
const fields: Fields<BridgeRecord> = {
  id: (b) => b.id,
  status: (b) => b.status,
  stage: (b) => b.stage,
  name: (b) => b.name,
  ref: (b) => b.ref,
  tag: (b) => b.tag,
  coverage: () => null,
  allow_failure: (b) => b.allow_failure,
  created_at: (b) => isoTime(b.created_at),
  started_at: (b) => isoTime(b.started_at),
  finished_at: (b) => isoTime(b.finished_at),
  erased_at: () => null,
  duration: (b, ctx) => (b.started_at === null ? null : ((b.finished_at ?? ctx.now) - b.started_at) / 1000),
  queued_duration: (b, ctx) =>
    b.queued_at === null ? null : ((b.started_at ?? b.finished_at ?? ctx.now) - b.queued_at) / 1000,
  user: (b, ctx) => {
    const user = b.user_id === null ? undefined : ctx.store.users.get(b.user_id)
    return user ? presentUser(user, ctx) : null
  },
  commit: (b, ctx) => {
    const pipeline = ctx.store.pipelines.get(b.pipeline_id)
    const commit = pipeline && ctx.store.commit(b.project_id, pipeline.sha)
    return commit ? presentCommit(commit, ctx) : null
  },
  pipeline: (b, ctx) => {
    const pipeline = ctx.store.pipelines.get(b.pipeline_id)
    return pipeline ? presentPipelineBasic(pipeline, ctx) : null
  },
  failure_reason: (b) => (b.status === 'failed' ? (b.failure_reason ?? 'unknown_failure') : OMIT),
  web_url: (b, ctx) =>
    `${ctx.gitlabUrl}/${ctx.store.projects.get(b.project_id)?.path_with_namespace}${ctx.profile.webScope}/jobs/${b.id}`,
  project: (b, ctx) => ({
    ci_job_token_scope_enabled: ctx.store.projects.get(b.project_id)?.ci_job_token_scope_enabled ?? false,
  }),
  // `expose :downstream_pipeline, with: ::API::Entities::Ci::PipelineBasic`
  downstream_pipeline: (b, ctx) => {
    const pipeline =
      b.downstream_pipeline_id === null ? undefined : ctx.store.pipelines.get(b.downstream_pipeline_id)
    return pipeline ? presentPipelineBasic(pipeline, ctx) : null
  },
  // The Job entity's own keys, for a trigger job.
  artifacts_file: () => OMIT,
  artifacts: () => [],
  runner: () => null,
  runner_manager: () => OMIT,
  artifacts_expire_at: () => null,
  archived: (b) => b.archived,
  tag_list: () => [],
}

/** `present bridge, with: Entities::Ci::Bridge` */
export function presentBridge(bridge: BridgeRecord, ctx: PresentContext): Json {
  return present(bridge, ctx.profile.entities.bridge, fields, ctx)
}

/** `present job, with: Entities::Ci::Job` of a trigger job (what retry answers). */
export function presentBridgeAsJob(bridge: BridgeRecord, ctx: PresentContext): Json {
  return present(bridge, ctx.profile.entities.job, fields, ctx)
}

import { gitlab13_0 } from './gitlab-13.0.js'
import type { GitLabProfile } from './profile.js'

/**
 * Today's GitLab (19.x, gitlabhq master at 41946e65), read from its source: lib/api/ci/jobs.rb,
 * lib/api/ci/pipelines.rb, lib/api/helpers.rb, lib/api/pagination_params.rb, lib/api/entities/.
 */
export const gitlabLatest: GitLabProfile = {
  version: 'latest',
  // app/models/concerns/ci/has_status.rb: AVAILABLE_STATUSES
  statuses: [
    'created',
    'waiting_for_resource',
    'preparing',
    'waiting_for_callback',
    'pending',
    'running',
    'success',
    'failed',
    'canceling',
    'canceled',
    'skipped',
    'manual',
    'scheduled',
  ],
  messages: {
    // lib/api/helpers.rb `render_api_error_with_reason!`: the two joined by " - ".
    forbidden: (reason) => (reason ? `403 Forbidden - ${reason}` : '403 Forbidden'),
    badRequest: (reason) => (reason ? `400 Bad request - ${reason}` : '400 Bad request'),
  },
  accessTokens: {
    scopes: gitlab13_0.accessTokens.scopes,
    // lib/api/api.rb: `allow_access_with_scope :read_api, if: -> (request) { request.get? || request.head? }`
    routeScopes: [{ name: 'api' }, { name: 'read_api', methods: ['GET', 'HEAD'] }],
  },
  entities: {
    ...gitlab13_0.entities,
    // lib/api/entities/ci/job_basic.rb + job.rb
    job: [
      'id',
      'status',
      'stage',
      'name',
      'ref',
      'tag',
      'coverage',
      'allow_failure',
      'created_at',
      'started_at',
      'finished_at',
      'erased_at',
      'duration',
      'queued_duration',
      'user',
      'commit',
      'pipeline',
      'failure_reason',
      'web_url',
      'project',
      'artifacts_file',
      'artifacts',
      'runner',
      'runner_manager',
      'artifacts_expire_at',
      'archived',
      'tag_list',
    ],
    // lib/api/entities/commit.rb
    commit: [...gitlab13_0.entities.commit, 'trailers', 'extended_trailers', 'web_url'],
    // lib/api/entities/ci/pipeline_basic.rb
    pipelineBasic: [
      'id',
      'iid',
      'project_id',
      'sha',
      'ref',
      'status',
      'source',
      'created_at',
      'updated_at',
      'web_url',
    ],
    // lib/api/entities/user_safe.rb, user_basic.rb, user.rb (`is_followed` needs a current_user, which
    // lib/api/ci/jobs.rb does not pass)
    user: [
      'id',
      'username',
      'name',
      'state',
      'locked',
      'avatar_url',
      'web_url',
      'created_at',
      'bio',
      'location',
      'public_email',
      'skype',
      'linkedin',
      'twitter',
      'discord',
      'website_url',
      'organization',
      'job_title',
      'pronouns',
      'bot',
      'work_information',
      'followers',
      'following',
      'local_time',
    ],
    // lib/api/entities/ci/runner.rb
    runner: [
      'id',
      'description',
      'ip_address',
      'active',
      'paused',
      'is_shared',
      'runner_type',
      'name',
      'online',
      'created_by',
      'created_at',
      'status',
      'job_execution_status',
    ],
    // lib/api/entities/user_safe.rb + user_basic.rb (`avatar_path` only with `only_path`,
    // `custom_attributes` only when asked)
    userBasic: ['id', 'username', 'name', 'state', 'locked', 'avatar_url', 'web_url'],
    // lib/api/entities/ci/runner_manager.rb
    runnerManager: [
      'id',
      'system_id',
      'version',
      'revision',
      'platform',
      'architecture',
      'created_at',
      'contacted_at',
      'ip_address',
      'status',
      'job_execution_status',
    ],
    // lib/api/entities/ci/bridge.rb < JobBasic (lib/api/entities/ci/job_basic.rb)
    bridge: [
      'id',
      'status',
      'stage',
      'name',
      'ref',
      'tag',
      'coverage',
      'allow_failure',
      'created_at',
      'started_at',
      'finished_at',
      'erased_at',
      'duration',
      'queued_duration',
      'user',
      'commit',
      'pipeline',
      'failure_reason',
      'web_url',
      'project',
      'downstream_pipeline',
    ],
  },
  runnerIpAddress: 'none',
  pagination: {
    // lib/api/pagination_params.rb: `optional :per_page, …, default: 20, except_values: [0]`
    defaultPerPage: 20,
    maxPerPage: 100,
    countLimit: 10_000,
    // lib/gitlab/pagination/offset_pagination.rb: the flag is gone, the limit always applies.
    countLimitFlag: null,
    zeroPerPage: 'reject',
  },
  featureFlags: {
    // The ETag of the artifact downloads (lib/api/ci/job_artifacts.rb `artifact_etag`,
    // gitlab-org/gitlab#371991). Its default is not in the source read: off, as a flag is
    // when it comes, and as every flag of the fake starts.
    workhorse_download_etag_caching: false,
  },
  newestPipelinesLimit: 100,
  // lib/api/ci/jobs.rb: `paginate(builds, without_count: true)`
  // lib/gitlab/pagination/cursor_based_keyset.rb: `::Ci::Build => { id: :desc }`.
  projectJobs: { withoutCount: true, refParam: true, keyset: { orderBy: 'id', sort: 'desc' } },
  // lib/api/ci/pipelines.rb and app/finders/ci/jobs_finder.rb: `order_id_desc`, `latest` unless
  // `include_retried`, `Ci::Build.none` without `read_build`; lib/api/ci/helpers/pipelines_helpers.rb
  // `optional_scope` (@35b6ac04): a Hash-form scope is coerced to `['unknown']`, refused.
  pipelineJobs: { order: 'desc', includeRetriedParam: true, unreadableJobs: 'empty', scopeHash: 'unknown' },
  // lib/api/ci/jobs.rb, lib/api/ci/job_artifacts.rb: retry, erase and keep look for the job first
  // (`find_job!`, `find_build!`), then ask the ability on it; deleting a job's artifacts asks the
  // project first (`authorize_delete_job_artifact!`, then `find_build!` and the job's ability).
  // Each asks the ability it names (Ci::JobAbilities), so that an archived job is still canceled
  // and erased, and no longer retried, played or kept.
  jobChecks: {
    cancel: { project: 'update_build', job: 'cancel_build' },
    retry: { job: 'retry_job' },
    erase: { job: 'erase_build' },
    play: { project: 'read_build', job: 'play_job' },
    keepArtifacts: { job: 'keep_job_artifacts' },
    deleteArtifacts: { project: 'destroy_artifacts', job: 'destroy_artifacts' },
  },
  // app/models/ci/processable.rb: `retryable?` adds `canceling` and `!retried?`; lib/api/ci/jobs.rb
  // presents the job Ci::PlayBuildService answers.
  jobActions: {
    retryable: { statuses: ['success', 'failed', 'canceled', 'canceling'], retried: false },
    playAnswers: 'played',
    // app/models/ci/build.rb `cancel_gracefully?`; lib/api/ci/jobs.rb `optional :force`.
    gracefulCancel: true,
    forceCancel: 'force_cancel_build',
    inputs: true,
    statsRefreshConflict: true,
  },
  // lib/gitlab/application_rate_limiter.rb: `jobs_index: { threshold: -> {
  // application_settings.project_jobs_api_rate_limit }, interval: 1.minute }`, 600 by default.
  rateLimits: { jobsIndex: { threshold: 600, interval: 60 } },
  // lib/api/ci/jobs.rb: `byte_limit` up to `Gitlab::Ci::Trace::Stream::LIMIT_SIZE` (500.kilobytes)
  trace: { byteLimitMax: 512_000, debugMode: true },
  jobTokens: {
    // app/finders/ci/auth_job_finder.rb `validate_executing_job!`: `Ci::HasStatus::EXECUTING_STATUSES`
    // (running, canceling), and `validate_job_not_erased!`.
    validStatuses: ['running', 'canceling'],
    // lib/api/helpers.rb `find_project!` → `handle_job_token_failure!`
    scope: 'allowlist',
    // lib/gitlab/auth/auth_finders.rb: `find_user_from_bearer_token` tries
    // `find_user_from_job_bearer_token` first (the doc's `Authorization: Bearer $CI_JOB_TOKEN`).
    bearer: true,
    // lib/api/ci/jobs.rb, pipelines.rb, job_artifacts.rb: `route_setting :authentication,
    // job_token_allowed: true` (not on the single job, its trace or any action).
    routes: [
      'projectJobs',
      'pipelineJobs',
      'triggerJobs',
      'currentJob',
      'artifactsByRef',
      'artifactFileByRef',
      'artifactsById',
      'artifactFileById',
      'artifactsTree',
    ],
  },
  routeTables: ['currentJob', 'artifactsTree', 'projectArtifacts', 'triggerJobs'],
  // lib/api/ci/job_artifacts.rb: `optional :search_recent_successful_pipelines`
  // (`Ci::Build.latest_with_artifacts_for_ref`, up to 100 recent successful pipelines);
  // lib/api/ci/job_artifacts.rb `artifact_etag`: `ETag: "<sha256>"`.
  artifactDownloads: { searchRecentLimit: 100, etagFlag: 'workhorse_download_etag_caching' },
  // lib/api/ci/pipelines.rb (`trigger_jobs`, `/bridges`); lib/api/ci/jobs.rb retry: `find_job!`.
  triggerJobs: { records: true, retry: true },
  webScope: '/-',
}

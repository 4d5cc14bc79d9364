import type { GitLabProfile } from './profile.js'

/** GitLab 13.0 (May 2020), read from its source: lib/api/jobs.rb, lib/api/entities/, lib/api/helpers.rb. */
export const gitlab13_0: GitLabProfile = {
  version: '13.0',
  // app/models/concerns/has_status.rb
  statuses: [
    'created',
    'waiting_for_resource',
    'preparing',
    'pending',
    'running',
    'success',
    'failed',
    'canceled',
    'skipped',
    'manual',
    'scheduled',
  ],
  messages: {
    // lib/api/helpers.rb (12.10/13.0): `['403 Forbidden', " - #{reason}"].join(' ')`, hence two spaces.
    forbidden: (reason) => (reason ? `403 Forbidden  - ${reason}` : '403 Forbidden'),
    // lib/api/helpers.rb (12.10/13.0): `def bad_request!(attribute)` renders `400 (Bad request) "x" not given`.
    // Without one it raised ArgumentError, a 500; the fake answers as later GitLab does (it never
    // answers bad input with a 500).
    badRequest: (reason) => (reason ? `400 (Bad request) "${reason}" not given` : '400 Bad request'),
  },
  accessTokens: {
    // lib/gitlab/auth.rb: API_SCOPES, REPOSITORY_SCOPES, REGISTRY_SCOPES, ADMIN_SCOPES
    scopes: [
      'api',
      'read_user',
      'read_api',
      'read_repository',
      'write_repository',
      'read_registry',
      'write_registry',
      'sudo',
    ],
    // lib/api/api.rb: `allow_access_with_scope :api` and `allow_access_with_scope :read_api,
    // if: -> (request) { request.get? }`: not HEAD (later GitLab added `|| request.head?`).
    routeScopes: [{ name: 'api' }, { name: 'read_api', methods: ['GET'] }],
  },
  entities: {
    // lib/api/entities/job_basic.rb + job.rb
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
      'duration',
      'user',
      'commit',
      'pipeline',
      'web_url',
      'artifacts_file',
      'artifacts',
      'runner',
      'artifacts_expire_at',
    ],
    // lib/api/entities/pipeline_basic.rb (project_id came later)
    pipelineBasic: ['id', 'sha', 'ref', 'status', 'created_at', 'updated_at', 'web_url'],
    // lib/api/entities/commit.rb
    commit: [
      'id',
      'short_id',
      'created_at',
      'parent_ids',
      'title',
      'message',
      'author_name',
      'author_email',
      'authored_date',
      'committer_name',
      'committer_email',
      'committed_date',
    ],
    // lib/api/entities/user_safe.rb, user_basic.rb, user.rb
    user: [
      'id',
      'name',
      'username',
      'state',
      'avatar_url',
      'web_url',
      'created_at',
      'bio',
      'location',
      'public_email',
      'skype',
      'linkedin',
      'twitter',
      'website_url',
      'organization',
    ],
    // lib/api/entities/runner.rb
    runner: ['id', 'description', 'ip_address', 'active', 'is_shared', 'name', 'online', 'status'],
    // lib/api/entities/user_basic.rb (no runner shows its creator)
    userBasic: ['id', 'name', 'username', 'state', 'avatar_url', 'web_url'],
    runnerManager: [],
    // The seed documents no trigger jobs: the fake's 13.0 has none.
    bridge: [],
    // lib/api/entities/job_artifact.rb, job_artifact_file.rb
    jobArtifact: ['file_type', 'size', 'filename', 'file_format'],
    jobArtifactFile: ['filename', 'size'],
  },
  runnerIpAddress: 'runner',
  pagination: {
    // config/initializers/kaminari_config.rb
    defaultPerPage: 20,
    maxPerPage: 100,
    // Kaminari::ActiveRecordRelationMethods::MAX_COUNT_LIMIT
    countLimit: 10_000,
    countLimitFlag: 'api_kaminari_count_with_limit',
    // lib/gitlab/pagination/offset_pagination.rb: `params[:per_page]&.nonzero?`
    zeroPerPage: 'default',
  },
  featureFlags: {
    // lib/gitlab/pagination/offset_pagination.rb: `return pagination_data unless
    // Feature.enabled?(:api_kaminari_count_with_limit)`; lib/feature.rb: "The default is
    // `disabled`" (config/feature_flags/ops/api_kaminari_count_with_limit.yml, later:
    // `default_enabled: false`). GitLab.com turned it on.
    api_kaminari_count_with_limit: false,
  },
  // app/models/ci/pipeline.rb: `def self.newest_first(ref: nil, sha: nil, limit: 100)`, and
  // `latest_successful_for_ref(ref)` is `newest_first(ref: ref).success.take`.
  newestPipelinesLimit: 100,
  projectJobs: { withoutCount: false, refParam: false, keyset: null },
  pipelineJobs: {
    order: 'asc',
    includeRetriedParam: false,
    unreadableJobs: 'forbidden',
    scopeHash: 'values',
  },
  // lib/api/jobs.rb, lib/api/job_artifacts.rb: `authorize_update_builds!` (and the like) before
  // `find_build!`, then the ability on the build.
  jobChecks: {
    cancel: { project: 'update_build', job: 'update_build' },
    retry: { project: 'update_build', job: 'update_build' },
    erase: { project: 'update_build', job: 'erase_build' },
    play: { project: 'read_build', job: 'update_build' },
    keepArtifacts: { project: 'update_build', job: 'update_build' },
    deleteArtifacts: { project: 'destroy_artifacts', job: 'destroy_artifacts' },
  },
  // app/models/ci/build.rb: `retryable?` is `success? || failed? || canceled?`; lib/api/jobs.rb
  // presents `build` after `build.play`.
  jobActions: {
    retryable: { statuses: ['success', 'failed', 'canceled'], retried: true },
    playAnswers: 'given',
    gracefulCancel: false,
    forceCancel: null,
    inputs: false,
    statsRefreshConflict: false,
  },
  rateLimits: { jobsIndex: null },
  trace: { byteLimitMax: null, debugMode: false },
  // lib/gitlab/auth/auth_finders.rb `find_user_from_job_token`: any job's token, its job's user;
  // lib/api/job_artifacts.rb: `job_token_allowed: true` on the archive downloads only.
  jobTokens: {
    validStatuses: null,
    scope: 'none',
    bearer: false,
    routes: ['artifactsByRef', 'artifactsById'],
  },
  routeTables: [],
  artifactDownloads: { searchRecentLimit: null, etagFlag: null },
  triggerJobs: { records: false, retry: false },
  webScope: '/-',
}

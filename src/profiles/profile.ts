import type { KeysetOrder } from '../api/keyset-pagination.js'
import type { RetryRule } from '../domain/job-actions.js'
import type { Ability, JobAbility } from '../domain/permissions.js'
import type { RateLimit } from '../domain/rate-limiter.js'

/**
 * What differs between GitLab versions: statuses, messages, entity fields and their order,
 * pagination rules. A profile for another GitLab version is a new file beside gitlab-13.0.ts.
 */
export interface GitLabProfile {
  readonly version: string
  /** `CommitStatus::AVAILABLE_STATUSES`, the values `scope` accepts. */
  readonly statuses: readonly string[]
  readonly messages: {
    /** `forbidden!(reason)` in lib/api/helpers.rb */
    forbidden(reason?: string): string
    /** `bad_request!(reason)` in lib/api/helpers.rb; without a reason, `bad_request!` */
    badRequest(reason?: string): string
  }
  /** Personal access tokens. */
  readonly accessTokens: {
    /** The scopes a token may hold (lib/gitlab/auth.rb). */
    readonly scopes: readonly string[]
    /**
     * The scopes every route accepts (`allow_access_with_scope` on API::API), each with the
     * methods its `if:` lets through (none: every method).
     */
    readonly routeScopes: readonly { readonly name: string; readonly methods?: readonly string[] }[]
  }
  /** Entity keys in `expose` order, parent class first. */
  readonly entities: {
    readonly job: readonly string[]
    readonly pipelineBasic: readonly string[]
    readonly commit: readonly string[]
    readonly user: readonly string[]
    readonly runner: readonly string[]
    /** The runner's creator (`created_by`, where the runner shows it). */
    readonly userBasic: readonly string[]
    /** lib/api/entities/ci/runner_manager.rb (none in a version without runner managers). */
    readonly runnerManager: readonly string[]
    /** lib/api/entities/ci/bridge.rb: JobBasic's keys, then `downstream_pipeline`. */
    readonly bridge: readonly string[]
    readonly jobArtifact: readonly string[]
    readonly jobArtifactFile: readonly string[]
  }
  /**
   * The runner's `ip_address`: the runner's own ('runner'), or always null ('none': it moved to
   * the runner managers, lib/api/entities/ci/runner.rb).
   */
  readonly runnerIpAddress: 'runner' | 'none'
  readonly pagination: {
    /** Kaminari's default and maximum page size. */
    readonly defaultPerPage: number
    readonly maxPerPage: number
    /** Above this many rows the count headers are dropped, when `countLimitFlag` is on. */
    readonly countLimit: number
    /** The feature flag that turns the count limit on (null: it always applies). */
    readonly countLimitFlag: string | null
    /** `per_page=0`: 'default' falls back to defaultPerPage, 'reject' answers 400. */
    readonly zeroPerPage: 'default' | 'reject'
  }
  /**
   * GitLab's feature flags that change what these routes answer, each with its default on a
   * self-managed install; `createGitLabFake({ featureFlags })` sets them.
   */
  readonly featureFlags: Readonly<Record<string, boolean>>
  /**
   * `Ci::Pipeline.newest_first(ref:)`: how many of a ref's newest pipelines the artifact downloads
   * by ref look among for a successful one (null: all of them).
   */
  readonly newestPipelinesLimit: number | null
  readonly projectJobs: {
    /** `paginate(builds, without_count: true)`: no `X-Total`, `X-Total-Pages` or `rel="last"`, ever. */
    readonly withoutCount: boolean
    /** `optional :ref, type: String`: only the jobs of that ref (`builds.with_ref`), when present. */
    readonly refParam: boolean
    /**
     * `pagination=keyset` (lib/api/helpers/pagination_strategies.rb): the one ordering
     * cursor-based keyset pagination supports for `Ci::Build`
     * (`Gitlab::Pagination::CursorBasedKeyset::SUPPORTED_ORDERING`); null: the param is ignored.
     */
    readonly keyset: KeysetOrder | null
  }
  readonly pipelineJobs: {
    /** 13.0 lists `pipeline.builds` in id ASC, retried jobs included. */
    readonly order: 'asc' | 'desc'
    /**
     * `optional :include_retried, type: Boolean, default: false`: retried jobs are left out unless
     * it is true (`Ci::JobsFinder`). Without the param, every job is listed.
     */
    readonly includeRetriedParam: boolean
    /**
     * A caller who may read the pipeline but not its jobs: 'forbidden' (13.0,
     * `authorize!(:read_build, user_project)`) or 'empty' (`Ci::JobsFinder`: 200 `[]`).
     */
    readonly unreadableJobs: 'forbidden' | 'empty'
    /**
     * What `scope` in the Hash form (`scope[0]=failed`) stands for: its values (13.0, lib/api/jobs.rb
     * `optional_scope`), or `['unknown']`, refused (today's lib/api/ci/helpers/pipelines_helpers.rb
     * `coerce_with`, which wraps a String and keeps an Array only). The project's jobs list keeps
     * the values in every version.
     */
    readonly scopeHash: 'values' | 'unknown'
  }
  /** The abilities each job action asks, on the project and then on the job found. */
  readonly jobChecks: {
    readonly cancel: JobChecks
    readonly retry: JobChecks
    readonly erase: JobChecks
    readonly play: JobChecks
    readonly keepArtifacts: JobChecks
    readonly deleteArtifacts: JobChecks
  }
  readonly jobActions: {
    /** `retryable?` (app/models/ci/processable.rb, app/models/ci/build.rb) */
    readonly retryable: RetryRule
    /**
     * What play answers after it retried a finished action: 'given' (the job it was given, as
     * `present build` shows it) or 'played' (the new job, `result.payload[:job]`).
     */
    readonly playAnswers: 'given' | 'played'
    /**
     * `transition running: :canceling, if: :supports_canceling?` (app/models/commit_status.rb): a
     * running job whose runner manager reports `runtime_features.cancel_gracefully` is canceled
     * through `canceling` (false: cancel goes straight to canceled).
     */
    readonly gracefulCancel: boolean
    /**
     * `optional :force, type: Boolean` on cancel and the ability it asks of the job
     * (`authorize!(:force_cancel_build, build)`); null: cancel takes no `force`.
     */
    readonly forceCancel: JobAbility | null
    /**
     * Retry's `optional :inputs, type: Hash`, play's `optional :job_variables_attributes, type:
     * Array` (of `key` and `value`, both required Strings) and `optional :job_inputs, type: Hash`
     * (lib/api/ci/jobs.rb); false: the routes declare none of them, and ignore them.
     */
    readonly inputs: boolean
    /**
     * `reject_if_build_artifacts_size_refreshing!` (lib/api/helpers/
     * project_stats_refresh_conflicts_helpers.rb): erase and artifact deletion answer 409 while
     * the project's build artifacts size is refreshed, and project fixtures may say it is.
     */
    readonly statsRefreshConflict: boolean
  }
  readonly trace: {
    /**
     * `optional :byte_offset, values: 0..` and `optional :byte_limit, values: 1..max`: the largest
     * `byte_limit` (null: the trace route takes neither param).
     */
    readonly byteLimitMax: number | null
    /**
     * `authorize_read_build_trace!`: Ci::BuildPolicy's `rule { debug_mode & ~project_update_build
     * }.prevent :read_build_trace`, a 403 for who may not update builds; job fixtures may then set
     * `debug_trace_enabled`.
     */
    readonly debugMode: boolean
  }
  /**
   * The application rate limits the routes check (lib/gitlab/application_rate_limiter.rb), with
   * GitLab's default threshold; null: the version has none.
   */
  readonly rateLimits: {
    /**
     * `check_rate_limit!(:jobs_index, scope: current_user)` on GET /projects/:id/jobs, right after
     * the params, before the project is looked for; the threshold is the application setting
     * `project_jobs_api_rate_limit` (`createGitLabFake({ projectJobsApiRateLimit })`).
     */
    readonly jobsIndex: RateLimit | null
  }
  /** CI job tokens (`CI_JOB_TOKEN`) as credentials. */
  readonly jobTokens: {
    /**
     * The statuses in which a job's token authenticates, and only while the job is not erased
     * (`Ci::AuthJobFinder#validate_executing_job!`: `EXECUTING_STATUSES`); null: any job's token.
     */
    readonly validStatuses: readonly string[] | null
    /**
     * 'allowlist': a job token reaches another project only from a project on its inbound
     * allowlist (`Ci::JobToken::Scope`), else 403 naming both (`handle_job_token_failure!`);
     * 'none': wherever the job's user may go.
     */
    readonly scope: 'allowlist' | 'none'
    /**
     * `find_user_from_job_bearer_token` (lib/gitlab/auth/auth_finders.rb, since 13.10): on the
     * routes that take a job token, `Authorization: Bearer` may carry one, tried before an access
     * token.
     */
    readonly bearer: boolean
    /** The routes that take one (`route_setting :authentication, job_token_allowed: true`). */
    readonly routes: readonly JobTokenRoute[]
  }
  /**
   * The route tables beyond the Jobs and job artifacts routes every version has (src/api/routes.ts):
   * 'currentJob' (`GET /job`), 'artifactsTree', 'projectArtifacts' (`DELETE /projects/:id/artifacts`),
   * 'triggerJobs' (a pipeline's trigger jobs, and the deprecated `/bridges`).
   */
  readonly routeTables: readonly RouteTable[]
  readonly artifactDownloads: {
    /**
     * `search_recent_successful_pipelines`: the by-ref downloads may look past the ref's latest
     * successful pipeline, among this many recent successful ones (null: no such param).
     */
    readonly searchRecentLimit: number | null
    /**
     * The feature flag under which downloads carry a strong `ETag` (the archive's SHA-256, quoted;
     * a file's, the SHA-256 of `<archive sha256>:<path>`) and a matching `If-None-Match` is a 304
     * (lib/api/ci/job_artifacts.rb `artifact_etag`); null: the version sends none.
     */
    readonly etagFlag: string | null
  }
  /**
   * Trigger jobs (`Ci::Bridge`): whether fixtures may give a pipeline its `trigger_jobs`, and
   * whether retry and play find them (`find_job!`: `user_project.processables`; else `builds`,
   * a 404).
   */
  readonly triggerJobs: { readonly records: boolean; readonly retry: boolean }
  /** URL segment between a project path and `pipelines`/`jobs` in web URLs. */
  readonly webScope: string
}

/** A route that may take a CI job token. */
export type JobTokenRoute =
  | 'projectJobs'
  | 'pipelineJobs'
  | 'triggerJobs'
  | 'currentJob'
  | 'artifactsByRef'
  | 'artifactFileByRef'
  | 'artifactsById'
  | 'artifactFileById'
  | 'artifactsTree'

export type RouteTable = 'currentJob' | 'artifactsTree' | 'projectArtifacts' | 'triggerJobs'

/**
 * What a single-job route authorizes: an ability on the project (before the job is looked for),
 * then one on the job.
 */
export interface JobChecks {
  readonly project?: Ability
  readonly job?: JobAbility
}

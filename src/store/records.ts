/** Plain records, as GitLab's tables hold them. Times are epoch milliseconds unless noted. */

export type AccessLevel = 10 | 20 | 30 | 40 | 50

export const ACCESS_LEVELS = {
  guest: 10,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const satisfies Record<string, AccessLevel>

export interface UserRecord {
  id: number
  username: string
  name: string
  state: 'active' | 'blocked'
  admin: boolean
  /** An external user: internal projects are hidden from them unless they are members. */
  external: boolean
  /** Personal access tokens. */
  tokens: PersonalAccessTokenRecord[]
  avatar_url: string
  created_at: number
  bio: string | null
  location: string | null
  public_email: string
  skype: string
  linkedin: string
  twitter: string
  website_url: string
  organization: string | null
  discord: string
  job_title: string
  pronouns: string | null
  /** A bot user (a project or group access token's, a service account). */
  bot: boolean
}

/** A personal access token, as GitLab's `personal_access_tokens` holds it. */
export interface PersonalAccessTokenRecord {
  token: string
  /** What it may be used for (`api`, `read_api`, `sudo`, …): lib/gitlab/auth.rb. */
  scopes: string[]
  /** The day it expires (`YYYY-MM-DD`, a date column), from that day's midnight UTC on; null: never. */
  expires_at: string | null
  revoked: boolean
}

export type Visibility = 'private' | 'internal' | 'public'

export interface ProjectRecord {
  id: number
  path_with_namespace: string
  visibility: Visibility
  /** "Public pipelines": anyone who can read the project can read its jobs. */
  public_builds: boolean
  /** The CI/CD feature (`builds_access_level`): for everyone with access, members only, or off. */
  builds_access_level: 'enabled' | 'private' | 'disabled'
  /** An archived project is read-only. */
  archived: boolean
  /** "Limit access from this project" (`ci_outbound_job_token_scope_enabled`). */
  ci_job_token_scope_enabled: boolean
  /**
   * "Limit access to this project" (`ci_inbound_job_token_scope_enabled`): only the projects of
   * `job_token_allowlist` (and this one) may use their job tokens here.
   */
  ci_inbound_job_token_scope_enabled: boolean
  /** The projects whose CI job tokens may reach this one (`ci_job_token_project_scope_links`), by id. */
  job_token_allowlist: number[]
  /** Its build artifacts' size is being refreshed: erase and artifact deletion wait (409). */
  refreshing_build_artifacts_size: boolean
  /** user id → access level */
  members: Record<number, AccessLevel>
  protected_branches: ProtectedBranch[]
  protected_tags: ProtectedTag[]
}

/** Who may push or merge (0: no one). `name` may hold `*` wildcards, as in GitLab. */
export interface ProtectedBranch {
  name: string
  push_access_level: 0 | 30 | 40
  merge_access_level: 0 | 30 | 40
}

export interface ProtectedTag {
  name: string
  create_access_level: 0 | 30 | 40
}

/** Git commit; its dates keep their own offset, as Git does (`2015-12-24T16:51:14.000+01:00`). */
export interface CommitRecord {
  project_id: number
  id: string
  short_id: string
  title: string
  message: string
  parent_ids: string[]
  author_name: string
  author_email: string
  authored_date: string
  committer_name: string
  committer_email: string
  committed_date: string
  created_at: string
}

export interface PipelineRecord {
  id: number
  /** Its number within the project. */
  iid: number
  project_id: number
  sha: string
  ref: string
  tag: boolean
  status: string
  /** What made it (`source`): push, web, trigger, schedule, api, parent_pipeline, … */
  source: string
  user_id: number | null
  created_at: number
  updated_at: number
}

export interface RunnerRecord {
  id: number
  description: string
  ip_address: string | null
  active: boolean
  is_shared: boolean
  name: string | null
  online: boolean
  status: string
  created_at: number
  /** The user who registered it (`creator_id`); null: none recorded. */
  created_by_id: number | null
  /** Its runner managers (`ci_runner_machines`): one a machine its token runs on. */
  managers: RunnerManagerRecord[]
}

/** A runner manager: the runner's process on one machine (`Ci::RunnerManager`). */
export interface RunnerManagerRecord {
  id: number
  /** `system_xid`: the machine's id, as the runner reports it. */
  system_id: string
  version: string | null
  revision: string | null
  platform: string | null
  architecture: string | null
  created_at: number
  contacted_at: number | null
  ip_address: string | null
  /** online, offline, stale or never_contacted */
  status: string
  /**
   * What the machine told GitLab it can do (`ci_runner_machines.runtime_features`):
   * `cancel_gracefully` lets a running job's cancel wait for its `after_script`
   * (`Ci::RunnerManager#supports_after_script_on_cancel?`). Absent: nothing reported.
   */
  runtime_features?: { cancel_gracefully: boolean }
}

export interface ArtifactRecord {
  file_type: string
  filename: string
  file_format: string
  size: number
  /** Key of the file's bytes in the store's blobs; null for the trace, whose bytes are the job's log. */
  blob: string | null
  /**
   * The row's own expiry, set apart from its job's `artifacts_expire_at` (DELETE
   * /projects/:id/artifacts expires rows now and leaves the build's column); absent: the job's.
   */
  expire_at?: number
}

export interface JobRecord {
  id: number
  project_id: number
  pipeline_id: number
  name: string
  stage: string
  ref: string
  tag: boolean
  when: 'on_success' | 'on_failure' | 'always' | 'manual' | 'delayed'
  status: string
  allow_failure: boolean
  coverage: number | null
  created_at: number
  started_at: number | null
  finished_at: number | null
  user_id: number | null
  runner_id: number | null
  /** The runner manager (of its runner) that took it; null: none. */
  runner_manager_id: number | null
  /** The job's log; null when it has none. */
  trace: string | null
  artifacts: ArtifactRecord[]
  artifacts_expire_at: number | null
  erased_at: number | null
  erased_by_id: number | null
  /** When it last became pending (`queued_at`); null: it never was. */
  queued_at: number | null
  /** Why it failed (`failure_reason`, an `Enums::Ci::CommitStatus.failure_reasons` key); null unless failed. */
  failure_reason: string | null
  /** The runner tags it asks for (`tag_list`). */
  tag_list: string[]
  /** Older than the instance's "archive jobs" setting (`archived?`): no longer retried or played. */
  archived: boolean
  /** Debug logging on (`debug_trace_enabled`, `CI_DEBUG_TRACE`): the log is for Developers and up. */
  debug_trace_enabled: boolean
  /** A newer job of the same name in the same pipeline replaced this one. */
  retried: boolean
  /** CI_JOB_TOKEN */
  token: string
  /** `when: delayed`: how long after its stage is reached it starts (`start_in`), in ms. */
  start_in: number | null
  /** A scheduled job's start time (`scheduled_at`). */
  scheduled_at: number | null
  /** How the simulated runner runs this job; null: it stands where it is until driven by hand. */
  run: JobRun | null
  /** How far the runner is with it (log lines written, reads counted). */
  run_state: RunState | null
}

/** How a job runs: data, so that a fixture can say it. Times in ms. */
export interface JobRun {
  /** From pending to running. */
  readonly queued: number
  /** From running to finished. */
  readonly duration: number
  readonly status: 'success' | 'failed'
  /** Log lines and when, after the start, each is written. */
  readonly log: readonly { readonly at: number; readonly text: string }[]
  /** What the job uploads when it finishes: built when the plan is made, shown from then on. */
  readonly artifacts: readonly ArtifactRecord[]
  /** `artifacts:expire_in`, in ms; null: they never expire. */
  readonly expire_in: number | null
  /** What moves it: the clock, reads of the job, or only calls by hand; null: the fake's default. */
  readonly progress: 'clock' | 'reads' | 'manual' | null
  /** With `progress: 'reads'`: reads of the job per step; null: the fake's default. */
  readonly reads: number | null
  /** The runner that takes it; null: the first active runner, if any. */
  readonly runner: number | null
}

export interface RunState {
  /** Log lines written so far. */
  readonly logged: number
  /** Reads of the job since its last step (`progress: 'reads'`). */
  readonly reads: number
}

/**
 * A trigger job (`Ci::Bridge`): a job of a pipeline that starts another pipeline, its downstream,
 * instead of running on a runner. Its id is of the jobs' sequence; the builds' routes never list it.
 */
export interface BridgeRecord {
  id: number
  project_id: number
  pipeline_id: number
  name: string
  stage: string
  ref: string
  tag: boolean
  when: 'on_success' | 'on_failure' | 'always' | 'manual' | 'delayed'
  status: string
  allow_failure: boolean
  created_at: number
  started_at: number | null
  finished_at: number | null
  queued_at: number | null
  user_id: number | null
  /** Why it failed; null unless failed. */
  failure_reason: string | null
  archived: boolean
  retried: boolean
  /** The pipeline it started; null: none yet. */
  downstream_pipeline_id: number | null
}

export interface Records {
  users: UserRecord[]
  projects: ProjectRecord[]
  commits: CommitRecord[]
  pipelines: PipelineRecord[]
  runners: RunnerRecord[]
  jobs: JobRecord[]
  /** Absent in records made before trigger jobs were kept. */
  bridges?: BridgeRecord[]
}

import { z } from 'zod'
import { parseDuration } from '../domain/clock.js'
import { gitlab13_0 } from '../profiles/gitlab-13.0.js'
import { profiles } from '../profiles/index.js'
import type { GitLabProfile } from '../profiles/profile.js'

/**
 * The fixture format: one JSON document with users, runners and projects; a project holds its
 * pipelines and a pipeline its jobs. Every field but a few names is optional; what a fixture
 * leaves out is filled with faker values. Unknown fields are refused, so that a typo is named.
 */

const id = z.number().int().positive()
const time = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
const nullableTime = time.nullable()
/** A user named by username or id. */
const userRef = z.union([z.string().min(1), id])

export const accessLevelSchema = z.union([
  z.enum(['guest', 'reporter', 'developer', 'maintainer', 'owner']),
  z.union([z.literal(10), z.literal(20), z.literal(30), z.literal(40), z.literal(50)]),
])

/**
 * A personal access token: its string alone is an `api` token that never expires; or the token
 * with its `scopes` (GitLab 13.0's, default `["api"]`), `expires_at` (a date) and `revoked`.
 */
export const tokenSchema = z.union([
  z.string().min(1),
  z.strictObject({
    token: z.string().min(1),
    scopes: z
      .array(z.enum(gitlab13_0.accessTokens.scopes as [string, ...string[]]))
      .min(1, 'must hold at least one scope')
      .optional(),
    expires_at: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }).nullable().optional(),
    revoked: z.boolean().optional(),
  }),
])

export const userSchema = z.strictObject({
  id: id.optional(),
  username: z
    .string()
    .regex(/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/, 'must be a GitLab username')
    .optional(),
  name: z.string().optional(),
  state: z.enum(['active', 'blocked']).optional(),
  admin: z.boolean().optional(),
  /** An external user: internal projects are hidden from them unless they are members. */
  external: z.boolean().optional(),
  tokens: z.array(tokenSchema).optional(),
  avatar_url: z.string().optional(),
  created_at: time.optional(),
  bio: z.string().nullable().optional(),
  location: z.string().nullable().optional(),
  public_email: z.string().optional(),
  skype: z.string().optional(),
  linkedin: z.string().optional(),
  twitter: z.string().optional(),
  website_url: z.string().optional(),
  organization: z.string().nullable().optional(),
})

/** A runner manager: the runner's process on one machine (lib/api/entities/ci/runner_manager.rb). */
export const runnerManagerSchema = z.strictObject({
  id: id.optional(),
  /** The machine's id as the runner reports it (`system_xid`), e.g. `s_89e5e9956577`. */
  system_id: z.string().min(1).optional(),
  version: z.string().nullable().optional(),
  revision: z.string().nullable().optional(),
  platform: z.string().nullable().optional(),
  architecture: z.string().nullable().optional(),
  created_at: time.optional(),
  contacted_at: nullableTime.optional(),
  ip_address: z.string().nullable().optional(),
  /** `Ci::RunnerManager#status`. Default: online, or offline as its runner is. */
  status: z.enum(['online', 'offline', 'stale', 'never_contacted']).optional(),
  /**
   * What the machine reports it can do (`runtime_features`): `cancel_gracefully` makes cancel of
   * a running job it runs go to `canceling` until the runner finishes it.
   */
  runtime_features: z.strictObject({ cancel_gracefully: z.boolean().optional() }).optional(),
})

export const runnerSchema = z.strictObject({
  id: id.optional(),
  description: z.string().optional(),
  ip_address: z.string().nullable().optional(),
  active: z.boolean().optional(),
  is_shared: z.boolean().optional(),
  name: z.string().nullable().optional(),
  online: z.boolean().optional(),
  status: z.string().optional(),
  /** The user who registered it; shown (as `created_by`) to whoever may read that user. */
  created_by: userRef.nullable().optional(),
  created_at: time.optional(),
  /** Its runner managers, one a machine it runs on. */
  managers: z.array(runnerManagerSchema).optional(),
})

const sha = z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-character hex SHA')

export const commitSchema = z.strictObject({
  id: sha.optional(),
  short_id: z.string().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  parent_ids: z.array(sha).optional(),
  author_name: z.string().optional(),
  author_email: z.string().optional(),
  authored_date: time.optional(),
  committer_name: z.string().optional(),
  committer_email: z.string().optional(),
  committed_date: time.optional(),
  created_at: time.optional(),
})

/** A file's content: text, or bytes as `{ "base64": "…" }`. */
export const fileContentSchema = z.union([z.string(), z.strictObject({ base64: z.base64() })])

/** A path inside an archive: relative, no `.` or `..` segments, no empty segment, no NUL. */
const archivePath = z
  .string()
  .min(1)
  .refine(
    (p) =>
      !p.startsWith('/') &&
      !p.includes('\0') &&
      p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
    'must be a relative path without "." or ".." segments',
  )
  // Workhorse names the file in a header, which carries no control characters.
  .refine((p) => ![...p].some((c) => c < ' ' || c === '\u007f'), 'must not hold control characters')

export const artifactSchema = z.strictObject({
  file_type: z.string().min(1),
  filename: z.string().min(1).optional(),
  file_format: z.enum(['zip', 'gzip', 'raw']).optional(),
  /** The file's size in bytes; the file is built to be exactly that long. */
  size: z.number().int().nonnegative().optional(),
  /** For the archive: the files inside it (path → content). Left out, faker writes some. */
  files: z.record(archivePath, fileContentSchema).optional(),
  /** For a report (junit, metadata, …): its content before compression. */
  content: fileContentSchema.optional(),
  /** The row's own expiry, apart from its job's `artifacts_expire_at` (as DELETE /projects/:id/artifacts sets). */
  expire_at: time.optional(),
})

/**
 * The statuses a job can stand in, in any version the fake knows (`AVAILABLE_STATUSES`); a load
 * refuses one the chosen version does not have.
 */
export const jobStatusSchema = z.enum([...new Set(Object.values(profiles).flatMap((p) => p.statuses))] as [
  string,
  ...string[],
])

/** A duration: `"90s"`, `"1h30m"`, `"2 days"`, or milliseconds. */
const duration = z.union([
  z
    .number()
    .nonnegative()
    .max(100 * 365 * 86_400_000, 'must be at most 100 years'),
  z.string().refine((text) => {
    try {
      parseDuration(text, '')
      return true
    } catch {
      return false
    }
  }, 'must be a duration such as "90s", "1h30m" or "2 days", or milliseconds'),
])

/** How the simulated runner runs a job. `true`: a short success with a few log lines. */
export const runSchema = z.union([
  z.literal(true),
  z.strictObject({
    /** From pending to running. Default 1s. */
    queued: duration.optional(),
    /** From running to finished. Default 10s. */
    duration: duration.optional(),
    /** How it ends. Default success. */
    status: z.enum(['success', 'failed']).optional(),
    /** The log lines it writes, spread over its duration, or each at its time after the start. */
    log: z.array(z.union([z.string(), z.strictObject({ at: duration, text: z.string() })])).optional(),
    /** What it uploads when it finishes. */
    artifacts: z.array(z.lazy(() => artifactSchema)).optional(),
    /** `artifacts:expire_in`: `"1 week"`, `"never"`. Default: they never expire. */
    expire_in: z.union([z.literal('never'), duration]).optional(),
    /** What moves it: `clock` (the default), `reads` of the job, or `manual` (calls by hand only). */
    progress: z.enum(['clock', 'reads', 'manual']).optional(),
    /** With `progress: "reads"`: reads of the job per step. Default 1. */
    reads: z.number().int().positive().optional(),
    /** The runner that takes it. Default: the first active runner. */
    runner: id.optional(),
  }),
])

export const jobSchema = z.strictObject({
  id: id.optional(),
  name: z.string().min(1).optional(),
  stage: z.string().min(1).optional(),
  status: jobStatusSchema.optional(),
  when: z.enum(['on_success', 'on_failure', 'always', 'manual', 'delayed']).optional(),
  ref: z.string().min(1).optional(),
  tag: z.boolean().optional(),
  allow_failure: z.boolean().optional(),
  coverage: z.number().nullable().optional(),
  created_at: time.optional(),
  started_at: nullableTime.optional(),
  finished_at: nullableTime.optional(),
  user: userRef.nullable().optional(),
  runner: id.nullable().optional(),
  trace: z.string().nullable().optional(),
  /** Exactly these artifact rows; left out, a finished job with a trace gets its trace row. */
  artifacts: z.array(artifactSchema).optional(),
  artifacts_expire_at: nullableTime.optional(),
  retried: z.boolean().optional(),
  token: z.string().min(1).optional(),
  /** `when: delayed`: how long after its stage is reached it starts. Default 1h, as GitLab has none. */
  start_in: duration.optional(),
  /** A scheduled job's start time. */
  scheduled_at: nullableTime.optional(),
  /** How the simulated runner runs it; left out, it stands where it is until driven by hand. */
  run: runSchema.optional(),
  /** Why a failed job failed. Default `script_failure`. */
  failure_reason: z
    .string()
    .regex(/^[a-z0-9_]+$/, 'must be a failure reason such as script_failure')
    .optional(),
  /** The runner tags it asks for. */
  tag_list: z.array(z.string().min(1)).optional(),
  /** When it became pending; default its created_at, if its status says it was queued. */
  queued_at: nullableTime.optional(),
  /** Or how long it stood queued, in seconds, until it started (or finished, or now). */
  queued_duration: z.number().nonnegative().nullable().optional(),
  /** Older than the instance's "archive jobs" setting. */
  archived: z.boolean().optional(),
  /** When it was erased (`Ci::BuildEraseService`), as the job entity shows it. */
  erased_at: nullableTime.optional(),
  /**
   * Debug logging on (`debug_trace_enabled`, as `CI_DEBUG_TRACE: "true"` sets it): its log is
   * only for those who may update builds.
   */
  debug_trace_enabled: z.boolean().optional(),
  /** The id of the runner manager (of its `runner`) that took it. */
  runner_manager: id.nullable().optional(),
})

/**
 * The job fields only some versions have, each with the entity key that shows it: a fixture may
 * give one only to a version whose job entity shows it.
 */
export const VERSIONED_JOB_FIELDS: ReadonlyMap<string, string> = new Map([
  ['failure_reason', 'failure_reason'],
  ['tag_list', 'tag_list'],
  ['queued_at', 'queued_duration'],
  ['queued_duration', 'queued_duration'],
  ['archived', 'archived'],
  ['erased_at', 'erased_at'],
])

/** `Enums::Ci::Pipeline.sources` (app/models/concerns/enums/ci/pipeline.rb), but `unknown` (nil). */
export const PIPELINE_SOURCES = [
  'push',
  'web',
  'trigger',
  'schedule',
  'api',
  'external',
  'pipeline',
  'chat',
  'webide',
  'merge_request_event',
  'external_pull_request_event',
  'parent_pipeline',
  'ondemand_dast_scan',
  'ondemand_dast_validation',
  'security_orchestration_policy',
  'container_registry_push',
  'duo_workflow',
  'pipeline_execution_policy_schedule',
] as const

/** A trigger job: a job of the pipeline that starts another pipeline (its downstream). */
export const triggerJobSchema = z.strictObject({
  id: id.optional(),
  name: z.string().min(1).optional(),
  stage: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
  when: z.enum(['on_success', 'on_failure', 'always', 'manual', 'delayed']).optional(),
  allow_failure: z.boolean().optional(),
  created_at: time.optional(),
  started_at: nullableTime.optional(),
  finished_at: nullableTime.optional(),
  /** When it became pending; default its created_at, if its status says it was queued. */
  queued_at: nullableTime.optional(),
  user: userRef.nullable().optional(),
  /** Why a failed trigger job failed. Default `downstream_pipeline_creation_failed`. */
  failure_reason: z
    .string()
    .regex(/^[a-z0-9_]+$/, 'must be a failure reason such as downstream_pipeline_creation_failed')
    .optional(),
  archived: z.boolean().optional(),
  retried: z.boolean().optional(),
  /** The id of the pipeline it started (in this project or another); null: none. */
  downstream_pipeline: id.nullable().optional(),
})

/**
 * The runner, pipeline and project fields only some versions have: a fixture may give one only to
 * a version that has it (the entity key that shows it, or the rule that reads it).
 */
export const VERSIONED_FIELDS: {
  readonly [kind in 'runner' | 'pipeline' | 'project' | 'job' | 'artifact']: ReadonlyMap<
    string,
    (profile: GitLabProfile) => boolean
  >
} = {
  runner: new Map([
    ['created_by', (p) => p.entities.runner.includes('created_by')],
    ['created_at', (p) => p.entities.runner.includes('created_at')],
    ['managers', (p) => p.entities.job.includes('runner_manager')],
  ]),
  pipeline: new Map([
    ['source', (p) => p.entities.pipelineBasic.includes('source')],
    ['trigger_jobs', (p) => p.triggerJobs.records],
  ]),
  project: new Map([
    ['ci_job_token_scope_enabled', (p) => p.entities.job.includes('project')],
    ['ci_inbound_job_token_scope_enabled', (p) => p.jobTokens.scope === 'allowlist'],
    ['job_token_allowlist', (p) => p.jobTokens.scope === 'allowlist'],
    ['refreshing_build_artifacts_size', (p) => p.jobActions.statsRefreshConflict],
  ]),
  job: new Map([
    ['runner_manager', (p) => p.entities.job.includes('runner_manager')],
    ['debug_trace_enabled', (p) => p.trace.debugMode],
  ]),
  artifact: new Map([['expire_at', (p) => p.routeTables.includes('projectArtifacts')]]),
}

export const pipelineSchema = z.strictObject({
  id: id.optional(),
  /** What made it. Default `push`. */
  source: z.enum(PIPELINE_SOURCES).optional(),
  ref: z.string().min(1).optional(),
  tag: z.boolean().optional(),
  sha: sha.optional(),
  status: jobStatusSchema.optional(),
  user: userRef.nullable().optional(),
  created_at: time.optional(),
  updated_at: time.optional(),
  /** null: the commit is not in the repository (a force-push took it away); its jobs show no commit. */
  commit: commitSchema.nullable().optional(),
  jobs: z.array(jobSchema).optional(),
  /** Its trigger jobs (bridges), each with its downstream pipeline. */
  trigger_jobs: z.array(triggerJobSchema).optional(),
})

const pushLevel = z.union([
  z.enum(['no_one', 'developer', 'maintainer']),
  z.union([z.literal(0), z.literal(30), z.literal(40)]),
])

export const protectedBranchSchema = z.strictObject({
  name: z.string().min(1),
  push_access_level: pushLevel.optional(),
  merge_access_level: pushLevel.optional(),
})

export const protectedTagSchema = z.strictObject({
  name: z.string().min(1),
  create_access_level: pushLevel.optional(),
})

export const memberSchema = z.strictObject({
  user: userRef,
  access_level: accessLevelSchema,
})

export const projectSchema = z.strictObject({
  id: id.optional(),
  path: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, 'must be a full path such as "group/project"')
    .optional(),
  visibility: z.enum(['private', 'internal', 'public']).optional(),
  public_builds: z.boolean().optional(),
  /** The CI/CD feature: `enabled` (default), `private` (members only) or `disabled`. */
  builds_access_level: z.enum(['enabled', 'private', 'disabled']).optional(),
  /** An archived project is read-only: its jobs are read, never acted on. */
  archived: z.boolean().optional(),
  /** "Limit access from this project" (outbound job token scope). Default false. */
  ci_job_token_scope_enabled: z.boolean().optional(),
  /** "Limit access to this project": only allowlisted projects' job tokens reach it. Default true. */
  ci_inbound_job_token_scope_enabled: z.boolean().optional(),
  /** The projects (ids or full paths) whose CI job tokens may reach this one. */
  job_token_allowlist: z.array(z.union([id, z.string().min(1)])).optional(),
  /**
   * Its build artifacts' size is being refreshed (`refreshing_build_artifacts_size?`): erase and
   * artifact deletion answer 409 meanwhile.
   */
  refreshing_build_artifacts_size: z.boolean().optional(),
  members: z.array(memberSchema).optional(),
  /** Default: `master`, Maintainers allowed to push and merge (GitLab 13.0 protects the default branch). */
  protected_branches: z.array(protectedBranchSchema).optional(),
  protected_tags: z.array(protectedTagSchema).optional(),
  pipelines: z.array(pipelineSchema).optional(),
})

/** A pipeline added to a project that exists already (or that the same document adds). */
export const projectPipelineSchema = pipelineSchema.extend({ project: z.union([id, z.string().min(1)]) })

/** A branch protected in a project that exists already (or that the same document adds). */
export const projectProtectedBranchSchema = protectedBranchSchema.extend({
  project: z.union([id, z.string().min(1)]),
})

/** A tag protected in a project that exists already (or that the same document adds). */
export const projectProtectedTagSchema = protectedTagSchema.extend({
  project: z.union([id, z.string().min(1)]),
})

export const fixtureSchema = z.strictObject({
  users: z.array(userSchema).optional(),
  runners: z.array(runnerSchema).optional(),
  projects: z.array(projectSchema).optional(),
  pipelines: z.array(projectPipelineSchema).optional(),
  /** Protects a branch of a project (a rule of the same name is replaced). */
  protected_branches: z.array(projectProtectedBranchSchema).optional(),
  /** Protects a tag of a project (a rule of the same name is replaced). */
  protected_tags: z.array(projectProtectedTagSchema).optional(),
})

export type FixtureDocument = z.input<typeof fixtureSchema>
export type UserInput = z.input<typeof userSchema>
export type TokenInput = z.input<typeof tokenSchema>
export type RunnerInput = z.input<typeof runnerSchema>
export type TriggerJobInput = z.input<typeof triggerJobSchema>
export type RunnerManagerInput = z.input<typeof runnerManagerSchema>
export type ProjectInput = z.input<typeof projectSchema>
export type PipelineInput = z.input<typeof pipelineSchema>
export type JobInput = z.input<typeof jobSchema>
export type CommitInput = z.input<typeof commitSchema>
export type ArtifactInput = z.input<typeof artifactSchema>
export type RunInput = z.input<typeof runSchema>

/** A fixture that does not fit the format; the message names the field and the reason. */
export class FixtureError extends Error {
  override readonly name = 'FixtureError'
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message)
  }
}

/** Refuses a fixture, naming the field at fault. */
export function refuseFixture(path: string, message: string): never {
  throw new FixtureError(`Invalid fixture: ${path}: ${message}`, [{ path, message }])
}

/** `projects[0].pipelines[1].jobs[2].status` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out || '(document)'
}

export function parseWith<T extends z.ZodType>(schema: T, input: unknown, where = ''): z.output<T> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = result.error.issues.flatMap(unionBranch).map((issue) => ({
    path: formatPath([...(where ? [where] : []), ...issue.path]),
    message: describeIssue(issue),
  }))
  throw new FixtureError(
    `Invalid fixture: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  )
}

/**
 * A value that fits no option of a union (`run: true` or a plan): the issues of the option of
 * its own kind, so that the message names the field inside it (`run.progress`), not the union.
 */
function unionBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue]
  const ofItsKind = issue.errors.filter(
    (branch) =>
      !branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')),
  )
  if (ofItsKind.length !== 1) return [issue]
  return (ofItsKind[0] as z.core.$ZodIssue[]).flatMap((inner) =>
    unionBranch({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue),
  )
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`
  return issue.message
}

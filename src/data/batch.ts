import type { Faker } from '@faker-js/faker'
import { ArchiveSizeError, buildArchive, buildGzip, type FileContent } from '../domain/archive.js'
import { traceArtifact, utf8Length } from '../domain/artifacts.js'
import { parseDuration } from '../domain/clock.js'
import { jobToken } from '../domain/job-token.js'
import { COMPLETED_STATUSES, compositeStatus } from '../domain/pipeline-status.js'
import { defaultJobRun } from '../domain/runner.js'
import type { GitLabProfile } from '../profiles/profile.js'
import {
  ACCESS_LEVELS,
  type AccessLevel,
  type ArtifactRecord,
  type BridgeRecord,
  type CommitRecord,
  type JobRecord,
  type JobRun,
  type PersonalAccessTokenRecord,
  type PipelineRecord,
  type ProjectRecord,
  type ProtectedBranch,
  type ProtectedTag,
  type RunnerManagerRecord,
  type RunnerRecord,
  type UserRecord,
} from '../store/records.js'
import type { Store } from '../store/store.js'
import { defaultArchiveFiles, junitReport, metadataFor } from './artifact-contents.js'
import type { SeededFaker } from './faker.js'
import {
  type ArtifactInput,
  type CommitInput,
  type JobInput,
  type PipelineInput,
  type ProjectInput,
  type RunInput,
  type RunnerInput,
  type RunnerManagerInput,
  refuseFixture,
  type TokenInput,
  type TriggerJobInput,
  type UserInput,
  VERSIONED_FIELDS,
  VERSIONED_JOB_FIELDS,
} from './fixture-schema.js'
import type { Created } from './seeder.js'

const RAN = new Set(['running', 'canceling', 'success', 'failed'])
/** When a runner was registered: fixtures do not say, and it is before any of their data. */
const RUNNER_CREATED_AT = Date.parse('2015-01-01T00:00:00.000Z')
/** Statuses a job reaches only through pending (`queued_at` is set on the way). */
const QUEUED = new Set(['pending', 'running', 'success', 'failed', 'canceling'])
const JOB_NAMES = ['rspec', 'rubocop', 'jest', 'eslint', 'build', 'compile', 'lint', 'unit-tests', 'deploy']
// Maps, not object literals: a job may be named `constructor` and an artifact typed `__proto__`.
const STAGE_OF = new Map([
  ['build', 'build'],
  ['compile', 'build'],
  ['deploy', 'deploy'],
  ['lint', 'test'],
])
const ARTIFACT_DEFAULTS = new Map([
  ['archive', { filename: 'artifacts.zip', file_format: 'zip' }],
  ['metadata', { filename: 'metadata.gz', file_format: 'gzip' }],
  ['trace', { filename: 'job.log', file_format: 'raw' }],
  ['junit', { filename: 'junit.xml.gz', file_format: 'gzip' }],
])
const encoder = new TextEncoder()

type IdKind = 'user' | 'runner' | 'project' | 'pipeline' | 'job'

/**
 * The name GitLab stores for an uploaded file (CarrierWave::SanitizedFile#sanitize, through
 * JobArtifactUploader): its base name, each character other than a word character, `.`, `-` or
 * `+` replaced by `_`. So `résumé 报告.zip` is stored, listed and downloaded as `résumé_报告.zip`.
 */
function storedFilename(name: string): string {
  const base = name.replace(/\\/g, '/').replace(/\/+$/, '')
  let out = base.slice(base.lastIndexOf('/') + 1).replace(/[^\p{L}\p{M}\p{Nd}\p{Pc}.\-+]/gu, '_')
  if (/^\.+$/.test(out)) out = `_${out}`
  return out === '' ? 'unnamed' : out
}

/** `when: delayed` without `start_in`. */
const DEFAULT_START_IN = 3_600_000

/** Milliseconds of a fixture duration (checked by the schema already). */
function ms(value: string | number): number {
  return typeof value === 'number' ? value : parseDuration(value, 'duration')
}

/**
 * One load's records, made whole before any reaches the store (`commit`), so that a load that
 * is refused leaves the store as it was.
 */
export class Batch {
  readonly users: UserRecord[] = []
  readonly runners: RunnerRecord[] = []
  readonly projects: ProjectRecord[] = []
  readonly commits: CommitRecord[] = []
  readonly pipelines: PipelineRecord[] = []
  readonly jobs: JobRecord[] = []
  readonly bridges: BridgeRecord[] = []
  /** Trigger jobs' downstream pipelines, resolved once every pipeline of the load is known. */
  private readonly downstreams: [BridgeRecord, number, string][] = []
  /** Runner manager ids this load gives. */
  private readonly managers: number[] = []
  /** Projects' job-token allowlists, resolved once every project of the load is known. */
  private readonly allowlists: [ProjectRecord, readonly (number | string)[], string][] = []
  private readonly taken = new Map<string, Set<number>>()
  private readonly usernames = new Map<string, UserRecord>()
  private readonly paths = new Set<string>()
  private readonly tokens = new Set<string>()
  private readonly next: Partial<Record<IdKind, number>> = {}
  private readonly blobs: [string, Uint8Array][] = []
  /** Projects whose protected refs this load changes, with their new lists. */
  private readonly protectedRefs = new Map<
    ProjectRecord,
    { protected_branches: ProtectedBranch[]; protected_tags: ProtectedTag[] }
  >()
  private tokenSalt: number | undefined

  constructor(
    private readonly store: Store,
    /** Faker, loaded the first time a value is left for it to fill in. */
    private readonly seeded: SeededFaker,
    /** Values faker is slow to make, made once per seeder (see `pick`). */
    private readonly pools: Map<string, string[]>,
    /** The fake's clock: a pipeline that is to run is created now. */
    private readonly now: () => number,
    /** The GitLab version: a job may give only the fields it has. */
    private readonly profile: GitLabProfile,
  ) {}

  private get faker(): Faker {
    return this.seeded.faker
  }

  /** What waits for the whole load: the allowlists, which may name a project given after theirs. */
  finish(): void {
    for (const [bridge, pipelineId, at] of this.downstreams) {
      if (pipelineId === bridge.pipeline_id) this.fail(at, 'a pipeline cannot be its own downstream')
      if (!this.pipelines.some((p) => p.id === pipelineId) && !this.store.pipelines.has(pipelineId))
        this.fail(at, `no pipeline ${pipelineId}`)
      bridge.downstream_pipeline_id = pipelineId
    }
    for (const [project, refs, at] of this.allowlists) {
      project.job_token_allowlist = [
        ...new Set(refs.map((ref, i) => this.resolveProject(ref, `${at}[${i}]`).id)),
      ]
    }
  }

  /** Stores the bytes the batch built, and nothing else. */
  commitBlobs(): void {
    for (const [key, bytes] of this.blobs) this.store.putBlob(key, bytes)
  }

  commit(): Created {
    for (const u of this.users) this.store.addUser(u)
    for (const r of this.runners) this.store.addRunner(r)
    for (const p of this.projects) this.store.addProject(p)
    for (const c of this.commits) this.store.addCommit(c)
    for (const p of this.pipelines) this.store.addPipeline(p)
    for (const j of this.jobs) this.store.addJob(j)
    for (const b of this.bridges) this.store.addBridge(b)
    for (const [key, bytes] of this.blobs) this.store.putBlob(key, bytes)
    for (const [project, refs] of this.protectedRefs) this.store.updateProject(project, refs)
    for (const [kind, next] of Object.entries(this.next)) this.store.takeId(kind as IdKind, next - 1)
    return {
      users: this.users.map((r) => r.id),
      runners: this.runners.map((r) => r.id),
      projects: this.projects.map((r) => r.id),
      pipelines: this.pipelines.map((r) => r.id),
      jobs: this.jobs.map((r) => r.id),
    }
  }

  user(input: UserInput, at: string): void {
    const id = this.id('user', input.id, at, this.store.users)
    let username = input.username
    if (username === undefined) {
      do
        username =
          this.faker.internet
            .username()
            .replace(/[^A-Za-z0-9_.-]/g, '')
            .toLowerCase() || `user${id}`
      while (this.usernameTaken(username))
    } else if (this.usernameTaken(username)) {
      this.fail(`${at}.username`, `"${username}" is taken`)
    }
    const tokens = (input.tokens ?? []).map(accessToken)
    for (const [i, { token }] of tokens.entries()) {
      if (this.tokens.has(token) || this.store.userByToken(token) || this.store.jobByToken(token)) {
        const given = input.tokens?.[i]
        this.fail(
          `${at}.tokens[${i}]${typeof given === 'string' ? '' : '.token'}`,
          'this token is already in use',
        )
      }
      this.tokens.add(token)
    }
    const user: UserRecord = {
      id,
      username,
      name: input.name ?? this.faker.person.fullName(),
      state: input.state ?? 'active',
      admin: input.admin ?? false,
      external: input.external ?? false,
      tokens,
      avatar_url:
        input.avatar_url ??
        `https://www.gravatar.com/avatar/${this.faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' })}?s=80&d=identicon`,
      created_at: input.created_at
        ? Date.parse(input.created_at)
        : this.faker.date.past({ years: 3 }).getTime(),
      bio: input.bio === undefined ? null : input.bio,
      location: input.location === undefined ? null : input.location,
      public_email: input.public_email ?? '',
      skype: input.skype ?? '',
      linkedin: input.linkedin ?? '',
      twitter: input.twitter ?? '',
      website_url: input.website_url ?? '',
      organization: input.organization === undefined ? '' : input.organization,
      discord: '',
      job_title: '',
      pronouns: null,
      bot: false,
    }
    this.usernames.set(username.toLowerCase(), user)
    this.users.push(user)
  }

  runner(input: RunnerInput, at: string): void {
    this.versioned('runner', input, at)
    const id = this.id('runner', input.id, at, this.store.runners)
    const active = input.active ?? true
    const online = input.online ?? true
    const created_at = input.created_at ? Date.parse(input.created_at) : RUNNER_CREATED_AT
    const creator =
      input.created_by == null ? undefined : this.resolveUser(input.created_by, `${at}.created_by`)
    this.runners.push({
      id,
      description: input.description ?? `${this.faker.word.adjective()}-${this.faker.word.noun()}-runner`,
      ip_address: input.ip_address === undefined ? this.faker.internet.ipv4() : input.ip_address,
      active,
      is_shared: input.is_shared ?? true,
      name: input.name === undefined ? 'gitlab-runner' : input.name,
      online,
      status: input.status ?? (!active ? 'paused' : online ? 'online' : 'offline'),
      created_at,
      created_by_id: creator?.id ?? null,
      managers: (input.managers ?? []).map((m, i) =>
        this.manager(m, online, created_at, `${at}.managers[${i}]`),
      ),
    })
  }

  /** A runner manager; its id unique among every runner's managers. */
  private manager(
    input: RunnerManagerInput,
    online: boolean,
    runnerCreatedAt: number,
    at: string,
  ): RunnerManagerRecord {
    const taken = new Set<number>()
    for (const r of [...this.store.runners.values(), ...this.runners])
      for (const m of r.managers) taken.add(m.id)
    for (const m of this.managers) taken.add(m)
    let id = input.id ?? Math.max(0, ...taken) + 1
    if (input.id !== undefined && taken.has(input.id))
      this.fail(`${at}.id`, `runner manager ${input.id} already exists`)
    while (taken.has(id)) id++
    this.managers.push(id)
    const created_at = input.created_at ? Date.parse(input.created_at) : runnerCreatedAt
    return {
      id,
      system_id:
        input.system_id ?? `s_${this.faker.string.hexadecimal({ length: 12, casing: 'lower', prefix: '' })}`,
      version: input.version === undefined ? '18.0.0' : input.version,
      revision:
        input.revision === undefined
          ? this.faker.string.hexadecimal({ length: 8, casing: 'lower', prefix: '' })
          : input.revision,
      platform: input.platform === undefined ? 'linux' : input.platform,
      architecture: input.architecture === undefined ? 'amd64' : input.architecture,
      created_at,
      contacted_at:
        input.contacted_at === undefined
          ? created_at
          : input.contacted_at === null
            ? null
            : Date.parse(input.contacted_at),
      ip_address: input.ip_address === undefined ? this.faker.internet.ipv4() : input.ip_address,
      status: input.status ?? (online ? 'online' : 'offline'),
      ...(input.runtime_features && {
        runtime_features: { cancel_gracefully: input.runtime_features.cancel_gracefully ?? false },
      }),
    }
  }

  project(input: ProjectInput, at: string): void {
    this.versioned('project', input, at)
    const id = this.id('project', input.id, at, this.store.projects)
    let path = input.path
    if (path === undefined) {
      do
        path =
          `${this.faker.internet.domainWord()}/${this.faker.word.noun()}-${this.faker.word.noun()}`.toLowerCase()
      while (this.pathTaken(path))
    } else if (this.pathTaken(path)) {
      this.fail(`${at}.path`, `"${path}" is taken`)
    }
    this.paths.add(path.toLowerCase())
    const members: Record<number, AccessLevel> = {}
    for (const [i, m] of (input.members ?? []).entries()) {
      const user = this.resolveUser(m.user, `${at}.members[${i}].user`)
      if (user)
        members[user.id] = typeof m.access_level === 'number' ? m.access_level : ACCESS_LEVELS[m.access_level]
    }
    const project: ProjectRecord = {
      id,
      path_with_namespace: path,
      visibility: input.visibility ?? 'private',
      public_builds: input.public_builds ?? true,
      builds_access_level: input.builds_access_level ?? 'enabled',
      archived: input.archived ?? false,
      ci_job_token_scope_enabled: input.ci_job_token_scope_enabled ?? false,
      ci_inbound_job_token_scope_enabled: input.ci_inbound_job_token_scope_enabled ?? true,
      job_token_allowlist: [],
      refreshing_build_artifacts_size: input.refreshing_build_artifacts_size ?? false,
      members,
      protected_branches: (input.protected_branches ?? [{ name: 'master' }]).map((b) => ({
        name: b.name,
        push_access_level: pushLevel(b.push_access_level),
        merge_access_level: pushLevel(b.merge_access_level),
      })),
      protected_tags: (input.protected_tags ?? []).map((t) => ({
        name: t.name,
        create_access_level: pushLevel(t.create_access_level),
      })),
    }
    this.projects.push(project)
    if (input.job_token_allowlist)
      this.allowlists.push([project, input.job_token_allowlist, `${at}.job_token_allowlist`])
    for (const [i, p] of (input.pipelines ?? []).entries()) this.pipeline(project, p, `${at}.pipelines[${i}]`)
  }

  /**
   * Protects a branch or a tag of a project, replacing the rule of that name: the project's lists
   * are changed when the load commits, through the store.
   */
  protect(project: ProjectRecord, rule: { branch: ProtectedBranch } | { tag: ProtectedTag }): void {
    let refs = this.protectedRefs.get(project)
    if (!refs) {
      refs = {
        protected_branches: [...project.protected_branches],
        protected_tags: [...project.protected_tags],
      }
      this.protectedRefs.set(project, refs)
    }
    if ('branch' in rule) replaceRule(refs.protected_branches, rule.branch)
    else replaceRule(refs.protected_tags, rule.tag)
  }

  pipeline(project: ProjectRecord, input: PipelineInput, at: string): void {
    this.checkStatus(input.status, `${at}.status`)
    this.versioned('pipeline', input, at)
    const id = this.id('pipeline', input.id, at, this.store.pipelines)
    const user =
      input.user === null
        ? undefined
        : input.user === undefined
          ? this.defaultTriggerer(project)
          : this.resolveUser(input.user, `${at}.user`)
    const created_at = input.created_at
      ? Date.parse(input.created_at)
      : input.jobs?.some((j) => j.run !== undefined)
        ? this.now()
        : this.faker.date.recent({ days: 30 }).getTime()
    const sha = input.sha ?? input.commit?.id ?? this.faker.git.commitSha()
    if (input.commit?.id && input.sha && input.commit.id !== input.sha) {
      this.fail(`${at}.commit.id`, 'must equal the pipeline sha')
    }
    const known =
      this.store.commit(project.id, sha) !== undefined ||
      this.commits.some((c) => c.project_id === project.id && c.id === sha)
    if (input.commit === null) {
      // Gone from the repository: so it is for every pipeline of that sha.
      if (known) this.fail(`${at}.commit`, `commit ${sha} is in the repository`)
    } else if (!known) {
      this.commits.push(this.commitRecord(project.id, sha, input.commit ?? {}, user, created_at))
    } else if (input.commit) {
      this.fail(`${at}.commit`, `commit ${sha} is already described`)
    }
    const pipeline: PipelineRecord = {
      id,
      iid:
        this.store.pipelinesOf(project.id).length +
        this.pipelines.filter((p) => p.project_id === project.id).length +
        1,
      project_id: project.id,
      sha,
      ref: input.ref ?? 'master',
      tag: input.tag ?? false,
      status: input.status ?? 'created',
      source: input.source ?? 'push',
      user_id: user?.id ?? null,
      created_at,
      updated_at: input.updated_at ? Date.parse(input.updated_at) : created_at,
    }
    this.pipelines.push(pipeline)
    const jobs = (input.jobs ?? []).map((j, i) => this.job(project, pipeline, j, `${at}.jobs[${i}]`))
    const bridges = (input.trigger_jobs ?? []).map((b, i) =>
      this.triggerJob(project, pipeline, b, `${at}.trigger_jobs[${i}]`),
    )
    if (input.status === undefined) pipeline.status = compositeStatus([...jobs, ...bridges])
    if (input.updated_at === undefined) {
      pipeline.updated_at = Math.max(
        created_at,
        ...jobs.map((j) => j.finished_at ?? j.started_at ?? j.created_at),
      )
    }
  }

  /** A trigger job; its downstream pipeline is resolved once the whole load is known. */
  private triggerJob(
    project: ProjectRecord,
    pipeline: PipelineRecord,
    input: TriggerJobInput,
    at: string,
  ): BridgeRecord {
    this.checkStatus(input.status, `${at}.status`)
    const id = this.id('job', input.id, at, this.store.jobs)
    if (this.store.bridges.has(id)) this.fail(`${at}.id`, `job ${id} already exists`)
    const status = input.status ?? 'success'
    if (input.failure_reason !== undefined && status !== 'failed')
      this.fail(`${at}.failure_reason`, `only a failed job has one; this one is ${status}`)
    const user =
      input.user === null
        ? undefined
        : input.user === undefined
          ? pipeline.user_id === null
            ? undefined
            : (this.users.find((u) => u.id === pipeline.user_id) ?? this.store.users.get(pipeline.user_id))
          : this.resolveUser(input.user, `${at}.user`)
    const created_at = input.created_at ? Date.parse(input.created_at) : pipeline.created_at
    const ran = RAN.has(status)
    const started_at =
      input.started_at !== undefined
        ? input.started_at === null
          ? null
          : Date.parse(input.started_at)
        : ran
          ? created_at
          : null
    const finished_at =
      input.finished_at !== undefined
        ? input.finished_at === null
          ? null
          : Date.parse(input.finished_at)
        : COMPLETED_STATUSES.has(status) && started_at !== null
          ? started_at
          : null
    const bridge: BridgeRecord = {
      id,
      project_id: project.id,
      pipeline_id: pipeline.id,
      name: input.name ?? 'trigger',
      stage: input.stage ?? 'deploy',
      ref: pipeline.ref,
      tag: pipeline.tag,
      when: input.when ?? 'on_success',
      status,
      allow_failure: input.allow_failure ?? false,
      created_at,
      started_at,
      finished_at,
      queued_at:
        input.queued_at !== undefined
          ? input.queued_at === null
            ? null
            : Date.parse(input.queued_at)
          : QUEUED.has(status)
            ? created_at
            : null,
      user_id: user?.id ?? null,
      failure_reason:
        status === 'failed' ? (input.failure_reason ?? 'downstream_pipeline_creation_failed') : null,
      archived: input.archived ?? false,
      retried: input.retried ?? false,
      downstream_pipeline_id: null,
    }
    if (input.downstream_pipeline != null)
      this.downstreams.push([bridge, input.downstream_pipeline, `${at}.downstream_pipeline`])
    this.bridges.push(bridge)
    return bridge
  }

  job(project: ProjectRecord, pipeline: PipelineRecord, input: JobInput, at: string): JobRecord {
    for (const [field, key] of VERSIONED_JOB_FIELDS) {
      if ((input as Record<string, unknown>)[field] !== undefined && !this.profile.entities.job.includes(key))
        this.fail(`${at}.${field}`, `GitLab ${this.profile.version} has no ${field}`)
    }
    this.checkStatus(input.status, `${at}.status`)
    this.versioned('job', input, at)
    const id = this.id('job', input.id, at, this.store.jobs)
    if (this.store.bridges.has(id)) this.fail(`${at}.id`, `job ${id} already exists`)
    const name = input.name ?? this.faker.helpers.arrayElement(JOB_NAMES)
    // A job that is to run starts out waiting for its stage.
    const status = input.status ?? (input.run !== undefined ? 'created' : 'success')
    if (input.failure_reason !== undefined && status !== 'failed')
      this.fail(`${at}.failure_reason`, `only a failed job has one; this one is ${status}`)
    const user =
      input.user === null
        ? undefined
        : input.user === undefined
          ? pipeline.user_id === null
            ? undefined
            : (this.users.find((u) => u.id === pipeline.user_id) ?? this.store.users.get(pipeline.user_id))
          : this.resolveUser(input.user, `${at}.user`)
    if (
      input.runner != null &&
      !this.store.runners.has(input.runner) &&
      !this.runners.some((r) => r.id === input.runner)
    ) {
      this.fail(`${at}.runner`, `no runner ${input.runner}`)
    }
    const created_at = input.created_at
      ? Date.parse(input.created_at)
      : pipeline.created_at + this.faker.number.int({ min: 0, max: 5_000 })
    const ran = RAN.has(status)
    const started_at =
      input.started_at !== undefined
        ? input.started_at === null
          ? null
          : Date.parse(input.started_at)
        : input.run !== undefined && status === 'running'
          ? this.now()
          : ran
            ? created_at + this.faker.number.int({ min: 1_000, max: 60_000 })
            : null
    const finished_at =
      input.finished_at !== undefined
        ? input.finished_at === null
          ? null
          : Date.parse(input.finished_at)
        : COMPLETED_STATUSES.has(status) && status !== 'skipped'
          ? (started_at ?? created_at) + this.faker.number.int({ min: 1_000, max: 600_000 })
          : null
    // A generated token holds the job id, so it is unique; a given one is checked.
    const token = input.token ?? this.jobToken(id)
    if (input.token !== undefined) {
      if (this.tokens.has(token) || this.store.jobByToken(token) || this.store.userByToken(token)) {
        this.fail(`${at}.token`, 'this token is already in use')
      }
      this.tokens.add(token)
    }
    const traceRow = input.artifacts?.find((a) => a.file_type === 'trace')
    let trace =
      input.trace !== undefined
        ? input.trace
        : started_at !== null || traceRow
          ? this.log(name, status, traceRow?.size)
          : null
    const mtime = finished_at ?? started_at ?? created_at
    const when =
      input.when ?? (status === 'manual' ? 'manual' : status === 'scheduled' ? 'delayed' : 'on_success')
    const artifacts: ArtifactRecord[] = []
    if (input.artifacts) {
      const types = new Set<string>()
      for (const [i, a] of input.artifacts.entries()) {
        const where = `${at}.artifacts[${i}]`
        if (types.has(a.file_type))
          this.fail(`${where}.file_type`, `a job has one "${a.file_type}" artifact at most`)
        types.add(a.file_type)
        if (a.file_type === 'trace') {
          this.versioned('artifact', a, where)
          if (a.expire_at !== undefined) this.fail(`${where}.expire_at`, 'the trace does not expire')
          if (trace === null) trace = this.log(name, status, a.size)
          const bytes = utf8Length(trace)
          if (a.size !== undefined && a.size !== bytes) {
            this.fail(`${where}.size`, `is ${a.size} but the trace has ${bytes} bytes`)
          }
          artifacts.push(traceArtifact(trace, storedFilename(a.filename ?? 'job.log')))
        } else {
          artifacts.push(this.artifact(a, name, mtime, input.artifacts, where))
        }
      }
    } else if (trace !== null && COMPLETED_STATUSES.has(status)) {
      artifacts.push(traceArtifact(trace))
    }
    const job: JobRecord = {
      id,
      project_id: project.id,
      pipeline_id: pipeline.id,
      name,
      stage: input.stage ?? STAGE_OF.get(name) ?? 'test',
      ref: input.ref ?? pipeline.ref,
      tag: input.tag ?? pipeline.tag,
      when,
      status,
      allow_failure: input.allow_failure ?? when === 'manual',
      coverage: input.coverage ?? null,
      created_at,
      started_at,
      finished_at,
      user_id: user?.id ?? null,
      runner_id: input.runner ?? null,
      runner_manager_id: this.runnerManager(input, at),
      trace,
      artifacts,
      artifacts_expire_at: input.artifacts_expire_at ? Date.parse(input.artifacts_expire_at) : null,
      erased_at: input.erased_at ? Date.parse(input.erased_at) : null,
      erased_by_id: null,
      queued_at: this.queuedAt(input, status, created_at, started_at, finished_at, at),
      failure_reason: status === 'failed' ? (input.failure_reason ?? 'script_failure') : null,
      tag_list: [...(input.tag_list ?? [])],
      archived: input.archived ?? false,
      debug_trace_enabled: input.debug_trace_enabled ?? false,
      retried: input.retried ?? false,
      token,
      start_in:
        input.start_in === undefined ? (when === 'delayed' ? DEFAULT_START_IN : null) : ms(input.start_in),
      scheduled_at: input.scheduled_at ? Date.parse(input.scheduled_at) : null,
      run: input.run === undefined ? null : this.jobRun(input.run, name, mtime, `${at}.run`),
      run_state: null,
    }
    this.jobs.push(job)
    return job
  }

  /** A status the chosen version has (`canceling` and `waiting_for_callback` are today's only). */
  private checkStatus(status: string | undefined, at: string): void {
    if (status !== undefined && !this.profile.statuses.includes(status))
      this.fail(at, `GitLab ${this.profile.version} has no status "${status}"`)
  }

  /**
   * When the job became pending: as given, or counted back from its queued_duration; left out,
   * its created_at if its status says it was queued at all.
   */
  private queuedAt(
    input: JobInput,
    status: string,
    created_at: number,
    started_at: number | null,
    finished_at: number | null,
    at: string,
  ): number | null {
    if (input.queued_at !== undefined && input.queued_duration !== undefined)
      this.fail(`${at}.queued_duration`, 'give queued_at or queued_duration, not both')
    if (input.queued_at !== undefined) return input.queued_at === null ? null : Date.parse(input.queued_at)
    if (input.queued_duration === null) return null
    if (input.queued_duration !== undefined)
      return (started_at ?? finished_at ?? this.now()) - Math.round(input.queued_duration * 1000)
    // Taken as queued when it was created, if its status says it was queued at all.
    return QUEUED.has(status) ? created_at : null
  }

  /** The job's runner manager: one of its runner's. */
  private runnerManager(input: JobInput, at: string): number | null {
    if (input.runner_manager == null) return null
    if (input.runner == null)
      this.fail(`${at}.runner_manager`, 'a job without a runner has no runner manager')
    const runner = this.runners.find((r) => r.id === input.runner) ?? this.store.runners.get(input.runner)
    if (!runner?.managers.some((m) => m.id === input.runner_manager))
      this.fail(
        `${at}.runner_manager`,
        `runner ${input.runner} has no runner manager ${input.runner_manager}`,
      )
    return input.runner_manager
  }

  /** Refuses a field the version does not have, naming it. */
  versioned(kind: keyof typeof VERSIONED_FIELDS, input: object, at: string): void {
    for (const [field, has] of VERSIONED_FIELDS[kind]) {
      if ((input as Record<string, unknown>)[field] !== undefined && !has(this.profile))
        this.fail(`${at}.${field}`, `GitLab ${this.profile.version} has no ${field}`)
    }
  }

  /** The runner's plan for a job, its artifacts built now (so that a bad one refuses the load). */
  private jobRun(input: RunInput, name: string, mtime: number, at: string): JobRun {
    const plan = input === true ? {} : input
    // What is left out is as in a plan of nothing said (a short success).
    const base = defaultJobRun(name)
    const duration = plan.duration === undefined ? base.duration : ms(plan.duration)
    const lines = plan.log ?? base.log.map((line) => line.text)
    const artifacts = (plan.artifacts ?? []).map((a, i) => {
      const where = `${at}.artifacts[${i}]`
      if (a.file_type === 'trace') this.fail(`${where}.file_type`, 'the trace is the log the job writes')
      return this.artifact(a, name, mtime, plan.artifacts ?? [], where)
    })
    if (
      plan.runner !== undefined &&
      !this.store.runners.has(plan.runner) &&
      !this.runners.some((r) => r.id === plan.runner)
    )
      this.fail(`${at}.runner`, `no runner ${plan.runner}`)
    return {
      queued: plan.queued === undefined ? base.queued : ms(plan.queued),
      duration,
      status: plan.status ?? base.status,
      // In the order they are written, whatever the order given.
      log: lines
        .map((line, i) =>
          typeof line === 'string'
            ? { at: Math.floor((duration * i) / lines.length), text: line }
            : { at: Math.min(ms(line.at), duration), text: line.text },
        )
        .sort((a, b) => a.at - b.at),
      artifacts,
      expire_in:
        plan.expire_in === undefined
          ? base.expire_in
          : plan.expire_in === 'never'
            ? null
            : ms(plan.expire_in),
      progress: plan.progress ?? null,
      reads: plan.reads ?? null,
      runner: plan.runner ?? null,
    }
  }

  /** Builds the artifact's real bytes; with `size`, exactly that many. */
  artifact(
    input: ArtifactInput,
    jobName: string,
    mtime: number,
    all: readonly ArtifactInput[],
    at: string,
  ): ArtifactRecord {
    this.versioned('artifact', input, at)
    const defaults = ARTIFACT_DEFAULTS.get(input.file_type) ?? {
      filename: `${input.file_type}.gz`,
      file_format: 'gzip',
    }
    const filename = storedFilename(input.filename ?? defaults.filename)
    const format = input.file_format ?? defaults.file_format
    if (input.file_type === 'archive' && format !== 'zip')
      this.fail(`${at}.file_format`, 'an archive is a zip')
    if (input.files && input.file_type !== 'archive') this.fail(`${at}.files`, 'only the archive holds files')
    let bytes: Uint8Array
    try {
      if (input.file_type === 'archive') {
        const files = input.files ? decodeFiles(input.files) : defaultArchiveFiles(this.faker, jobName)
        bytes = buildArchive(files, mtime, input.size)
      } else {
        const content =
          input.content === undefined
            ? this.reportContent(input.file_type, jobName, all)
            : decodeContent(input.content)
        const inner = filename.replace(/\.gz$/, '')
        if (format === 'gzip') bytes = buildGzip(content, inner, mtime, input.size)
        else if (format === 'zip') bytes = buildArchive(new Map([[inner, content]]), mtime, input.size)
        else {
          bytes = typeof content === 'string' ? encoder.encode(content) : content
          if (input.size !== undefined && input.size !== bytes.length) {
            throw new ArchiveSizeError(`is ${input.size} but the content has ${bytes.length} bytes`)
          }
        }
      }
    } catch (error) {
      if (error instanceof ArchiveSizeError) this.fail(`${at}.size`, error.message)
      throw error
    }
    return {
      file_type: input.file_type,
      filename,
      file_format: format,
      size: bytes.length,
      blob: this.blob(bytes),
      ...(input.expire_at !== undefined && { expire_at: Date.parse(input.expire_at) }),
    }
  }

  private reportContent(fileType: string, jobName: string, all: readonly ArtifactInput[]): string {
    if (fileType === 'junit') return junitReport(this.faker, jobName)
    if (fileType === 'metadata') {
      const archive = all.find((a) => a.file_type === 'archive')
      return metadataFor(
        archive?.files ? Object.keys(archive.files) : ['coverage/', 'reports/', 'build/', 'dist/'],
      )
    }
    return `${this.faker.lorem.paragraph()}\n`
  }

  private blob(bytes: Uint8Array): string {
    const key = this.store.newBlobKey()
    this.blobs.push([key, bytes])
    return key
  }

  private commitRecord(
    projectId: number,
    sha: string,
    input: CommitInput,
    user: UserRecord | undefined,
    pipelineCreatedAt: number,
  ): CommitRecord {
    const authorName =
      input.author_name ?? user?.name ?? this.pick('names', () => this.faker.person.fullName())
    const authorEmail =
      input.author_email ?? `${user?.username ?? this.faker.internet.username()}@example.com`.toLowerCase()
    const message = input.message ?? this.pick('commitMessages', () => this.faker.git.commitMessage())
    const date =
      input.created_at ??
      new Date(pipelineCreatedAt - this.faker.number.int({ min: 60_000, max: 86_400_000 })).toISOString()
    return {
      project_id: projectId,
      id: sha,
      short_id: input.short_id ?? sha.slice(0, 8),
      title: input.title ?? message.split('\n')[0] ?? '',
      message,
      parent_ids: input.parent_ids ?? [this.faker.git.commitSha()],
      author_name: authorName,
      author_email: authorEmail,
      authored_date: input.authored_date ?? date,
      committer_name: input.committer_name ?? authorName,
      committer_email: input.committer_email ?? authorEmail,
      committed_date: input.committed_date ?? date,
      created_at: date,
    }
  }

  /**
   * A line of log text. Faker's templated phrases are slow (most of the time of seeding 100,000
   * jobs went there), so a few are made once and drawn from.
   */
  private phrase(): string {
    return this.pick('phrases', () => this.faker.hacker.phrase())
  }

  /** A CI job token: the job id (so it is unique) and 64 bits drawn from the seed. */
  private jobToken(id: number): string {
    this.tokenSalt ??= this.faker.number.int(2 ** 31)
    return jobToken(id, this.tokenSalt)
  }

  /** One of 64 values, each made by `make` the first time it is drawn (faker's templated values are slow). */
  private pick(pool: string, make: () => string): string {
    let values = this.pools.get(pool)
    if (!values) {
      values = []
      this.pools.set(pool, values)
    }
    const i = this.faker.number.int(63)
    values[i] ??= make()
    return values[i]
  }

  /** A plausible job log; exactly `bytes` long when asked (ASCII only, so characters are bytes). */
  private log(name: string, status: string, bytes?: number): string {
    const lines = [
      `Running with gitlab-runner 13.0.0 (c127439c)`,
      `Preparing the "docker" executor`,
      `Using Docker executor with image ruby:2.6 ...`,
      `Getting source from Git repository`,
      `Fetching changes with git depth set to 50...`,
      `$ ${name === 'rubocop' ? 'bundle exec rubocop' : name === 'build' ? 'make build' : `bundle exec ${name}`}`,
    ]
    for (let i = 0, n = this.faker.number.int({ min: 3, max: 8 }); i < n; i++) lines.push(this.phrase())
    lines.push(
      status === 'failed' ? 'ERROR: Job failed: exit code 1' : status === 'success' ? 'Job succeeded' : '',
    )
    let text = `${lines.join('\n')}\n`
    if (bytes === undefined) return text
    while (text.length < bytes) text += `${this.phrase()}\n`
    return text.slice(0, bytes)
  }

  private id(kind: IdKind, wanted: number | undefined, at: string, existing: Map<number, unknown>): number {
    let taken = this.taken.get(kind)
    if (!taken) {
      taken = new Set()
      this.taken.set(kind, taken)
    }
    const next = this.next[kind] ?? this.store.nextId(kind)
    let id: number
    if (wanted !== undefined) {
      if (existing.has(wanted) || taken.has(wanted)) this.fail(`${at}.id`, `${kind} ${wanted} already exists`)
      id = wanted
    } else {
      id = next
      while (existing.has(id) || taken.has(id)) id++
    }
    taken.add(id)
    this.next[kind] = Math.max(next, id + 1)
    return id
  }

  resolveProject(ref: number | string, at: string): ProjectRecord {
    const project =
      typeof ref === 'number'
        ? (this.projects.find((p) => p.id === ref) ?? this.store.projects.get(ref))
        : (this.projects.find((p) => p.path_with_namespace.toLowerCase() === ref.toLowerCase()) ??
          this.store.projectByPath(ref))
    if (!project) this.fail(at, `no project ${JSON.stringify(ref)}`)
    return project
  }

  private resolveUser(ref: string | number | undefined, at: string): UserRecord | undefined {
    if (ref === undefined) return undefined
    const user =
      typeof ref === 'number'
        ? (this.users.find((u) => u.id === ref) ?? this.store.users.get(ref))
        : (this.usernames.get(ref.toLowerCase()) ?? this.store.userByUsername(ref))
    if (!user) this.fail(at, `no user ${JSON.stringify(ref)}`)
    return user
  }

  /** Who runs a pipeline a fixture does not say: its first Developer+ member, else an admin. */
  private defaultTriggerer(project: ProjectRecord): UserRecord | undefined {
    for (const [id, level] of Object.entries(project.members)) {
      if (level < ACCESS_LEVELS.developer) continue
      const user = this.users.find((u) => u.id === Number(id)) ?? this.store.users.get(Number(id))
      if (user) return user
    }
    return this.users.find((u) => u.admin) ?? [...this.store.users.values()].find((u) => u.admin)
  }

  private usernameTaken(username: string): boolean {
    return this.usernames.has(username.toLowerCase()) || this.store.userByUsername(username) !== undefined
  }

  private pathTaken(path: string): boolean {
    return this.paths.has(path.toLowerCase()) || this.store.projectByPath(path) !== undefined
  }

  private fail(path: string, message: string): never {
    return refuseFixture(path, message)
  }
}

function decodeContent(content: string | { base64: string }): FileContent {
  if (typeof content === 'string') return content
  const binary = atob(content.base64)
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

function decodeFiles(files: Record<string, string | { base64: string }>): Map<string, FileContent> {
  return new Map(Object.entries(files).map(([path, content]) => [path, decodeContent(content)]))
}

/** `no_one`, `developer` or `maintainer` (default, as GitLab protects a branch). */
export function pushLevel(
  level: 'no_one' | 'developer' | 'maintainer' | 0 | 30 | 40 | undefined,
): 0 | 30 | 40 {
  if (typeof level === 'number') return level
  return level === 'no_one' ? 0 : level === 'developer' ? 30 : 40
}

/** The rule of that name replaced, or the rule added. */
function replaceRule<T extends { name: string }>(list: T[], rule: T): void {
  const i = list.findIndex((r) => r.name === rule.name)
  if (i === -1) list.push(rule)
  else list[i] = rule
}

/** A personal access token as a fixture gives it: a string alone is an `api` token that never expires. */
function accessToken(input: TokenInput): PersonalAccessTokenRecord {
  if (typeof input === 'string') return { token: input, scopes: ['api'], expires_at: null, revoked: false }
  return {
    token: input.token,
    scopes: input.scopes ?? ['api'],
    expires_at: input.expires_at ?? null,
    revoked: input.revoked ?? false,
  }
}

import { ArtifactExpiryIndex } from './artifact-expiry-index.js'
import { JobIndex } from './job-index.js'
import type {
  BridgeRecord,
  CommitRecord,
  JobRecord,
  PersonalAccessTokenRecord,
  PipelineRecord,
  ProjectRecord,
  Records,
  RunnerManagerRecord,
  RunnerRecord,
  UserRecord,
} from './records.js'

/** What `snapshot()` keeps: every record, deep-copied, and the id counters. */
/** The statuses of a job a runner is executing. */
const EXECUTING = ['running', 'canceling']

export interface StoreSnapshot {
  readonly records: Records
  readonly nextIds: Readonly<NextIds>
}

/** A personal access token and the user it belongs to. */
export interface AccessToken {
  readonly user: UserRecord
  readonly token: PersonalAccessTokenRecord
}

interface NextIds {
  user: number
  project: number
  pipeline: number
  runner: number
  job: number
}

/**
 * The fake's database: records by id (O(1)) and the indexes the API reads by. Every write goes
 * through a method here so that the indexes stay true. Two stores share nothing.
 *
 * Once `markInitial()` has been called, every write also logs how to undo it, so that `reset()`
 * costs what changed since then, not what is held (docs/decisions/reset.md).
 */
export class Store {
  readonly users = new Map<number, UserRecord>()
  readonly projects = new Map<number, ProjectRecord>()
  readonly pipelines = new Map<number, PipelineRecord>()
  readonly runners = new Map<number, RunnerRecord>()
  readonly jobs = new Map<number, JobRecord>()
  /** Trigger jobs, by id (ids of the jobs' sequence). */
  readonly bridges = new Map<number, BridgeRecord>()
  /** Each pipeline's trigger jobs, in id order. */
  private readonly pipelineBridges = new Map<number, BridgeRecord[]>()

  private readonly accessTokens = new Map<string, AccessToken>()
  private readonly usersByUsername = new Map<string, UserRecord>()
  private readonly projectsByPath = new Map<string, ProjectRecord>()
  private readonly commitsByKey = new Map<string, CommitRecord>()
  private readonly jobsByToken = new Map<string, JobRecord>()
  private readonly projectJobs = new Map<number, JobIndex>()
  private readonly pipelineJobs = new Map<number, JobIndex>()
  private readonly projectPipelines = new Map<number, PipelineRecord[]>()
  /** Jobs with artifact rows that expire, earliest first: what the expiry worker reads. */
  private readonly expiring = new ArtifactExpiryIndex()
  /** Artifact bytes by key. Never changed once put, so snapshots share them. */
  private readonly blobs = new Map<string, Uint8Array>()
  private nextBlob = 1
  private readonly revisions = new WeakMap<object, number>()
  private nextIds: NextIds = { user: 1, project: 1, pipeline: 1, runner: 1, job: 1 }
  /** The undo log since `markInitial()`, oldest first; null before it. */
  private undo: (() => void)[] | null = null
  /** Records whose fields as of the mark are in the undo log already. */
  private saved = new WeakSet<object>()
  private initial: { nextIds: NextIds; nextBlob: number } | null = null

  // ids

  nextId(kind: keyof NextIds): number {
    return this.nextIds[kind]
  }

  takeId(kind: keyof NextIds, wanted?: number): number {
    const id = wanted ?? this.nextIds[kind]
    if (id >= this.nextIds[kind]) this.nextIds[kind] = id + 1
    return id
  }

  // users

  addUser(user: UserRecord): void {
    this.set(this.users, user.id, user)
    this.set(this.usersByUsername, user.username.toLowerCase(), user)
    for (const token of user.tokens) this.set(this.accessTokens, token.token, { user, token })
  }

  userByToken(token: string): UserRecord | undefined {
    return this.accessTokens.get(token)?.user
  }

  /** A personal access token and its user. */
  accessToken(token: string): AccessToken | undefined {
    return this.accessTokens.get(token)
  }

  userByUsername(username: string): UserRecord | undefined {
    return this.usersByUsername.get(username.toLowerCase())
  }

  // projects

  addProject(project: ProjectRecord): void {
    this.set(this.projects, project.id, project)
    this.set(this.projectsByPath, project.path_with_namespace.toLowerCase(), project)
    this.set(this.projectJobs, project.id, new JobIndex())
    this.set(this.projectPipelines, project.id, [])
  }

  /** Full paths are case-insensitive in GitLab (`Project.find_by_full_path`). */
  projectByPath(path: string): ProjectRecord | undefined {
    return this.projectsByPath.get(path.toLowerCase())
  }

  // commits

  addCommit(commit: CommitRecord): void {
    this.set(this.commitsByKey, `${commit.project_id}:${commit.id}`, commit)
  }

  commit(projectId: number, sha: string): CommitRecord | undefined {
    return this.commitsByKey.get(`${projectId}:${sha}`)
  }

  // pipelines

  addPipeline(pipeline: PipelineRecord): void {
    this.set(this.pipelines, pipeline.id, pipeline)
    this.set(this.pipelineJobs, pipeline.id, new JobIndex())
    const list = this.projectPipelines.get(pipeline.project_id)
    if (!list) return
    list.push(pipeline)
    this.undo?.push(() => {
      list.splice(list.lastIndexOf(pipeline), 1)
    })
  }

  /** A project's pipelines, in id order. */
  pipelinesOf(projectId: number): readonly PipelineRecord[] {
    return this.projectPipelines.get(projectId) ?? []
  }

  // runners

  addRunner(runner: RunnerRecord): void {
    this.set(this.runners, runner.id, runner)
  }

  // jobs

  addJob(job: JobRecord): void {
    // A new id and token, as loads and retries make them: one undo takes the job out of
    // everything (a closure a job, not one a map, for a large load after the mark).
    const fresh = !this.jobs.has(job.id) && !this.jobsByToken.has(job.token)
    if (fresh) {
      this.jobs.set(job.id, job)
      this.jobsByToken.set(job.token, job)
    } else {
      this.set(this.jobs, job.id, job)
      this.set(this.jobsByToken, job.token, job)
    }
    const project = this.projectJobs.get(job.project_id)
    const pipeline = this.pipelineJobs.get(job.pipeline_id)
    project?.add(job)
    pipeline?.add(job)
    this.expiring.update(job)
    this.undo?.push(() => {
      this.expiring.remove(job)
      pipeline?.remove(job)
      project?.remove(job)
      if (fresh) {
        this.jobsByToken.delete(job.token)
        this.jobs.delete(job.id)
      }
    })
  }

  // trigger jobs

  addBridge(bridge: BridgeRecord): void {
    this.set(this.bridges, bridge.id, bridge)
    let list = this.pipelineBridges.get(bridge.pipeline_id)
    if (!list) {
      list = []
      this.set(this.pipelineBridges, bridge.pipeline_id, list)
    }
    const at = list.findIndex((b) => b.id > bridge.id)
    const added = list
    if (at === -1) added.push(bridge)
    else added.splice(at, 0, bridge)
    this.undo?.push(() => {
      added.splice(added.indexOf(bridge), 1)
    })
  }

  /** A pipeline's trigger jobs, in id order. */
  bridgesOfPipeline(pipelineId: number): readonly BridgeRecord[] {
    return this.pipelineBridges.get(pipelineId) ?? []
  }

  /** Changes a trigger job's fields. */
  updateBridge(
    bridge: BridgeRecord,
    changes: Partial<Omit<BridgeRecord, 'id' | 'project_id' | 'pipeline_id'>>,
  ): void {
    this.assignLogged(bridge, changes)
  }

  /** Whether a runner is running a job (`Ci::Runner#job_execution_status`: active, or idle). */
  runnerExecuting(runnerId: number): boolean {
    for (const index of this.projectJobs.values()) {
      const running = index.count(EXECUTING)
      if (running > 0 && index.page('asc', 0, running, EXECUTING).some((j) => j.runner_id === runnerId))
        return true
    }
    return false
  }

  /** Whether a runner manager is running a job (`Ci::RunnerManager#job_execution_status`). */
  runnerManagerExecuting(managerId: number): boolean {
    for (const index of this.projectJobs.values()) {
      const running = index.count(EXECUTING)
      if (
        running > 0 &&
        index.page('asc', 0, running, EXECUTING).some((j) => j.runner_manager_id === managerId)
      )
        return true
    }
    return false
  }

  /** A runner manager by id, with its runner. */
  runnerManager(managerId: number): { runner: RunnerRecord; manager: RunnerManagerRecord } | undefined {
    for (const runner of this.runners.values()) {
      const manager = runner.managers.find((m) => m.id === managerId)
      if (manager) return { runner, manager }
    }
    return undefined
  }

  jobByToken(token: string): JobRecord | undefined {
    return this.jobsByToken.get(token)
  }

  jobsOfProject(projectId: number): JobIndex {
    return this.projectJobs.get(projectId) ?? EMPTY_INDEX
  }

  jobsOfPipeline(pipelineId: number): JobIndex {
    return this.pipelineJobs.get(pipelineId) ?? EMPTY_INDEX
  }

  /** The job whose artifact rows expire first, and when (`Ci::JobArtifact.expired` reads these). */
  firstExpiringJob(): { job: JobRecord; at: number } | undefined {
    return this.expiring.first()
  }

  /**
   * How many times a record was changed through this store; what is rendered from a record is
   * kept only while its revision stands.
   */
  revisionOf(record: object): number {
    return this.revisions.get(record) ?? 0
  }

  private touch(record: object): void {
    this.revisions.set(record, this.revisionOf(record) + 1)
  }

  /** Changes a job's fields; the status indexes follow. */
  updateJob(job: JobRecord, changes: Partial<Omit<JobRecord, 'id' | 'project_id' | 'pipeline_id'>>): void {
    this.save(job, (fields) => this.assignJob(job, fields))
    this.assignJob(job, changes)
  }

  private assignJob(job: JobRecord, changes: Partial<JobRecord>): void {
    const from = job.status
    this.touch(job)
    Object.assign(job, changes)
    if (job.status !== from) {
      this.projectJobs.get(job.project_id)?.moveStatus(job, from)
      this.pipelineJobs.get(job.pipeline_id)?.moveStatus(job, from)
    }
    this.expiring.update(job)
  }

  /** Changes a pipeline's fields. */
  updatePipeline(
    pipeline: PipelineRecord,
    changes: Partial<Omit<PipelineRecord, 'id' | 'project_id'>>,
  ): void {
    this.assignLogged(pipeline, changes)
  }

  /** Changes a project's fields (its protected refs: the lists are replaced, not changed in place). */
  updateProject(
    project: ProjectRecord,
    changes: Partial<Omit<ProjectRecord, 'id' | 'path_with_namespace'>>,
  ): void {
    this.assignLogged(project, changes)
  }

  /** A record's fields changed, its revision moved on, and how to put them back logged. */
  private assignLogged<T extends object>(record: T, changes: Partial<T>): void {
    this.save(record, (fields) => {
      this.touch(record)
      Object.assign(record, fields)
    })
    this.touch(record)
    Object.assign(record, changes)
  }

  // artifact bytes

  /** A key no blob has had; taking one changes nothing else. */
  newBlobKey(): string {
    return `blob-${this.nextBlob++}`
  }

  putBlob(key: string, bytes: Uint8Array): void {
    this.set(this.blobs, key, bytes)
  }

  blob(key: string): Uint8Array | undefined {
    return this.blobs.get(key)
  }

  // reset

  /**
   * Makes the data as it is now what `reset()` returns to. Costs nothing in proportion to what is
   * held: from now on each write logs its undo.
   */
  markInitial(): void {
    this.undo = []
    this.saved = new WeakSet()
    this.initial = { nextIds: { ...this.nextIds }, nextBlob: this.nextBlob }
  }

  /**
   * Back to the data as it was at `markInitial()`, exactly, by undoing each write since then,
   * newest first: O(changes). Records added since are dropped, with their artifact bytes.
   */
  reset(): void {
    const { undo, initial } = this
    if (!undo || !initial) throw new Error('gitlab-fake: reset() before markInitial()')
    this.undo = null
    for (let i = undo.length - 1; i >= 0; i--) (undo[i] as () => void)()
    this.nextIds = { ...initial.nextIds }
    this.nextBlob = initial.nextBlob
    this.undo = []
  }

  /**
   * Takes every record out, as if none had been added, so that a saved state can be loaded in
   * their place; `reset()` puts them back. Artifact bytes stay (a new load takes new keys), and so
   * do the id counters, so that nothing made afterwards takes an id the dataset had.
   */
  clear(): void {
    const maps: Map<unknown, unknown>[] = [
      this.users,
      this.projects,
      this.pipelines,
      this.runners,
      this.jobs,
      this.bridges,
      this.pipelineBridges,
      this.accessTokens,
      this.usersByUsername,
      this.projectsByPath,
      this.commitsByKey,
      this.jobsByToken,
      this.projectJobs,
      this.pipelineJobs,
      this.projectPipelines,
    ]
    const jobs = [...this.jobs.values()]
    for (const job of jobs) this.expiring.remove(job)
    const copies = maps.map((map) => new Map(map))
    for (const map of maps) map.clear()
    this.undo?.push(() => {
      maps.forEach((map, i) => {
        map.clear()
        for (const [key, value] of copies[i] as Map<unknown, unknown>) map.set(key, value)
      })
      for (const job of jobs) this.expiring.update(job)
    })
  }

  /** Where the undo log stands now, for `rollback()`. */
  savepoint(): number {
    return this.undo?.length ?? 0
  }

  /** Undoes every write since `savepoint()` answered `mark`, newest first. */
  rollback(mark: number): void {
    const { undo } = this
    if (!undo) return
    this.undo = null
    for (let i = undo.length - 1; i >= mark; i--) (undo[i] as () => void)()
    undo.length = Math.min(undo.length, mark)
    this.undo = undo
  }

  /**
   * Logs how to undo a change to a structure of the caller's own (the runner's schedule), so
   * that `reset()` puts it back with the records. Nothing is logged before `markInitial()`.
   */
  logUndo(undo: () => void): void {
    this.undo?.push(undo)
  }

  /** How many writes `reset()` would undo. */
  get changesSinceInitial(): number {
    return this.undo?.length ?? 0
  }

  /** `map.set`, logging how to put back what the key held. */
  private set<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (this.undo) {
      const had = map.has(key)
      const before = map.get(key)
      this.undo.push(had ? () => map.set(key, before as V) : () => map.delete(key))
    }
    map.set(key, value)
  }

  /** Logs a record's fields as they are, the first time it changes after the mark. */
  private save<T extends object>(record: T, putBack: (fields: T) => void): void {
    if (!this.undo || this.saved.has(record)) return
    this.saved.add(record)
    const fields = { ...record }
    this.undo.push(() => {
      this.saved.delete(record)
      putBack(fields)
    })
  }

  // snapshot

  /** Every record, deep-copied, and the id counters: for comparing states in tests. */
  snapshot(): StoreSnapshot {
    return structuredClone({
      records: {
        users: [...this.users.values()],
        projects: [...this.projects.values()],
        commits: [...this.commitsByKey.values()],
        pipelines: [...this.pipelines.values()],
        runners: [...this.runners.values()],
        jobs: [...this.jobs.values()],
        ...(this.bridges.size > 0 && { bridges: [...this.bridges.values()] }),
      },
      nextIds: this.nextIds,
    })
  }
}

const EMPTY_INDEX = new JobIndex()

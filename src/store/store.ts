import { JobIndex } from './job-index.js'
import type {
  CommitRecord,
  JobRecord,
  PipelineRecord,
  ProjectRecord,
  Records,
  RunnerRecord,
  UserRecord,
} from './records.js'

/** What `snapshot()` keeps: every record, deep-copied, and the id counters. */
export interface StoreSnapshot {
  readonly records: Records
  readonly nextIds: Readonly<NextIds>
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
 */
export class Store {
  readonly users = new Map<number, UserRecord>()
  readonly projects = new Map<number, ProjectRecord>()
  readonly pipelines = new Map<number, PipelineRecord>()
  readonly runners = new Map<number, RunnerRecord>()
  readonly jobs = new Map<number, JobRecord>()

  private readonly usersByToken = new Map<string, UserRecord>()
  private readonly usersByUsername = new Map<string, UserRecord>()
  private readonly projectsByPath = new Map<string, ProjectRecord>()
  private readonly commitsByKey = new Map<string, CommitRecord>()
  private readonly jobsByToken = new Map<string, JobRecord>()
  private readonly projectJobs = new Map<number, JobIndex>()
  private readonly pipelineJobs = new Map<number, JobIndex>()
  private readonly projectPipelines = new Map<number, PipelineRecord[]>()
  /** Artifact bytes by key. Never changed once put, so snapshots share them. */
  private readonly blobs = new Map<string, Uint8Array>()
  private nextBlob = 1
  private readonly revisions = new WeakMap<object, number>()
  private nextIds: NextIds = { user: 1, project: 1, pipeline: 1, runner: 1, job: 1 }

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
    this.users.set(user.id, user)
    this.usersByUsername.set(user.username.toLowerCase(), user)
    for (const token of user.tokens) this.usersByToken.set(token, user)
  }

  userByToken(token: string): UserRecord | undefined {
    return this.usersByToken.get(token)
  }

  userByUsername(username: string): UserRecord | undefined {
    return this.usersByUsername.get(username.toLowerCase())
  }

  // projects

  addProject(project: ProjectRecord): void {
    this.projects.set(project.id, project)
    this.projectsByPath.set(project.path_with_namespace.toLowerCase(), project)
    this.projectJobs.set(project.id, new JobIndex())
    this.projectPipelines.set(project.id, [])
  }

  /** Full paths are case-insensitive in GitLab (`Project.find_by_full_path`). */
  projectByPath(path: string): ProjectRecord | undefined {
    return this.projectsByPath.get(path.toLowerCase())
  }

  // commits

  addCommit(commit: CommitRecord): void {
    this.commitsByKey.set(`${commit.project_id}:${commit.id}`, commit)
  }

  commit(projectId: number, sha: string): CommitRecord | undefined {
    return this.commitsByKey.get(`${projectId}:${sha}`)
  }

  // pipelines

  addPipeline(pipeline: PipelineRecord): void {
    this.pipelines.set(pipeline.id, pipeline)
    this.pipelineJobs.set(pipeline.id, new JobIndex())
    this.projectPipelines.get(pipeline.project_id)?.push(pipeline)
  }

  /** A project's pipelines, in id order. */
  pipelinesOf(projectId: number): readonly PipelineRecord[] {
    return this.projectPipelines.get(projectId) ?? []
  }

  // runners

  addRunner(runner: RunnerRecord): void {
    this.runners.set(runner.id, runner)
  }

  // jobs

  addJob(job: JobRecord): void {
    this.jobs.set(job.id, job)
    this.jobsByToken.set(job.token, job)
    this.projectJobs.get(job.project_id)?.add(job)
    this.pipelineJobs.get(job.pipeline_id)?.add(job)
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
    const from = job.status
    this.touch(job)
    Object.assign(job, changes)
    if (job.status !== from) {
      this.projectJobs.get(job.project_id)?.moveStatus(job, from)
      this.pipelineJobs.get(job.pipeline_id)?.moveStatus(job, from)
    }
  }

  /** Changes a pipeline's fields. */
  updatePipeline(
    pipeline: PipelineRecord,
    changes: Partial<Omit<PipelineRecord, 'id' | 'project_id'>>,
  ): void {
    Object.assign(pipeline, changes)
  }

  // artifact bytes

  /** A key no blob has had; taking one changes nothing else. */
  newBlobKey(): string {
    return `blob-${this.nextBlob++}`
  }

  putBlob(key: string, bytes: Uint8Array): void {
    this.blobs.set(key, bytes)
  }

  blob(key: string): Uint8Array | undefined {
    return this.blobs.get(key)
  }

  // snapshot

  snapshot(): StoreSnapshot {
    return structuredClone({
      records: {
        users: [...this.users.values()],
        projects: [...this.projects.values()],
        commits: [...this.commitsByKey.values()],
        pipelines: [...this.pipelines.values()],
        runners: [...this.runners.values()],
        jobs: [...this.jobs.values()],
      },
      nextIds: this.nextIds,
    })
  }

  /** Replaces everything with a copy of the snapshot (the snapshot stays reusable). */
  restore(snapshot: StoreSnapshot): void {
    for (const map of [
      this.users,
      this.projects,
      this.pipelines,
      this.runners,
      this.jobs,
      this.usersByToken,
      this.usersByUsername,
      this.projectsByPath,
      this.commitsByKey,
      this.jobsByToken,
      this.projectJobs,
      this.pipelineJobs,
      this.projectPipelines,
    ]) {
      map.clear()
    }
    const { records, nextIds } = structuredClone(snapshot)
    for (const user of records.users) this.addUser(user)
    for (const project of records.projects) this.addProject(project)
    for (const commit of records.commits) this.addCommit(commit)
    for (const runner of records.runners) this.addRunner(runner)
    for (const pipeline of records.pipelines) this.addPipeline(pipeline)
    for (const job of records.jobs) this.addJob(job)
    this.nextIds = { ...nextIds }
  }
}

const EMPTY_INDEX = new JobIndex()

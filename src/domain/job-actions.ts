import type { BridgeRecord, JobRecord, UserRecord } from '../store/records.js'
import type { Store } from '../store/store.js'
import { hasArtifacts } from './artifacts.js'
import { jobToken } from './job-token.js'
import { reopenLaterStages } from './pipeline-processing.js'
import { COMPLETED_STATUSES, refreshPipeline } from './pipeline-status.js'
import { defaultJobRun, type Runner } from './runner.js'

/**
 * The job state machine of GitLab 13.0 (app/models/commit_status.rb, app/models/ci/build.rb,
 * app/services/ci/retry_build_service.rb, play_build_service.rb): which statuses each action
 * accepts and what it changes. No HTTP here; the API asks and then acts.
 */

/**
 * `event :cancel` transitions from these (`CANCELABLE_STATUSES`: today's adds
 * `waiting_for_callback`, and leaves out `canceling`); from any other status it is silently not
 * allowed.
 */
const CANCELABLE = new Set([
  'created',
  'waiting_for_resource',
  'preparing',
  'waiting_for_callback',
  'pending',
  'running',
  'manual',
  'scheduled',
])
/** `event :enqueue` (and `enqueue_scheduled`) from these. */
const ENQUEUEABLE = new Set(['created', 'skipped', 'manual', 'scheduled'])

/** What `retryable?` asks, which differs between GitLab versions. */
export interface RetryRule {
  /** The statuses a job may be retried from. */
  readonly statuses: readonly string[]
  /** Whether a job that was retried already may be retried again. */
  readonly retried: boolean
}

/** `retryable?`: a status the rule names (and not archived), and not retried if the rule says so. */
export function isRetryable(
  job: Pick<JobRecord, 'status' | 'retried' | 'archived'>,
  rule: RetryRule,
): boolean {
  return rule.statuses.includes(job.status) && (rule.retried || !job.retried) && !job.archived
}

/** `playable?`: an action (`when: manual` or `delayed`) that is manual, scheduled or retryable. */
export function isPlayable(
  job: Pick<JobRecord, 'when' | 'status' | 'retried' | 'archived'>,
  rule: RetryRule,
): boolean {
  const action = job.when === 'manual' || job.when === 'delayed'
  return action && (job.status === 'manual' || job.status === 'scheduled' || isRetryable(job, rule))
}

/**
 * A trigger job's `playable?` (app/models/ci/bridge.rb): `action? && !archived? && manual?`, where
 * `action?` is `when: manual` alone; a delayed or finished one is not played.
 */
export function isBridgePlayable(bridge: Pick<BridgeRecord, 'when' | 'status' | 'archived'>): boolean {
  return bridge.when === 'manual' && !bridge.archived && bridge.status === 'manual'
}

/** `erasable?`: complete, with an archive, some job artifact, or a log. */
export function isErasable(job: JobRecord, now: number): boolean {
  return (
    COMPLETED_STATUSES.has(job.status) &&
    (hasArtifacts(job, now) || job.artifacts.length > 0 || job.trace !== null)
  )
}

export class JobActions {
  constructor(
    private readonly store: Store,
    private readonly runner: Runner,
    /** For the tokens of retried jobs: from the fake's seed, so that they repeat. */
    private readonly tokenSalt: number,
  ) {}

  /**
   * `build.cancel`: to canceled with `finished_at`; a finished job is left as it is. The
   * pipeline is processed again (later stages follow the canceled job). With `graceful` (today's
   * `transition running: :canceling, if: :supports_canceling?`, app/models/commit_status.rb), a
   * running job whose runner cancels gracefully goes to `canceling` instead, without
   * `finished_at`, and its runner finishes it as canceled.
   */
  cancel(job: JobRecord, now: number, graceful = false): JobRecord {
    if (graceful && job.status === 'running' && this.cancelsGracefully(job)) {
      this.store.updateJob(job, { status: 'canceling' })
      refreshPipeline(this.store, job.pipeline_id, now)
    } else if (CANCELABLE.has(job.status)) {
      // Leaving `scheduled` clears `scheduled_at` (app/models/ci/build.rb).
      this.store.updateJob(job, { status: 'canceled', finished_at: now, scheduled_at: null })
      this.runner.process(job.pipeline_id, now)
    }
    return job
  }

  /**
   * `build.force_cancel`: `transition canceling: :canceled, if: :supports_force_cancel?` (true for
   * a Ci::Build), with `finished_at`; from any other status, nothing.
   */
  forceCancel(job: JobRecord, now: number): JobRecord {
    if (job.status === 'canceling') {
      this.store.updateJob(job, { status: 'canceled', finished_at: now })
      this.runner.process(job.pipeline_id, now)
    }
    return job
  }

  /**
   * `Ci::Build#cancel_gracefully?`: `runner_manager&.supports_after_script_on_cancel?`, which is
   * `runtime_features['cancel_gracefully']` of the runner manager (the machine) running the job;
   * a job without one cancels straight to canceled.
   */
  private cancelsGracefully(job: JobRecord): boolean {
    if (job.runner_id === null || job.runner_manager_id === null) return false
    const manager = this.store.runners
      .get(job.runner_id)
      ?.managers.find((m) => m.id === job.runner_manager_id)
    return manager?.runtime_features?.cancel_gracefully === true
  }

  /**
   * Ci::RetryBuildService: a new job (new id, same pipeline) from the cloned attributes, the
   * caller as its user, enqueued; every latest job of that name in the pipeline is marked retried.
   */
  retry(job: JobRecord, user: UserRecord, now: number): JobRecord {
    for (const other of this.store.jobsOfPipeline(job.pipeline_id).list()) {
      if (other.name === job.name && !other.retried) this.store.updateJob(other, { retried: true })
    }
    const id = this.store.takeId('job')
    const clone: JobRecord = {
      id,
      project_id: job.project_id,
      pipeline_id: job.pipeline_id,
      name: job.name,
      stage: job.stage,
      ref: job.ref,
      tag: job.tag,
      when: job.when,
      allow_failure: job.allow_failure,
      // created, then `enqueue`
      status: 'pending',
      coverage: null,
      created_at: now,
      started_at: null,
      finished_at: null,
      user_id: user.id,
      runner_id: null,
      runner_manager_id: null,
      trace: null,
      artifacts: [],
      artifacts_expire_at: null,
      erased_at: null,
      erased_by_id: null,
      queued_at: now,
      failure_reason: null,
      tag_list: [...job.tag_list],
      archived: false,
      // Ci::CloneJobService copies the job's variables, and with them its debug mode.
      debug_trace_enabled: job.debug_trace_enabled,
      retried: false,
      token: jobToken(id, this.tokenSalt),
      start_in: job.start_in,
      scheduled_at: null,
      // The new job runs: as its original was planned, or as a short success.
      run: job.run ?? defaultJobRun(job.name),
      run_state: null,
    }
    this.store.addJob(clone)
    reopenLaterStages(this.store, clone)
    refreshPipeline(this.store, job.pipeline_id, now)
    this.runner.retried(clone, now)
    return clone
  }

  /**
   * Ci::PlayBuildService: a manual or scheduled job is enqueued in place, with the caller as its
   * user; a finished action is retried instead. Answers the job played: the same, or the new one.
   */
  play(job: JobRecord, user: UserRecord, now: number): JobRecord {
    if (ENQUEUEABLE.has(job.status)) {
      this.store.updateJob(job, {
        status: 'pending',
        queued_at: now,
        scheduled_at: null,
        user_id: user.id,
        run: job.run ?? defaultJobRun(job.name),
      })
      refreshPipeline(this.store, job.pipeline_id, now)
      this.runner.enqueued(job, now)
      return job
    }
    return this.retry(job, user, now)
  }

  /** `build.erase`: every artifact and the log go; `erased_at`/`erased_by` are set, the expiry cleared. */
  erase(job: JobRecord, user: UserRecord, now: number): JobRecord {
    this.store.updateJob(job, {
      artifacts: [],
      trace: null,
      erased_at: now,
      erased_by_id: user.id,
      artifacts_expire_at: null,
    })
    return job
  }

  /**
   * Ci::PlayBridgeService: a manual trigger job (the only playable one) is enqueued in place, with
   * the caller as its user. Answers the trigger job played.
   */
  playBridge(bridge: BridgeRecord, user: UserRecord, now: number): BridgeRecord {
    this.store.updateBridge(bridge, { status: 'pending', queued_at: now, user_id: user.id })
    refreshPipeline(this.store, bridge.pipeline_id, now)
    return bridge
  }

  /**
   * Ci::RetryJobService for a trigger job: the old one is marked retried, and a clone of it is
   * enqueued (pending) for the caller, with no downstream pipeline yet.
   */
  retryBridge(bridge: BridgeRecord, user: UserRecord, now: number): BridgeRecord {
    this.store.updateBridge(bridge, { retried: true })
    const clone: BridgeRecord = {
      ...bridge,
      id: this.store.takeId('job'),
      status: 'pending',
      created_at: now,
      started_at: null,
      finished_at: null,
      queued_at: now,
      user_id: user.id,
      failure_reason: null,
      archived: false,
      retried: false,
      downstream_pipeline_id: null,
    }
    this.store.addBridge(clone)
    refreshPipeline(this.store, bridge.pipeline_id, now)
    return clone
  }

  /** `keep_artifacts!`: the artifacts no longer expire. */
  keepArtifacts(job: JobRecord): JobRecord {
    // `keep_artifacts!`: the build's column and every row's `expire_at` to nil.
    const artifacts = job.artifacts.some((a) => a.expire_at !== undefined)
      ? job.artifacts.map(({ expire_at: _, ...a }) => a)
      : job.artifacts
    this.store.updateJob(job, { artifacts_expire_at: null, artifacts })
    return job
  }

  /**
   * `Ci::JobArtifacts::ExpireProjectBuildArtifactsService`: every erasable row (all but the trace)
   * of the project's unlocked pipelines expires now; the expiry worker's next run destroys them.
   * A ref's latest successful pipeline, and any newer, keep their artifacts locked (a pipeline's
   * artifacts are unlocked once a newer one of its ref succeeds). The builds' `artifacts_expire_at`
   * stays as it was.
   */
  expireProjectArtifacts(projectId: number, now: number): void {
    const latestSuccess = new Map<string, number>()
    for (const p of this.store.pipelinesOf(projectId)) {
      if (p.status === 'success') latestSuccess.set(p.ref, Math.max(p.id, latestSuccess.get(p.ref) ?? 0))
    }
    for (const pipeline of this.store.pipelinesOf(projectId)) {
      const latest = latestSuccess.get(pipeline.ref)
      if (latest === undefined || pipeline.id >= latest) continue
      for (const job of this.store.jobsOfPipeline(pipeline.id).list()) {
        if (!job.artifacts.some((a) => a.file_type !== 'trace')) continue
        const artifacts = job.artifacts.map((a) => (a.file_type === 'trace' ? a : { ...a, expire_at: now }))
        this.store.updateJob(job, { artifacts })
      }
    }
  }

  /** `erase_erasable_artifacts!`: every artifact but the trace (`NON_ERASABLE_FILE_TYPES`). */
  deleteArtifacts(job: JobRecord): void {
    this.store.updateJob(job, { artifacts: job.artifacts.filter((a) => a.file_type === 'trace') })
  }
}

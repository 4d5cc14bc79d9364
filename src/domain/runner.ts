import { MinHeap } from '../store/min-heap.js'
import type { ArtifactRecord, JobRecord, JobRun } from '../store/records.js'
import type { Store } from '../store/store.js'
import { traceArtifact } from './artifacts.js'
import { FieldError } from './field-error.js'
import { type ProcessingHooks, processPipeline } from './pipeline-processing.js'
import { refreshPipeline } from './pipeline-status.js'

/**
 * A simulated GitLab Runner, moving jobs as GitLab and a runner do: pending → running (a runner
 * assigned, `started_at` set) → success or failed, the log growing line by line, the artifacts
 * uploaded at the end; and, as GitLab does, the next stages processed after each job and
 * scheduled jobs enqueued at their time. Nothing here knows of HTTP (as moto's ManagedState).
 *
 * What moves a job is its plan's progress: the fake's clock (every step at its time), reads of
 * the job (a step every N reads, for polling clients that never move a clock), or only calls by
 * hand (`start`, `log`, `finish`), which work whatever the progress.
 */
export type Progress = 'clock' | 'reads' | 'manual'

export interface RunnerOptions {
  /** What moves a job whose plan does not say. Default `clock`. */
  progress?: Progress
  /** With `reads`: reads of a job per step. Default 1. */
  reads?: number
}

/** A runner call that cannot be carried out; `field` names what was wrong. */
export class RunnerError extends FieldError {
  override readonly name = 'RunnerError'
}

/**
 * `expire_in` of an upload that gives none: GitLab's `default_artifacts_expire_in` application
 * setting, 30 days by default (app/services/ci/create_job_artifacts_service.rb).
 */
export const DEFAULT_EXPIRE_IN = 30 * 86_400_000

/** The statuses a runner is executing a job in (`EXECUTING_STATUSES`). */
const EXECUTING: ReadonlySet<string> = new Set(['running', 'canceling'])

/** What a runner writes last. */
const LAST_LINE = { success: 'Job succeeded', failed: 'ERROR: Job failed: exit code 1' } as const

/** The plan of a job that a fixture did not plan: a short success with a few log lines. */
export function defaultJobRun(name: string): JobRun {
  const lines = [
    'Running with gitlab-runner 13.0.0 (c127439c)',
    '  on docker-auto-scale 0277ea0f',
    'Preparing the "docker" executor',
    'Getting source from Git repository',
    `$ ${name}`,
  ]
  const duration = 10_000
  return {
    queued: 1_000,
    duration,
    status: 'success',
    log: lines.map((text, i) => ({ at: Math.floor((duration * i) / lines.length), text })),
    artifacts: [],
    expire_in: DEFAULT_EXPIRE_IN,
    progress: null,
    reads: null,
    runner: null,
  }
}

type Step = 'start' | 'log' | 'finish' | 'enqueue'

/** A step due at a time; `expect` is what the job must still be for it to apply. */
interface RunEvent {
  readonly at: number
  readonly seq: number
  readonly job: JobRecord
  readonly step: Step
  readonly expect: { status: string; started_at: number | null; scheduled_at: number | null }
  /** Its place in the heap; -1 once out of it. */
  index: number
}

export class Runner implements ProcessingHooks {
  /** Due steps, by time, then by the order they were planned. */
  private readonly heap = new MinHeap<RunEvent>(
    (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq),
    (event, index) => {
      event.index = index
    },
  )
  private seq = 0
  private readonly progress: Progress
  private readonly readsPerStep: number

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    options: RunnerOptions = {},
  ) {
    this.progress = options.progress ?? 'clock'
    this.readsPerStep = options.reads ?? 1
    if (!['clock', 'reads', 'manual'].includes(this.progress))
      throw new RunnerError(
        'progress',
        `must be "clock", "reads" or "manual", got ${JSON.stringify(this.progress)}`,
      )
    if (!Number.isInteger(this.readsPerStep) || this.readsPerStep < 1)
      throw new RunnerError('reads', `must be a whole number ≥ 1, got ${JSON.stringify(options.reads)}`)
  }

  // What GitLab tells the runner

  /** The job became pending at `at`: with the clock moving it, it starts `queued` later. */
  enqueued(job: JobRecord, at: number): void {
    if (job.run && this.progressOf(job) === 'clock') this.plan(job, 'start', at + job.run.queued)
  }

  /** A delayed job became scheduled: GitLab enqueues it at `scheduled_at`, plan or not. */
  scheduled(job: JobRecord): void {
    if (job.scheduled_at !== null) this.plan(job, 'enqueue', job.scheduled_at)
  }

  /**
   * Jobs a load added: pipelines with a planned job are processed, planned jobs already pending
   * or running are picked up where they stand, scheduled jobs wait for their time.
   */
  adopt(jobs: readonly JobRecord[]): void {
    const at = this.now()
    const pipelines = new Set<number>()
    for (const job of jobs) {
      if (job.status === 'scheduled') this.scheduled(job)
      if (!job.run) continue
      if (job.status === 'created') pipelines.add(job.pipeline_id)
      else if (job.status === 'pending') this.enqueued(job, at)
      else if (EXECUTING.has(job.status) && this.progressOf(job) === 'clock') this.resume(job, at)
    }
    for (const id of pipelines) processPipeline(this.store, id, at, this)
  }

  /** After a retry: the new job runs (on its original's plan, or a short success). */
  retried(job: JobRecord, at: number): void {
    this.enqueued(job, at)
  }

  /** After the pipeline changed by hand (cancel, play): later stages follow. */
  process(pipelineId: number, at: number): void {
    processPipeline(this.store, pipelineId, at, this)
  }

  // The clock

  /** Runs every step due by `now`, in time order, each at its own time. */
  advanceTo(now: number): void {
    for (;;) {
      const next = this.heap.peek()
      if (!next || next.at > now) return
      this.pop()
      if (!this.stillApplies(next)) continue
      this.apply(next)
    }
  }

  // Reads

  /** A client read the job: with `progress: 'reads'`, every N reads are a step. */
  read(job: JobRecord): void {
    if (!job.run || this.progressOf(job) !== 'reads') return
    if (job.status !== 'pending' && !EXECUTING.has(job.status)) return
    const reads = (job.run_state?.reads ?? 0) + 1
    const per = job.run.reads ?? this.readsPerStep
    if (reads < per) {
      this.store.updateJob(job, { run_state: { logged: job.run_state?.logged ?? 0, reads } })
      return
    }
    const at = this.now()
    if (job.status === 'pending') this.begin(job, at)
    else if ((job.run_state?.logged ?? 0) < job.run.log.length) this.writeLine(job)
    else this.end(job, at, job.run.status, job.run.artifacts, job.run.expire_in)
    this.store.updateJob(job, { run_state: { logged: job.run_state?.logged ?? 0, reads: 0 } })
  }

  // By hand, as a runner would

  /** A runner takes a pending job. */
  start(job: JobRecord, options: { runner?: number } = {}): JobRecord {
    if (job.status !== 'pending')
      throw new RunnerError('status', `job ${job.id} is ${job.status}; a runner takes pending jobs only`)
    if (options.runner !== undefined && !this.store.runners.has(options.runner))
      throw new RunnerError('runner', `no runner ${options.runner}`)
    this.begin(job, this.now(), options.runner)
    return job
  }

  /** The running job writes to its log (`text` as given; a line wants its own "\n"). */
  log(job: JobRecord, text: string): JobRecord {
    if (typeof text !== 'string') throw new RunnerError('text', 'must be a string')
    if (job.status !== 'running')
      throw new RunnerError('status', `job ${job.id} is ${job.status}; only a running job writes its log`)
    this.store.updateJob(job, { trace: (job.trace ?? '') + text })
    return job
  }

  /**
   * The running job ends: success or failed, with what it uploads. A canceling job ends canceled
   * whatever the runner reports (`transition canceling: :canceled` on `success` and `drop`).
   */
  finish(
    job: JobRecord,
    status: string,
    artifacts: readonly ArtifactRecord[] = [],
    expireIn: number | null = null,
  ): JobRecord {
    if (status !== 'success' && status !== 'failed')
      throw new RunnerError('status', `must be "success" or "failed", got ${JSON.stringify(status)}`)
    if (!EXECUTING.has(job.status))
      throw new RunnerError('status', `job ${job.id} is ${job.status}; only a running job finishes`)
    this.end(job, this.now(), status, artifacts, expireIn)
    return job
  }

  // Steps

  private apply(event: RunEvent): void {
    const { job, at } = event
    const run = job.run
    switch (event.step) {
      case 'enqueue':
        // `before_transition scheduled: any` (app/models/ci/build.rb) clears `scheduled_at`.
        this.store.updateJob(job, { status: 'pending', queued_at: at, scheduled_at: null })
        refreshPipeline(this.store, job.pipeline_id, at)
        this.enqueued(job, at)
        return
      case 'start':
        this.begin(job, at)
        return
      case 'log':
        this.writeLine(job)
        this.planNextLine(job)
        return
      case 'finish':
        if (run) this.end(job, at, run.status, run.artifacts, run.expire_in)
        return
    }
  }

  /** pending → running, on a runner, with the log begun. */
  private begin(job: JobRecord, at: number, runner?: number): void {
    const runnerId = runner ?? job.run?.runner ?? this.firstRunner()
    this.store.updateJob(job, {
      status: 'running',
      started_at: at,
      runner_id: runnerId,
      // The runner's first manager (its first machine) takes it, if it has any.
      runner_manager_id:
        runnerId === null ? null : (this.store.runners.get(runnerId)?.managers[0]?.id ?? null),
      trace: job.trace ?? '',
      run_state: { logged: 0, reads: 0 },
    })
    refreshPipeline(this.store, job.pipeline_id, at)
    if (job.run && this.progressOf(job) === 'clock') this.planNextLine(job)
  }

  /** A running job picked up from a load: the lines already due are taken as written. */
  private resume(job: JobRecord, at: number): void {
    const run = job.run as JobRun
    const started = job.started_at ?? at
    const logged = run.log.filter((line) => started + line.at <= at).length
    this.store.updateJob(job, { started_at: started, run_state: { logged, reads: 0 } })
    this.planNextLine(job)
  }

  private planNextLine(job: JobRecord): void {
    const run = job.run as JobRun
    const started = job.started_at as number
    const logged = job.run_state?.logged ?? 0
    const line = run.log[logged]
    if (line) this.plan(job, 'log', started + line.at)
    else this.plan(job, 'finish', started + run.duration)
  }

  private writeLine(job: JobRecord): void {
    const run = job.run as JobRun
    const logged = job.run_state?.logged ?? 0
    const line = run.log[logged]
    if (!line) return
    this.store.updateJob(job, {
      trace: `${job.trace ?? ''}${line.text}\n`,
      run_state: { logged: logged + 1, reads: job.run_state?.reads ?? 0 },
    })
  }

  /**
   * running → success or failed: the last line, the uploads, the trace archived; next stages
   * follow. canceling → canceled (app/models/commit_status.rb: `success` and `drop` both
   * `transition canceling: :canceled`), with no last line and no failure reason.
   */
  private end(
    job: JobRecord,
    at: number,
    reported: 'success' | 'failed',
    uploads: readonly ArtifactRecord[],
    expireIn: number | null,
  ): void {
    const status = job.status === 'canceling' ? 'canceled' : reported
    const trace = `${job.trace ?? ''}${status === 'canceled' ? '' : `${LAST_LINE[reported]}\n`}`
    const kept = job.artifacts.filter((a) => a.file_type !== 'trace')
    this.store.updateJob(job, {
      status,
      finished_at: at,
      // A failed script: the runner reports `script_failure`.
      failure_reason: status === 'failed' ? 'script_failure' : null,
      trace,
      artifacts: [
        ...kept,
        ...uploads,
        // The finished job's log, archived as its trace artifact (Ci::ArchiveTraceService).
        traceArtifact(trace),
      ],
      // `expire_in: never` leaves no expiry; without uploads, the job's stays as it was.
      artifacts_expire_at: uploads.length
        ? expireIn === null
          ? null
          : at + expireIn
        : job.artifacts_expire_at,
    })
    processPipeline(this.store, job.pipeline_id, at, this)
  }

  private firstRunner(): number | null {
    for (const runner of this.store.runners.values()) if (runner.active) return runner.id
    return null
  }

  private progressOf(job: JobRecord): Progress {
    return job.run?.progress ?? this.progress
  }

  private stillApplies(event: RunEvent): boolean {
    const { job, expect } = event
    // A job canceled gracefully goes on as it ran, to be finished as canceled.
    const status = job.status === 'canceling' ? 'running' : job.status
    return (
      this.store.jobs.get(job.id) === job &&
      status === expect.status &&
      job.started_at === expect.started_at &&
      job.scheduled_at === expect.scheduled_at
    )
  }

  // The schedule, a heap whose changes reset() undoes: a step planned since is taken out (with
  // the job it holds), a step taken since is put back.

  private plan(job: JobRecord, step: Step, at: number): void {
    const expect = {
      status: step === 'enqueue' ? 'scheduled' : step === 'start' ? 'pending' : 'running',
      started_at: job.started_at,
      scheduled_at: job.scheduled_at,
    }
    const event: RunEvent = { at, seq: this.seq++, job, step, expect, index: -1 }
    this.heap.push(event)
    this.store.logUndo(() => {
      if (event.index < 0) return
      this.heap.removeAt(event.index)
      event.index = -1
    })
  }

  private pop(): void {
    const top = this.heap.pop() as RunEvent
    top.index = -1
    this.store.logUndo(() => this.heap.push(top))
  }
}

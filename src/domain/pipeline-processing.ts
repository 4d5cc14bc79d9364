import type { JobRecord } from '../store/records.js'
import type { Store } from '../store/store.js'
import { COMPLETED_STATUSES, compositeStatus, refreshPipeline } from './pipeline-status.js'

/** What happens to a job its stage has reached: the runner is told of what it may take. */
export interface ProcessingHooks {
  /** The job became pending at `at`. */
  enqueued(job: JobRecord, at: number): void
  /** The job became scheduled, to start at its `scheduled_at`. */
  scheduled(job: JobRecord): void
}

/**
 * Ci::ProcessPipelineService as GitLab 13.0 runs it, stage by stage: the created jobs of a stage
 * are processed once every earlier stage is complete, against the composite status of the
 * earlier stages' latest jobs (Ci::ProcessBuildService#valid_statuses_for_build): `on_success`,
 * `manual` and `delayed` jobs run after success (or all skipped), `on_failure` after a failure,
 * `always` after either; any other job is skipped. Stages come in the order their first job
 * was created.
 */
export function processPipeline(store: Store, pipelineId: number, at: number, hooks: ProcessingHooks): void {
  const jobs = store.jobsOfPipeline(pipelineId).list()
  const stage = stageOrder(jobs)
  const stages = [...stage.keys()]
  for (let i = 0; i < stages.length; i++) {
    const prior = jobs.filter((j) => !j.retried && (stage.get(j.stage) as number) < i)
    // `status_for_prior_stages`: the first stage follows a success.
    const status = prior.length === 0 ? 'success' : compositeStatus(prior)
    if (!COMPLETED_STATUSES.has(status)) break
    for (const job of jobs) {
      if (job.stage === stages[i] && !job.retried && job.status === 'created')
        processJob(store, job, status, at, hooks)
    }
  }
  refreshPipeline(store, pipelineId, at)
}

function processJob(store: Store, job: JobRecord, prior: string, at: number, hooks: ProcessingHooks): void {
  const valid =
    job.when === 'on_failure'
      ? ['failed']
      : job.when === 'always'
        ? ['success', 'failed', 'skipped']
        : ['success', 'skipped']
  if (!valid.includes(prior)) {
    store.updateJob(job, { status: 'skipped' })
  } else if (job.when === 'delayed') {
    store.updateJob(job, { status: 'scheduled', scheduled_at: at + (job.start_in ?? 0) })
    hooks.scheduled(job)
  } else if (job.when === 'manual') {
    store.updateJob(job, { status: 'manual' })
  } else {
    store.updateJob(job, { status: 'pending', queued_at: at })
    hooks.enqueued(job, at)
  }
}

/**
 * `Ci::Pipeline#mark_as_processable_after_stage`, on a retry: the skipped jobs of later stages
 * go back to created, to be processed again once the retried job finishes.
 */
export function reopenLaterStages(store: Store, job: JobRecord): void {
  const jobs = store.jobsOfPipeline(job.pipeline_id).list()
  const stage = stageOrder(jobs)
  const from = stage.get(job.stage) as number
  for (const later of jobs) {
    if (!later.retried && later.status === 'skipped' && (stage.get(later.stage) as number) > from)
      store.updateJob(later, { status: 'created' })
  }
}

/** Each stage's place: in the order its first job was created, as a fixture has no stage list. */
function stageOrder(jobs: readonly JobRecord[]): Map<string, number> {
  const order = new Map<string, number>()
  for (const job of jobs) if (!order.has(job.stage)) order.set(job.stage, order.size)
  return order
}

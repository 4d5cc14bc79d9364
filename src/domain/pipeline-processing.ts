import type { JobRecord } from '../store/records.js'
import type { Store } from '../store/store.js'
import { compositeStatus, refreshPipeline } from './pipeline-status.js'

const COMPLETED = new Set(['success', 'failed', 'canceled', 'skipped'])

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
  const stages: string[] = []
  for (const job of jobs) if (!stages.includes(job.stage)) stages.push(job.stage)
  for (let i = 0; i < stages.length; i++) {
    const prior = jobs.filter((j) => !j.retried && stages.indexOf(j.stage) < i)
    // `status_for_prior_stages`: the first stage follows a success.
    const status = prior.length === 0 ? 'success' : compositeStatus(prior)
    if (!COMPLETED.has(status)) break
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
    store.updateJob(job, { status: 'pending' })
    hooks.enqueued(job, at)
  }
}

/**
 * `Ci::Pipeline#mark_as_processable_after_stage`, on a retry: the skipped jobs of later stages
 * go back to created, to be processed again once the retried job finishes.
 */
export function reopenLaterStages(store: Store, job: JobRecord): void {
  const jobs = store.jobsOfPipeline(job.pipeline_id).list()
  const stages: string[] = []
  for (const j of jobs) if (!stages.includes(j.stage)) stages.push(j.stage)
  const stage = stages.indexOf(job.stage)
  for (const later of jobs) {
    if (!later.retried && later.status === 'skipped' && stages.indexOf(later.stage) > stage)
      store.updateJob(later, { status: 'created' })
  }
}

import type { JobRecord } from '../store/records.js'
import type { Store } from '../store/store.js'

/** `HasStatus::COMPLETED_STATUSES` (app/models/concerns/has_status.rb). */
export const COMPLETED_STATUSES: ReadonlySet<string> = new Set(['success', 'failed', 'canceled', 'skipped'])

/**
 * A pipeline's status from its latest jobs, as GitLab 13.0 computes it
 * (app/models/concerns/has_status.rb `status_sql`; jobs that may fail and failed, were canceled
 * or wait for a manual action are left out, `exclude_ignored`), and as today's
 * Gitlab::Ci::Status::Composite does (lib/gitlab/ci/status/composite.rb), which gives the same
 * for 13.0's statuses and places today's two: `waiting_for_callback` after
 * `waiting_for_resource`, `canceling` last before `failed`. A 13.0 job never stands in either.
 */
export function compositeStatus(
  jobs: readonly Pick<JobRecord, 'retried' | 'allow_failure' | 'status'>[],
): string {
  const latest = jobs.filter((j) => !j.retried)
  const relevant = latest.filter(
    (j) => !(j.allow_failure && ['failed', 'canceled', 'manual'].includes(j.status)),
  )
  const warnings = latest.filter(
    (j) => j.allow_failure && (j.status === 'failed' || j.status === 'canceled'),
  ).length
  const n = relevant.length
  const count = (s: string) => relevant.filter((j) => j.status === s).length
  const [created, preparing, pending, running, success, skipped, canceled] = [
    'created',
    'preparing',
    'pending',
    'running',
    'success',
    'skipped',
    'canceled',
  ].map(count) as [number, number, number, number, number, number, number]
  if (n === skipped && warnings > 0) return 'success'
  if (n === skipped) return 'skipped'
  if (n === success) return 'success'
  if (n === created) return 'created'
  if (n === preparing) return 'preparing'
  if (n === success + skipped) return 'success'
  if (n === success + skipped + canceled) return 'canceled'
  if (n === created + skipped + pending) return 'pending'
  if (running + pending > 0) return 'running'
  if (count('waiting_for_resource') > 0) return 'waiting_for_resource'
  if (count('waiting_for_callback') > 0) return 'waiting_for_callback'
  if (count('manual') > 0) return 'manual'
  if (count('scheduled') > 0) return 'scheduled'
  if (preparing > 0) return 'preparing'
  if (created > 0) return 'running'
  if (count('canceling') > 0) return 'canceling'
  return 'failed'
}

/** The pipeline's status follows its latest jobs (Ci::Pipeline#update_status). */
export function refreshPipeline(store: Store, pipelineId: number, now: number): void {
  const pipeline = store.pipelines.get(pipelineId)
  if (!pipeline) return
  // Its builds and its trigger jobs (`Ci::Pipeline#statuses`).
  const jobs = store.jobsOfPipeline(pipelineId).list()
  const bridges = store.bridges.size === 0 ? [] : store.bridgesOfPipeline(pipelineId)
  const status = compositeStatus(bridges.length === 0 ? jobs : [...jobs, ...bridges])
  if (status !== pipeline.status) store.updatePipeline(pipeline, { status, updated_at: now })
}

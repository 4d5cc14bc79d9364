import { type Ability, can, canOnJob } from '../domain/permissions.js'
import { presentContext as newPresentContext, type PresentContext, presentJob } from '../entities/index.js'
import type { JobChecks } from '../profiles/profile.js'
import type { BridgeRecord, JobRecord, ProjectRecord, UserRecord } from '../store/records.js'
import type { RouteRequest } from './context.js'
import { errors } from './errors.js'
import { findProject } from './find-project.js'
import type { Params } from './params.js'
import { type Answer, jsonResponse } from './responses.js'

/**
 * The checks of every single-job route, in GitLab's order: `job_id` (400), `find_project!` (404),
 * `authorize!(ability, user_project)` (403) if the route asks one, `find_build!` (404),
 * `authorize!(ability, build)` (403).
 * `user` may be asked for only once the params are valid (`current_user` where no `before` asked).
 * `declareMore` declares the route's params after `job_id`.
 */
export function checkJob(
  req: RouteRequest,
  currentUser: UserRecord | null | (() => UserRecord | null),
  params: Params,
  checks: JobChecks,
  declareMore?: () => void,
): { project: ProjectRecord; job: JobRecord } {
  const jobId = params.requiredInteger('job_id')
  declareMore?.()
  params.check()
  const user = typeof currentUser === 'function' ? currentUser() : currentUser
  const project = findProject(req, user)
  if (checks.project) authorize(req, user, checks.project, project)
  const job = findJob(req, project, jobId)
  if (checks.job && !canOnJob(user, checks.job, project, job)) throw errors.forbidden(req.api.profile)
  return { project, job }
}

/**
 * The same checks where the route finds any processable (`find_job!`: `user_project.processables`),
 * when the version keeps trigger jobs: the job, or the trigger job of that id.
 */
export function checkProcessable(
  req: RouteRequest,
  currentUser: UserRecord | null,
  params: Params,
  checks: JobChecks,
  declareMore?: () => void,
): { project: ProjectRecord; job: JobRecord } | { project: ProjectRecord; bridge: BridgeRecord } {
  const jobId = params.requiredInteger('job_id')
  declareMore?.()
  params.check()
  const project = findProject(req, currentUser)
  if (checks.project) authorize(req, currentUser, checks.project, project)
  const bridge = req.api.store.jobs.has(jobId) ? undefined : req.api.store.bridges.get(jobId)
  if (!bridge || bridge.project_id !== project.id) {
    const job = findJob(req, project, jobId)
    if (checks.job && !canOnJob(currentUser, checks.job, project, job))
      throw errors.forbidden(req.api.profile)
    return { project, job }
  }
  if (checks.job && !canOnJob(currentUser, checks.job, project, bridge))
    throw errors.forbidden(req.api.profile)
  return { project, bridge }
}

/** `find_build!`: `user_project.builds.find(id)`, so a job of another project is a 404 too. */
export function findJob(req: RouteRequest, project: ProjectRecord, jobId: number): JobRecord {
  const job = req.api.store.jobs.get(jobId)
  if (!job || job.project_id !== project.id) throw errors.recordNotFound()
  return job
}

/**
 * `reject_if_build_artifacts_size_refreshing!(project)`
 * (lib/api/helpers/project_stats_refresh_conflicts_helpers.rb), where the version has it.
 */
export function rejectIfStatsRefreshing(req: RouteRequest, project: ProjectRecord): void {
  if (req.api.profile.jobActions.statsRefreshConflict && project.refreshing_build_artifacts_size)
    throw errors.statsRefreshing()
}

/** `authorize!(ability, user_project)` */
export function authorize(
  req: RouteRequest,
  user: UserRecord | null,
  ability: Ability,
  project: ProjectRecord,
): void {
  if (!can(user, ability, project)) throw errors.forbidden(req.api.profile)
}

export function presentContext(req: RouteRequest): PresentContext {
  return newPresentContext(req.api.profile, req.api.store, req.gitlabUrl, req.api.now())
}

/** `present build, with: Entities::Job` */
export function jobResponse(req: RouteRequest, job: JobRecord, status: number): Answer {
  return jsonResponse(presentJob(job, presentContext(req)), { status })
}

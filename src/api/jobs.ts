import { isErasable, isPlayable, isRetryable } from '../domain/job-actions.js'
import { can, canOnJob, type JobAbility } from '../domain/permissions.js'
import { presentJob } from '../entities/job.js'
import type { PresentContext } from '../entities/present.js'
import type { JobIndex } from '../store/job-index.js'
import type { JobRecord, ProjectRecord, UserRecord } from '../store/records.js'
import { authenticate, identify } from './auth.js'
import type { RouteRequest } from './context.js'
import { errors } from './errors.js'
import { findProject } from './find-project.js'
import { paginate } from './pagination.js'
import { Params } from './params.js'
import { jsonResponse } from './responses.js'
import type { Route } from './router.js'

/** lib/api/jobs.rb (GitLab 13.0): each check in GitLab's order. */
export const jobRoutes: readonly Route[] = [
  {
    // GET /projects/:id/jobs
    method: 'GET',
    path: '/projects/:id/jobs',
    handle(req) {
      const { user, params } = begin(req)
      const list = listParams(req, params)
      params.check()
      const project = findProject(req.api.store, req.route.id as string, user)
      authorize(req, user, 'read_build', project)
      return jobList(req, req.api.store.jobsOfProject(project.id), 'desc', list, params)
    },
  },
  {
    // GET /projects/:id/pipelines/:pipeline_id/jobs
    method: 'GET',
    path: '/projects/:id/pipelines/:pipeline_id/jobs',
    handle(req) {
      const { user, params } = begin(req)
      const pipelineId = params.requiredInteger('pipeline_id')
      const list = listParams(req, params)
      params.check()
      const project = findProject(req.api.store, req.route.id as string, user)
      authorize(req, user, 'read_pipeline', project)
      const pipeline = req.api.store.pipelines.get(pipelineId)
      if (!pipeline || pipeline.project_id !== project.id) throw errors.recordNotFound()
      authorize(req, user, 'read_build', project)
      const index = req.api.store.jobsOfPipeline(pipeline.id)
      return jobList(req, index, req.api.profile.pipelineJobs.order, list, params)
    },
  },
  {
    // GET /projects/:id/jobs/:job_id
    method: 'GET',
    path: '/projects/:id/jobs/:job_id',
    handle(req) {
      const { job } = readJob(req)
      return jsonResponse(presentJob(job, presentContext(req)))
    },
  },
  {
    // GET /projects/:id/jobs/:job_id/trace
    method: 'GET',
    path: '/projects/:id/jobs/:job_id/trace',
    handle(req) {
      const { job } = readJob(req)
      // A job without a log answers 200 with an empty body (the doc's 404 is wrong).
      return new Response(job.trace ?? '', {
        status: 200,
        headers: { 'Content-Type': 'text/plain', 'Content-Disposition': `infile; filename="${job.id}.log"` },
      })
    },
  },
  {
    // POST /projects/:id/jobs/:job_id/cancel
    method: 'POST',
    path: '/projects/:id/jobs/:job_id/cancel',
    handle(req) {
      const { job, now } = updatableJob(req)
      return jsonResponse(presentJob(req.api.actions.cancel(job, now), presentContext(req)), { status: 201 })
    },
  },
  {
    // POST /projects/:id/jobs/:job_id/retry
    method: 'POST',
    path: '/projects/:id/jobs/:job_id/retry',
    handle(req) {
      const { user, job, now } = updatableJob(req)
      if (!isRetryable(job)) throw errors.forbidden(req.api.profile, 'Job is not retryable')
      return jsonResponse(presentJob(req.api.actions.retry(job, user, now), presentContext(req)), {
        status: 201,
      })
    },
  },
  {
    // POST /projects/:id/jobs/:job_id/erase
    method: 'POST',
    path: '/projects/:id/jobs/:job_id/erase',
    handle(req) {
      const { user, params } = begin(req)
      const jobId = params.requiredInteger('job_id')
      params.check()
      const project = findProject(req.api.store, req.route.id as string, user)
      authorize(req, user, 'update_build', project)
      const job = findJob(req, project, jobId)
      authorizeOnJob(req, user, 'erase_build', project, job)
      const now = req.api.now()
      if (!isErasable(job, now)) throw errors.forbidden(req.api.profile, 'Job is not erasable!')
      return jsonResponse(presentJob(req.api.actions.erase(job, user, now), presentContext(req)), {
        status: 201,
      })
    },
  },
  {
    // POST /projects/:id/jobs/:job_id/play
    method: 'POST',
    path: '/projects/:id/jobs/:job_id/play',
    handle(req) {
      const { user, params } = begin(req)
      const jobId = params.requiredInteger('job_id')
      params.check()
      const project = findProject(req.api.store, req.route.id as string, user)
      authorize(req, user, 'read_build', project)
      const job = findJob(req, project, jobId)
      authorizeOnJob(req, user, 'update_build', project, job)
      if (!isPlayable(job)) throw errors.badRequest(req.api.profile, 'Unplayable Job')
      const played = req.api.actions.play(job, user, req.api.now())
      // `status 200`: set explicitly, where Grape's POST default is 201.
      return jsonResponse(presentJob(played, presentContext(req)), { status: 200 })
    },
  },
]

/** `before { authenticate! }`, then the `:id` route param every Jobs route declares. */
function begin(req: RouteRequest): { user: UserRecord; params: Params } {
  const caller = identify(req.request, req.query, req.api.store, req.api.profile)
  authenticate(caller)
  return { user: caller.user, params: new Params(req.query, req.route) }
}

/** 401, 400 for `job_id`, 404 project, 403 read_build, 404 job: the single-job checks. */
function readJob(req: RouteRequest): { user: UserRecord; project: ProjectRecord; job: JobRecord } {
  const { user, params } = begin(req)
  const jobId = params.requiredInteger('job_id')
  params.check()
  const project = findProject(req.api.store, req.route.id as string, user)
  authorize(req, user, 'read_build', project)
  return { user, project, job: findJob(req, project, jobId) }
}

/** cancel and retry: 401, 400, 404 project, 403 update_build, 404 job, 403 update_build on the job. */
function updatableJob(req: RouteRequest): { user: UserRecord; job: JobRecord; now: number } {
  const { user, params } = begin(req)
  const jobId = params.requiredInteger('job_id')
  params.check()
  const project = findProject(req.api.store, req.route.id as string, user)
  authorize(req, user, 'update_build', project)
  const job = findJob(req, project, jobId)
  authorizeOnJob(req, user, 'update_build', project, job)
  return { user, job, now: req.api.now() }
}

/** `authorize!(ability, build)` */
export function authorizeOnJob(
  req: RouteRequest,
  user: UserRecord | null,
  ability: JobAbility,
  project: ProjectRecord,
  job: JobRecord,
): void {
  if (!canOnJob(user, ability, project, job)) throw errors.forbidden(req.api.profile)
}

/** `find_build!`: `user_project.builds.find(id)`, so a job of another project is a 404 too. */
export function findJob(req: RouteRequest, project: ProjectRecord, jobId: number): JobRecord {
  const job = req.api.store.jobs.get(jobId)
  if (!job || job.project_id !== project.id) throw errors.recordNotFound()
  return job
}

export function authorize(
  req: RouteRequest,
  user: UserRecord | null,
  ability: Parameters<typeof can>[1],
  project: ProjectRecord,
): void {
  if (!can(user, ability, project)) throw errors.forbidden(req.api.profile)
}

export function presentContext(req: RouteRequest): PresentContext {
  return { profile: req.api.profile, store: req.api.store, gitlabUrl: req.api.gitlabUrl, now: req.api.now() }
}

interface ListParams {
  scope: string[] | undefined
  page: number
  perPage: number
}

/** `use :optional_scope` and `use :pagination`, in that order. */
function listParams(req: RouteRequest, params: Params): ListParams {
  return {
    scope: params.scope(req.api.profile),
    page: params.optionalInteger('page', 1),
    perPage: params.optionalInteger('per_page', req.api.profile.pagination.defaultPerPage),
  }
}

function jobList(
  req: RouteRequest,
  index: JobIndex,
  order: 'asc' | 'desc',
  list: ListParams,
  params: Params,
): Response {
  const { jobs, headers } = paginate(req, index, order, list.scope, list.page, list.perPage, params.values)
  const ctx = presentContext(req)
  return jsonResponse(
    jobs.map((job) => presentJob(job, ctx)),
    { headers },
  )
}

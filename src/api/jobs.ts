import { isBridgePlayable, isErasable, isPlayable, isRetryable } from '../domain/job-actions.js'
import { can, canOnJob } from '../domain/permissions.js'
import { presentBridge, presentBridgeAsJob } from '../entities/bridge.js'
import { presentAll, presentJob } from '../entities/index.js'
import type { JobTokenRoute } from '../profiles/profile.js'
import { JobIndex } from '../store/job-index.js'
import type { UserRecord } from '../store/records.js'
import { authenticate, identify, takesJobToken } from './auth.js'
import type { RouteRequest } from './context.js'
import { errors } from './errors.js'
import { findProject } from './find-project.js'
import {
  authorize,
  checkJob,
  checkProcessable,
  jobResponse,
  presentContext,
  rejectIfStatsRefreshing,
} from './job-checks.js'
import { keysetPage } from './keyset-pagination.js'
import { type PageQuery, paginate } from './pagination.js'
import { Params } from './params.js'
import { type Answer, answer, jsonResponse } from './responses.js'
import type { Route } from './router.js'

/** lib/api/jobs.rb (GitLab 13.0): each check in GitLab's order. */
export const jobRoutes: readonly Route[] = [
  {
    // GET /projects/:id/jobs
    method: 'GET',
    path: '/projects/:id/jobs',
    handle(req) {
      const { user, params } = begin(req, 'projectJobs')
      const rules = req.api.profile.projectJobs
      const list = listParams(req, params, () => (rules.refParam ? params.optionalString('ref') : undefined))
      params.check()
      // `check_rate_limit!(:jobs_index, scope: current_user)`, before the project is looked for.
      const limit = req.api.rateLimits.jobsIndex
      if (limit && req.api.rateLimiter.throttled('jobs_index', `user:${user.id}`, limit))
        throw errors.rateLimited(limit.interval)
      const project = findProject(req, user)
      authorize(req, user, 'read_build', project)
      let index = req.api.store.jobsOfProject(project.id)
      // `builds.with_ref(params[:ref]) if params[:ref].present?`: a blank ref is no filter.
      const ref = list.ref?.trim() ? list.ref : undefined
      if (ref !== undefined) index = index.where((job) => job.ref === ref)
      // `paginate_with_strategies`: `pagination=keyset` pages by cursor where the version has it.
      if (rules.keyset && params.values.pagination === 'keyset') {
        const { jobs, headers } = keysetPage(req, index, {
          order: rules.keyset,
          statuses: list.scope,
          perPage: list.perPage,
          params: params.values,
        })
        const ctx = presentContext(req)
        return jsonResponse(
          presentAll(jobs, (job) => presentJob(job, ctx)),
          { headers },
        )
      }
      return jobList(req, index, list, params, {
        order: 'desc',
        withoutCount: req.api.profile.projectJobs.withoutCount,
      })
    },
  },
  {
    // GET /projects/:id/pipelines/:pipeline_id/jobs
    method: 'GET',
    path: '/projects/:id/pipelines/:pipeline_id/jobs',
    handle(req) {
      const { user, params } = begin(req, 'pipelineJobs')
      const rules = req.api.profile.pipelineJobs
      const pipelineId = params.requiredInteger('pipeline_id')
      const includeRetried = rules.includeRetriedParam
        ? params.optionalBoolean('include_retried', false)
        : true
      const list = listParams(req, params, undefined, rules.scopeHash)
      params.check()
      const project = findProject(req, user)
      authorize(req, user, 'read_pipeline', project)
      const pipeline = req.api.store.pipelines.get(pipelineId)
      if (!pipeline || pipeline.project_id !== project.id) throw errors.recordNotFound()
      let index = req.api.store.jobsOfPipeline(pipeline.id)
      if (!can(user, 'read_build', project)) {
        if (rules.unreadableJobs === 'forbidden') throw errors.forbidden(req.api.profile)
        index = new JobIndex()
      }
      if (!includeRetried) index = index.where((job) => !job.retried)
      return jobList(req, index, list, params, { order: rules.order })
    },
  },
  {
    // GET /projects/:id/jobs/:job_id
    method: 'GET',
    path: '/projects/:id/jobs/:job_id',
    handle(req) {
      const { user, params } = begin(req)
      const { job } = checkJob(req, user, params, { project: 'read_build' })
      req.api.runner.read(job)
      return jobResponse(req, job, 200)
    },
  },
  {
    // GET /projects/:id/jobs/:job_id/trace
    method: 'GET',
    path: '/projects/:id/jobs/:job_id/trace',
    handle(req) {
      const { user, params } = begin(req)
      const maxLimit = req.api.profile.trace.byteLimitMax
      let range: { offset?: number; limit?: number } | null = null
      const { project, job } = checkJob(req, user, params, { project: 'read_build' }, () => {
        if (maxLimit === null) return
        const offset = params.optionalIntegerIn('byte_offset', 0, null)
        const limit = params.optionalIntegerIn('byte_limit', 1, maxLimit)
        if (offset !== undefined || limit !== undefined) range = { offset, limit }
      })
      // `authorize_read_build_trace!(build)`: a debug job's log is for who may update builds.
      if (req.api.profile.trace.debugMode && job.debug_trace_enabled && !can(user, 'update_build', project))
        throw errors.forbidden(req.api.profile)
      req.api.runner.read(job)
      // A job without a log answers 200 with an empty body (the doc's 404 is wrong).
      return answer(
        200,
        { 'Content-Type': 'text/plain', 'Content-Disposition': `infile; filename="${job.id}.log"` },
        range ? byteSlice(job.trace ?? '', range) : (job.trace ?? ''),
      )
    },
  },
  {
    // POST /projects/:id/jobs/:job_id/cancel
    method: 'POST',
    path: '/projects/:id/jobs/:job_id/cancel',
    handle(req) {
      const { user, params } = begin(req)
      const rules = req.api.profile.jobActions
      const forceAbility = rules.forceCancel
      let force = false
      const { project, job } = checkJob(req, user, params, req.api.profile.jobChecks.cancel, () => {
        if (forceAbility) force = params.optionalBoolean('force', false)
      })
      if (force && forceAbility) {
        // `authorize!(:force_cancel_build, build)`, then `build.force_cancel`.
        if (!canOnJob(user, forceAbility, project, job)) throw errors.forbidden(req.api.profile)
        return jobResponse(req, req.api.actions.forceCancel(job, req.api.now()), 201)
      }
      return jobResponse(req, req.api.actions.cancel(job, req.api.now(), rules.gracefulCancel), 201)
    },
  },
  {
    // POST /projects/:id/jobs/:job_id/retry
    method: 'POST',
    path: '/projects/:id/jobs/:job_id/retry',
    handle(req) {
      const { user, params } = begin(req)
      // `inputs` are checked against the job's `spec:inputs` (Ci::RetryJobService#validate_inputs);
      // a job that declares none, as every job of the fake, takes any (`return ServiceResponse
      // .success unless inputs_spec.present?`), and they change nothing the API shows.
      const declare = () => {
        if (req.api.profile.jobActions.inputs) params.optionalHash('inputs')
      }
      const checks = req.api.profile.jobChecks.retry
      // `find_job!` (processables) where the version retries trigger jobs, else `find_build!`.
      const found = req.api.profile.triggerJobs.retry
        ? checkProcessable(req, user, params, checks, declare)
        : checkJob(req, user, params, checks, declare)
      const target = 'bridge' in found ? found.bridge : found.job
      if (!isRetryable(target, req.api.profile.jobActions.retryable))
        throw errors.forbidden(req.api.profile, 'Job is not retryable')
      // `present response[:job], with: Entities::Ci::Job`, a trigger job too.
      if ('bridge' in found)
        return jsonResponse(
          presentBridgeAsJob(
            req.api.actions.retryBridge(found.bridge, user, req.api.now()),
            presentContext(req),
          ),
          { status: 201 },
        )
      return jobResponse(req, req.api.actions.retry(found.job, user, req.api.now()), 201)
    },
  },
  {
    // POST /projects/:id/jobs/:job_id/erase
    method: 'POST',
    path: '/projects/:id/jobs/:job_id/erase',
    handle(req) {
      const { user, params } = begin(req)
      const { project, job } = checkJob(req, user, params, req.api.profile.jobChecks.erase)
      const now = req.api.now()
      if (!isErasable(job, now)) throw errors.forbidden(req.api.profile, 'Job is not erasable!')
      rejectIfStatsRefreshing(req, project)
      return jobResponse(req, req.api.actions.erase(job, user, now), 201)
    },
  },
  {
    // POST /projects/:id/jobs/:job_id/play
    method: 'POST',
    path: '/projects/:id/jobs/:job_id/play',
    handle(req) {
      const { user, params } = begin(req)
      const rules = req.api.profile.jobActions
      // The variables become the played job's own (`job_variables`), which no entity shows; the
      // inputs are taken as retry's `inputs` are.
      const declare = () => {
        if (!rules.inputs) return
        params.optionalHashArray('job_variables_attributes', ['key', 'value'])
        params.optionalHash('job_inputs')
      }
      const checks = req.api.profile.jobChecks.play
      // `find_job!` (processables) where the version keeps trigger jobs, else `find_build!`.
      const found = req.api.profile.triggerJobs.retry
        ? checkProcessable(req, user, params, checks, declare)
        : checkJob(req, user, params, checks, declare)
      if ('bridge' in found) {
        if (!isBridgePlayable(found.bridge)) throw errors.badRequest(req.api.profile, 'Unplayable Job')
        const played = req.api.actions.playBridge(found.bridge, user, req.api.now())
        // `present job, with: Entities::Ci::Bridge`, with `status 200`.
        return jsonResponse(
          presentBridge(rules.playAnswers === 'played' ? played : found.bridge, presentContext(req)),
          {
            status: 200,
          },
        )
      }
      const { job } = found
      if (!isPlayable(job, rules.retryable)) throw errors.badRequest(req.api.profile, 'Unplayable Job')
      const played = req.api.actions.play(job, user, req.api.now())
      // `status 200`: set explicitly, where Grape's POST default is 201.
      return jobResponse(req, rules.playAnswers === 'played' ? played : job, 200)
    },
  },
]

/** Ruby's `byteslice(offset, limit)` of the log's UTF-8 bytes; past the end, nothing. */
function byteSlice(trace: string, window: { offset?: number; limit?: number }): Uint8Array {
  const bytes = new TextEncoder().encode(trace)
  const offset = window.offset ?? 0
  return bytes.subarray(offset, window.limit === undefined ? undefined : offset + window.limit)
}

/**
 * `before { authenticate! }`, then the `:id` route param every Jobs route declares. A job token
 * counts only on a route that takes one in this version.
 */
export function begin(req: RouteRequest, route?: JobTokenRoute): { user: UserRecord; params: Params } {
  const caller = identify(req, route !== undefined && takesJobToken(req, route))
  authenticate(caller)
  return { user: caller.user, params: new Params(req.query, req.route) }
}

interface ListParams {
  scope: string[] | undefined
  ref: string | undefined
  page: number
  perPage: number
}

/** `use :optional_scope`, the route's `ref` if it has one, and `use :pagination`, in that order. */
function listParams(
  req: RouteRequest,
  params: Params,
  ref?: () => string | undefined,
  scopeHash: 'values' | 'unknown' = 'values',
): ListParams {
  const { defaultPerPage, zeroPerPage } = req.api.profile.pagination
  return {
    scope: params.scope(req.api.profile, scopeHash),
    ref: ref?.(),
    page: params.optionalInteger('page', 1),
    perPage: params.optionalInteger('per_page', defaultPerPage, zeroPerPage === 'reject' ? [0] : []),
  }
}

function jobList(
  req: RouteRequest,
  index: JobIndex,
  list: ListParams,
  params: Params,
  how: Pick<PageQuery, 'order' | 'withoutCount'>,
): Answer {
  const { jobs, headers } = paginate(req, index, {
    ...how,
    statuses: list.scope,
    page: list.page,
    perPage: list.perPage,
    params: params.values,
  })
  const ctx = presentContext(req)
  return jsonResponse(
    presentAll(jobs, (job) => presentJob(job, ctx)),
    { headers },
  )
}

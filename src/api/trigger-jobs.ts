import { presentBridge } from '../entities/bridge.js'
import { presentAll } from '../entities/index.js'
import { identify, takesJobToken } from './auth.js'
import type { RouteRequest } from './context.js'
import { errors } from './errors.js'
import { findProject } from './find-project.js'
import { authorize, presentContext } from './job-checks.js'
import { pageableList, paginate } from './pagination.js'
import { Params } from './params.js'
import { type Answer, jsonResponse } from './responses.js'
import type { Route } from './router.js'

/**
 * A pipeline's trigger jobs (lib/api/ci/pipelines.rb, today): `trigger_jobs`, and `bridges`, its
 * deprecated name. `before { authenticate_non_get! }`; `authorize!(:read_build, user_project)`,
 * then the pipeline (`all_pipelines.find`, 404), then `Ci::JobsFinder` with `type: ::Ci::Bridge`:
 * newest first, retried ones left out, filtered by `scope`; counted pages.
 */
export const triggerJobRoutes: readonly Route[] = [
  { method: 'GET', path: '/projects/:id/pipelines/:pipeline_id/trigger_jobs', handle: listTriggerJobs },
  { method: 'GET', path: '/projects/:id/pipelines/:pipeline_id/bridges', handle: listTriggerJobs },
]

function listTriggerJobs(req: RouteRequest): Answer {
  const params = new Params(req.query, req.route)
  const pipelineId = params.requiredInteger('pipeline_id')
  const scope = params.scope(req.api.profile, req.api.profile.pipelineJobs.scopeHash)
  const { defaultPerPage, zeroPerPage } = req.api.profile.pagination
  const page = params.optionalInteger('page', 1)
  const perPage = params.optionalInteger('per_page', defaultPerPage, zeroPerPage === 'reject' ? [0] : [])
  params.check()
  const caller = identify(req, takesJobToken(req, 'triggerJobs'))
  const project = findProject(req, caller.user)
  authorize(req, caller.user, 'read_build', project)
  const pipeline = req.api.store.pipelines.get(pipelineId)
  if (!pipeline || pipeline.project_id !== project.id) throw errors.recordNotFound()
  const bridges = req.api.store
    .bridgesOfPipeline(pipeline.id)
    .filter((b) => !b.retried && (scope === undefined || scope.includes(b.status)))
    .reverse()
  const listed = paginate(req, pageableList(bridges), {
    order: 'desc',
    statuses: undefined,
    page,
    perPage,
    params: params.values,
  })
  const ctx = presentContext(req)
  return jsonResponse(
    presentAll(listed.jobs, (b) => presentBridge(b, ctx)),
    { headers: listed.headers },
  )
}

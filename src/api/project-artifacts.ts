import { authenticate, identify } from './auth.js'
import { findProject } from './find-project.js'
import { authorize, rejectIfStatsRefreshing } from './job-checks.js'
import { jsonResponse } from './responses.js'
import type { Route } from './router.js'

/**
 * `DELETE /projects/:id/artifacts` (lib/api/ci/job_artifacts.rb, today): `authenticate_non_get!`,
 * `authorize_delete_job_artifact!` (the project: 404, then Maintainer: 403), then
 * `Ci::JobArtifacts::DeleteProjectArtifactsService`, which queues the expiry of the project's
 * unlocked artifacts and answers `accepted!`. GitLab's worker runs soon after; here the rows
 * expire at once, and the expiry worker destroys them on its next run.
 */
export const projectArtifactRoutes: readonly Route[] = [
  {
    method: 'DELETE',
    path: '/projects/:id/artifacts',
    handle(req) {
      const caller = identify(req)
      authenticate(caller)
      const project = findProject(req, caller.user)
      authorize(req, caller.user, 'destroy_artifacts', project)
      rejectIfStatsRefreshing(req, project)
      req.api.actions.expireProjectArtifacts(project.id, req.api.now())
      return jsonResponse({ message: '202 Accepted' }, { status: 202 })
    },
  },
]

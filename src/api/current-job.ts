import { authenticate, identify, takesJobToken } from './auth.js'
import { errors } from './errors.js'
import { jobResponse } from './job-checks.js'
import type { Route } from './router.js'

/**
 * `resource :job` (lib/api/ci/jobs.rb, today): the job whose CI job token the request carries.
 * `before { authenticate! }`: no credentials, or the token of a job that no longer runs, is a 401;
 * a personal access token is a user without a job: `not_found!('Job')`.
 */
export const currentJobRoutes: readonly Route[] = [
  {
    // GET /job
    method: 'GET',
    path: '/job',
    handle(req) {
      const caller = identify(req, takesJobToken(req, 'currentJob'))
      authenticate(caller)
      // `validate_current_authenticated_job`
      if (!caller.job) throw errors.notFound('Job')
      return jobResponse(req, caller.job, 200)
    },
  },
]

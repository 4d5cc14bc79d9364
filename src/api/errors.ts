import type { GitLabProfile } from '../profiles/profile.js'
import { type Answer, jsonResponse } from './responses.js'

/**
 * GitLab's errors, with their status and envelope. Grape wraps a String given to `error!` as
 * `{"error": …}`; `render_api_error!` passes `{"message": …}` through. Both coexist in the API.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { readonly message: string } | { readonly error: string },
  ) {
    super('message' in body ? body.message : body.error)
  }

  toAnswer(): Answer {
    return jsonResponse(this.body, { status: this.status })
  }
}

/** lib/api/helpers.rb, lib/api/api.rb (rescue_from), Grape's validation errors. */
export const errors = {
  unauthorized: () => new ApiError(401, { message: '401 Unauthorized' }),
  /** `forbidden!(reason)` */
  forbidden: (profile: GitLabProfile, reason?: string) =>
    new ApiError(403, { message: profile.messages.forbidden(reason) }),
  /** `not_found!('Project')` */
  projectNotFound: () => new ApiError(404, { message: '404 Project Not Found' }),
  /** `not_found!(resource)`, capital F */
  notFound: (resource?: string) =>
    new ApiError(404, { message: resource ? `404 ${resource} Not Found` : '404 Not Found' }),
  /** `rescue_from ActiveRecord::RecordNotFound` in lib/api/api.rb, lowercase f */
  recordNotFound: () => new ApiError(404, { message: '404 Not found' }),
  /** `bad_request!(reason)` */
  badRequest: (profile: GitLabProfile, reason: string) =>
    new ApiError(400, { message: profile.messages.badRequest(reason) }),
  /** Grape parameter validation, messages joined with ", " */
  validation: (messages: readonly string[]) => new ApiError(400, { error: messages.join(', ') }),
  /** The catch-all `route :any, '*path'` in lib/api/api.rb */
  routeNotFound: () => new ApiError(404, { error: '404 Not Found' }),
  /** Rack's answer to a query string it cannot parse */
  badQuery: () => new ApiError(400, { error: '400 Bad Request' }),
  internal: () => new ApiError(500, { message: '500 Internal Server Error' }),
}

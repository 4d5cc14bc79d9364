import type { GitLabProfile } from '../profiles/profile.js'
import { type Answer, jsonResponse } from './responses.js'

/**
 * GitLab's errors, with their status and envelope. Grape wraps a String given to `error!` as
 * `{"error": …}`; `render_api_error!` passes `{"message": …}` through. Both coexist in the API,
 * beside rack-oauth2's `{"error": …, "error_description": …}` for tokens.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body:
      | { readonly message: string | { readonly error: string } }
      | { readonly error: string; readonly [field: string]: string },
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(
      'message' in body ? (typeof body.message === 'string' ? body.message : body.message.error) : body.error,
    )
  }

  toAnswer(): Answer {
    return jsonResponse(this.body, { status: this.status, headers: { ...this.headers } })
  }
}

/**
 * lib/api/api_guard.rb answers a token it refuses with rack-oauth2's errors (1.9,
 * lib/rack/oauth2/server/abstract/error.rb, resource/error.rb): `Bearer::Unauthorized` with a
 * `WWW-Authenticate` header whose realm is rack-oauth2's default; `Bearer::Forbidden`, without
 * one ("FIXME: ForbiddenError … does not include WWW-Authenticate header"), naming the scopes.
 */
function invalidToken(description: string): ApiError {
  return new ApiError(
    401,
    { error: 'invalid_token', error_description: description },
    {
      'WWW-Authenticate': `Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="${description}"`,
    },
  )
}

/** lib/api/helpers.rb, lib/api/api.rb (rescue_from), Grape's validation errors. */
export const errors = {
  unauthorized: () => new ApiError(401, { message: '401 Unauthorized' }),
  /** `Gitlab::Auth::ExpiredError` (lib/api/api_guard.rb) */
  tokenExpired: () => invalidToken('Token is expired. You can either do re-authorization or token refresh.'),
  /** `Gitlab::Auth::RevokedError` (lib/api/api_guard.rb) */
  tokenRevoked: () => invalidToken('Token was revoked. You have to re-authorize from the user.'),
  /** `Gitlab::Auth::InsufficientScopeError`: every scope the route accepts, space-separated. */
  insufficientScope: (scopes: readonly string[]) =>
    new ApiError(403, {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: scopes.join(' '),
    }),
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
  /** `bad_request!(reason)`, or `bad_request!` */
  badRequest: (profile: GitLabProfile, reason?: string) =>
    new ApiError(400, { message: profile.messages.badRequest(reason) }),
  /** Grape parameter validation, messages joined with ", " */
  validation: (messages: readonly string[]) => new ApiError(400, { error: messages.join(', ') }),
  /** The catch-all `route :any, '*path'` in lib/api/api.rb */
  routeNotFound: () => new ApiError(404, { error: '404 Not Found' }),
  /** Rack's answer to a query string it cannot parse */
  badQuery: () => new ApiError(400, { error: '400 Bad Request' }),
  internal: () => new ApiError(500, { message: '500 Internal Server Error' }),
  /** `reject_if_build_artifacts_size_refreshing!`: `conflict!(msg)` */
  statsRefreshing: () =>
    new ApiError(409, {
      message:
        'Action temporarily disabled. The project this pipeline belongs to is undergoing stats refresh.',
    }),
  /**
   * `check_rate_limit!` (lib/api/helpers/rate_limiter.rb): `too_many_requests!({ error: msg },
   * retry_after: interval)`, a hash inside the message, and the limit's interval as Retry-After.
   */
  rateLimited: (interval: number) =>
    new ApiError(
      429,
      { message: { error: 'This endpoint has been requested too many times. Try again later.' } },
      { 'Retry-After': String(interval) },
    ),
}

import { type RouteScope, validateAccessToken } from '../domain/access-tokens.js'
import type { GitLabProfile, JobTokenRoute } from '../profiles/profile.js'
import type { JobRecord, PersonalAccessTokenRecord, UserRecord } from '../store/records.js'
import type { Store } from '../store/store.js'
import type { RouteRequest } from './context.js'
import { errors } from './errors.js'

export interface Caller {
  readonly user: UserRecord | null
  /** Set when the caller authenticated with a CI job token. */
  readonly job: JobRecord | null
  /** Set when the caller authenticated with a personal access token. */
  readonly token?: PersonalAccessTokenRecord
}

const ANONYMOUS: Caller = { user: null, job: null }

/** The job whose CI job token a request authenticated with, once `identify` found it. */
const authenticatedJobs = new WeakMap<RouteRequest, JobRecord>()

/** `current_authenticated_job`: the job of the request's job token, if it came with one. */
export function authenticatedJob(req: RouteRequest): JobRecord | undefined {
  return authenticatedJobs.get(req)
}

/** Whether the version lets this route take a job token (`job_token_allowed: true`). */
export function takesJobToken(req: RouteRequest, route: JobTokenRoute): boolean {
  return req.api.profile.jobTokens.routes.includes(route)
}

/**
 * `current_user` (lib/api/helpers.rb, 13.0): the user the credentials name, then `sudo!`, then,
 * unless sudo changed the user, the scopes every route accepts
 * (`validate_access_token!(scopes: scopes_registered_for_endpoint) unless sudo?`). A route whose
 * `before` calls `authenticate!` meets these refusals before its parameters are validated; the
 * artifact downloads meet them where they first ask for the user.
 */
export function identify(req: RouteRequest, jobTokenAllowed = false): Caller {
  const found = findCurrentUser(req, jobTokenAllowed)
  const caller = sudo(req, found)
  if (caller.user === found.user) validateToken(req, found.token, req.api.profile.accessTokens.routeScopes)
  if (caller.job) authenticatedJobs.set(req, caller.job)
  return caller
}

/**
 * `find_current_user!` (lib/api/api_guard.rb) and `find_user_from_sources`
 * (lib/gitlab/auth/auth_finders.rb): an access token from `private_token`, `PRIVATE-TOKEN` or
 * `Authorization: Bearer` (also the OAuth `access_token` param); then, only on routes that allow
 * it, a job token from `job_token`, `token` or `JOB-TOKEN`. A token that matches nobody is a 401,
 * even where anonymous access would do.
 */
function findCurrentUser(req: RouteRequest, jobTokenAllowed: boolean): Caller {
  const { request, query } = req
  const { store, profile } = req.api
  // `find_user_from_bearer_token`: `find_user_from_job_bearer_token` first, on the routes that
  // take a job token, where the version has it; a token that finds no valid job
  // (`Ci::AuthJobFinder#execute` answers nil) is then tried as an access token.
  const bearerToken = bearer(request.headers.get('authorization'))
  if (jobTokenAllowed && profile.jobTokens.bearer && bearerToken !== undefined) {
    const job = store.jobByToken(bearerToken)
    if (job && validJobToken(job, profile)) return active({ user: jobUser(job, store), job }, profile)
  }
  const accessToken =
    present(query.private_token) ??
    present(request.headers.get('private-token')) ??
    bearer(request.headers.get('authorization')) ??
    present(query.access_token)
  if (accessToken !== undefined) {
    const found = store.accessToken(accessToken)
    if (!found) throw errors.unauthorized()
    // `find_user_from_access_token` validates it with no scopes asked: expiry, then revocation.
    validateToken(req, found.token, [])
    return active({ user: found.user, job: null, token: found.token }, profile)
  }
  if (jobTokenAllowed) {
    const jobToken =
      present(query.job_token) ?? present(query.token) ?? present(request.headers.get('job-token'))
    if (jobToken !== undefined) {
      const job = store.jobByToken(jobToken)
      if (!job) throw errors.unauthorized()
      // Ci::AuthJobFinder#validate_executing_job! and validate_job_not_erased!, where the
      // version has them: a finished (or erased) job's token is a 401.
      if (!validJobToken(job, profile)) throw errors.unauthorized()
      return active({ user: jobUser(job, store), job }, profile)
    }
  }
  return ANONYMOUS
}

/**
 * `sudo!` (lib/api/helpers.rb, 13.0): the `sudo` param, else the `Sudo` header, names the user to
 * act as, by id or username; only an admin's personal access token with the `sudo` scope may.
 */
function sudo(req: RouteRequest, caller: Caller): Caller {
  const identifier = sudoIdentifier(req)
  if (identifier === undefined) return caller
  const { store, profile } = req.api
  if (!caller.user) throw errors.unauthorized()
  if (!caller.user.admin) throw errors.forbidden(profile, 'Must be admin to use sudo')
  if (!caller.token)
    throw errors.forbidden(
      profile,
      'Must be authenticated using an OAuth or Personal Access Token to use sudo',
    )
  validateToken(req, caller.token, SUDO_SCOPE)
  const user = findUser(store, identifier)
  if (!user) throw errors.notFound(`User with ID or username '${identifier}'`)
  return { user, job: caller.job, token: caller.token }
}

const SUDO_SCOPE: readonly RouteScope[] = [{ name: 'sudo' }]

/** `params[:sudo] || env['HTTP_SUDO']`: an empty one counts, as Ruby's "" is true. */
function sudoIdentifier(req: RouteRequest): string | undefined {
  const param = req.query.sudo
  if (typeof param === 'string') return param
  return req.request.headers.get('sudo') ?? undefined
}

/**
 * `UserFinder#find_by_id_or_username` (app/finders/user_finder.rb): an id when a line of it is
 * digits (`=~ /^\d+$/`, cast as `to_i` casts), else a username, in any case.
 */
function findUser(store: Store, identifier: string): UserRecord | undefined {
  if (/^\d+$/m.test(identifier)) return store.users.get(Number.parseInt(identifier, 10))
  return store.userByUsername(identifier)
}

/**
 * `validate_access_token!(scopes:)` (lib/gitlab/auth/auth_finders.rb): a caller who came with a
 * job token, or with no token, has nothing to validate.
 */
function validateToken(
  req: RouteRequest,
  token: PersonalAccessTokenRecord | undefined,
  scopes: readonly RouteScope[],
): void {
  if (!token) return
  switch (validateAccessToken(token, req.api.now(), scopes, req.request.method)) {
    case 'expired':
      throw errors.tokenExpired()
    case 'revoked':
      throw errors.tokenRevoked()
    case 'insufficient_scope':
      throw errors.insufficientScope(scopes.map((scope) => scope.name))
  }
}

/** `authenticate!`: anonymous callers get 401. */
export function authenticate(caller: Caller): asserts caller is Caller & { user: UserRecord } {
  if (!caller.user) throw errors.unauthorized()
}

function active(caller: Caller, profile: GitLabProfile): Caller {
  // lib/api/api_guard.rb: a blocked user is refused outright.
  if (caller.user?.state === 'blocked') throw errors.forbidden(profile, 'Your account has been blocked.')
  return caller
}

function present(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * Ci::AuthJobFinder#validate_executing_job! and validate_job_not_erased!, where the version has
 * them: a finished (or erased) job's token is no credential.
 */
function validJobToken(job: JobRecord, profile: GitLabProfile): boolean {
  const valid = profile.jobTokens.validStatuses
  return !valid || (valid.includes(job.status) && job.erased_at === null)
}

/**
 * `find_user_from_job_token` answers `job.user`: nil for a job without a user, and the caller goes
 * on as anonymous (lib/gitlab/auth/auth_finders.rb).
 */
function jobUser(job: JobRecord, store: Store): UserRecord | null {
  return job.user_id == null ? null : (store.users.get(job.user_id) ?? null)
}

function bearer(header: string | null): string | undefined {
  const m = header && /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m ? m[1] : undefined
}

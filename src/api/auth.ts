import type { GitLabProfile } from '../profiles/profile.js'
import type { JobRecord, UserRecord } from '../store/records.js'
import type { Store } from '../store/store.js'
import { errors } from './errors.js'
import type { Query } from './query.js'
import type { ApiRequest } from './responses.js'

export interface Caller {
  readonly user: UserRecord | null
  /** Set when the caller authenticated with a CI job token. */
  readonly job: JobRecord | null
}

const ANONYMOUS: Caller = { user: null, job: null }

/**
 * `find_user_from_sources` (lib/gitlab/auth/auth_finders.rb, lib/api/api_guard.rb): an access
 * token from `private_token`, `PRIVATE-TOKEN` or `Authorization: Bearer` (also the OAuth
 * `access_token` param); then, only on routes that allow it, a job token from `job_token`,
 * `token` or `JOB-TOKEN`. A token that matches nobody is a 401, even where anonymous access
 * would do.
 */
export function identify(
  request: ApiRequest,
  query: Query,
  store: Store,
  profile: GitLabProfile,
  jobTokenAllowed = false,
): Caller {
  const accessToken =
    present(query.private_token) ??
    present(request.headers.get('private-token')) ??
    bearer(request.headers.get('authorization')) ??
    present(query.access_token)
  if (accessToken !== undefined) {
    const user = store.userByToken(accessToken)
    if (!user) throw errors.unauthorized()
    return active({ user, job: null }, profile)
  }
  if (jobTokenAllowed) {
    const jobToken =
      present(query.job_token) ?? present(query.token) ?? present(request.headers.get('job-token'))
    if (jobToken !== undefined) {
      const job = store.jobByToken(jobToken)
      if (!job) throw errors.unauthorized()
      // `find_user_from_job_token` answers `job.user`: nil for a job without a user, and the
      // caller goes on as anonymous (lib/gitlab/auth/auth_finders.rb).
      const user = job.user_id == null ? null : (store.users.get(job.user_id) ?? null)
      return active({ user, job }, profile)
    }
  }
  return ANONYMOUS
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

function bearer(header: string | null): string | undefined {
  const m = header && /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m ? m[1] : undefined
}

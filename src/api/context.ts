import type { JobActions } from '../domain/job-actions.js'
import type { RateLimiter } from '../domain/rate-limiter.js'
import type { Runner } from '../domain/runner.js'
import type { GitLabProfile } from '../profiles/profile.js'
import type { Store } from '../store/store.js'
import type { Query } from './query.js'
import type { ApiRequest } from './responses.js'

/** What every route reads: the data, the GitLab version, the external URL and the clock. */
export interface ApiContext {
  readonly store: Store
  readonly actions: JobActions
  /** The simulated runner: a read of a job may be its step (`progress: 'reads'`). */
  readonly runner: Runner
  readonly profile: GitLabProfile
  /** GitLab's feature flags, the profile's defaults with the fake's settings over them. */
  readonly featureFlags: Readonly<Record<string, boolean>>
  /** The profile's rate limits, with the thresholds the fake was given. */
  readonly rateLimits: GitLabProfile['rateLimits']
  /** Their counts, on the fake's clock. */
  readonly rateLimiter: RateLimiter
  /** The URL the fake answers under (with /api/v4 after it), no trailing slash. */
  readonly gitlabUrl: string
  now(): number
  /** Brings the jobs up to the clock's time, before a request is answered. */
  sync(): void
}

export interface RouteRequest {
  readonly request: ApiRequest
  /** The path as sent, still percent-encoded, from the host on (`/api/v4/projects/foo%2Fbar/jobs`). */
  readonly rawPath: string
  /** Route segments, percent-decoded (`{ id: 'foo/bar' }`). */
  readonly route: Record<string, string>
  readonly query: Query
  readonly api: ApiContext
  /** GitLab's external URL for this request, for `web_url` and `Link` (`Gitlab.config.gitlab.url`). */
  readonly gitlabUrl: string
}

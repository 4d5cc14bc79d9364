import type { GitLabProfile } from '../profiles/profile.js'

/**
 * GitLab's application rate limiter (lib/gitlab/application_rate_limiter.rb) for the limits the
 * Jobs API checks: a count per key and scope in fixed windows of the limit's interval
 * (`period_key = Time.now.to_i.divmod(interval)`), on the fake's clock. Every check counts, a
 * refused one too; a check is refused once its window's count is above the threshold; a threshold
 * of 0 is no limit. No HTTP here: the route answers the refusal.
 */
export interface RateLimit {
  /** Requests a window may hold (0: no limit). */
  readonly threshold: number
  /** The window, in seconds. */
  readonly interval: number
}

export class RateLimiter {
  /** `<key>:<scope>` → the count of its current window (GitLab's cache keys add the window). */
  private readonly counts = new Map<string, { period: number; count: number }>()

  constructor(private readonly now: () => number) {}

  /** Counts one request; true when it is over the limit (`throttled?`). */
  throttled(key: string, scope: string, limit: RateLimit): boolean {
    if (limit.threshold === 0 || limit.interval === 0) return false
    const period = Math.floor(Math.floor(this.now() / 1000) / limit.interval)
    const cacheKey = `${key}:${scope}`
    const entry = this.counts.get(cacheKey)
    // A new window starts again from 0 (the old window's key expires).
    const count = entry && entry.period === period ? entry.count + 1 : 1
    this.counts.set(cacheKey, { period, count })
    return count > limit.threshold
  }

  /** Every count gone, as after a cache flush (the fake's reset()). */
  clear(): void {
    this.counts.clear()
  }
}

/** The profile's rate limits, with `project_jobs_api_rate_limit` as the fake sets it. */
export function resolveRateLimits(
  profile: GitLabProfile,
  jobsIndex: number | undefined,
): GitLabProfile['rateLimits'] {
  const limits = profile.rateLimits
  if (jobsIndex === undefined) return limits
  if (!limits.jobsIndex)
    throw new TypeError(
      `gitlab-fake: GitLab ${profile.version} has no project jobs API rate limit; projectJobsApiRateLimit is for latest`,
    )
  if (!Number.isSafeInteger(jobsIndex) || jobsIndex < 0)
    throw new TypeError(
      `gitlab-fake: projectJobsApiRateLimit must be a whole number ≥ 0 (0: no limit), got ${JSON.stringify(jobsIndex)}`,
    )
  return { ...limits, jobsIndex: { ...limits.jobsIndex, threshold: jobsIndex } }
}

import type { GitLabProfile } from '../profiles/profile.js'
import type { Store } from '../store/store.js'

/** What an entity needs to render: the GitLab version, the data, the external URL, the clock. */
export interface PresentContext {
  readonly profile: GitLabProfile
  readonly store: Store
  /** GitLab's external URL, without a trailing slash (`Gitlab.config.gitlab.url`). */
  readonly gitlabUrl: string
  readonly now: number
}

/** Returned by a field to leave its key out, as Grape's `expose …, if:` does. */
export const OMIT: unique symbol = Symbol('omit')

export type Fields<T> = Readonly<Record<string, (record: T, ctx: PresentContext) => unknown>>

/** Writes the profile's keys in its order, as Grape::Entity writes them in `expose` order. */
export function present<T>(
  record: T,
  keys: readonly string[],
  fields: Fields<T>,
  ctx: PresentContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of keys) {
    const field = fields[key]
    if (!field) throw new Error(`No field "${key}" for this entity`)
    const value = field(record, ctx)
    if (value !== OMIT) out[key] = value
  }
  return out
}

/** ActiveSupport's JSON time format: UTC with milliseconds (`2015-12-24T15:51:21.880Z`). */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString()
}

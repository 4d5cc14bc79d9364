import type { GitLabProfile } from '../profiles/profile.js'
import type { Store } from '../store/store.js'
import { toGitLabJson } from './json.js'

/** What an entity needs to render: the GitLab version, the data, the external URL, the clock. */
export interface PresentContext {
  readonly profile: GitLabProfile
  readonly store: Store
  /** GitLab's external URL, without a trailing slash (`Gitlab.config.gitlab.url`). */
  readonly gitlabUrl: string
  readonly now: number
  /** Entities already rendered in this answer: a page of jobs shares its users and pipelines. */
  readonly rendered: Map<object, Json>
}

export function presentContext(
  profile: GitLabProfile,
  store: Store,
  gitlabUrl: string,
  now: number,
): PresentContext {
  return { profile, store, gitlabUrl, now, rendered: new Map() }
}

/** JSON text, rendered already. */
export class Json {
  constructor(readonly text: string) {}
}

/** Returned by a field to leave its key out, as Grape's `expose …, if:` does. */
export const OMIT: unique symbol = Symbol('omit')

export type Fields<T> = Readonly<Record<string, (record: T, ctx: PresentContext) => unknown>>

/**
 * Writes the profile's keys in its order, as Grape::Entity writes them in `expose` order, as
 * GitLab's JSON text (keys are plain identifiers; values are encoded as ActiveSupport does).
 */
export function present<T>(record: T, keys: readonly string[], fields: Fields<T>, ctx: PresentContext): Json {
  let text = '{'
  for (const key of keys) {
    const field = fields[key]
    if (!field) throw new Error(`No field "${key}" for this entity`)
    const value = field(record, ctx)
    if (value === OMIT) continue
    text += `${text.length > 1 ? ',' : ''}"${key}":${value instanceof Json ? value.text : toGitLabJson(value)}`
  }
  return new Json(`${text}}`)
}

/** A list of entities. */
export function presentAll<T>(records: readonly T[], render: (record: T) => Json): Json {
  return new Json(`[${records.map((r) => render(r).text).join(',')}]`)
}

/** Renders a record once per answer. */
export function once<T extends object>(record: T, ctx: PresentContext, render: () => Json): Json {
  let json = ctx.rendered.get(record)
  if (!json) {
    json = render()
    ctx.rendered.set(record, json)
  }
  return json
}

/** ActiveSupport's JSON time format: UTC with milliseconds (`2015-12-24T15:51:21.880Z`). */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString()
}

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
  rendered?: Map<object, Json>
}

export function presentContext(
  profile: GitLabProfile,
  store: Store,
  gitlabUrl: string,
  now: number,
): PresentContext {
  return { profile, store, gitlabUrl, now }
}

const encoder = new TextEncoder()

/** JSON, rendered already: as text, and as UTF-8 bytes encoded once when first asked. */
export class Json {
  private encoded: Uint8Array | undefined
  constructor(private readonly source: string) {}

  get text(): string {
    return this.source
  }

  get bytes(): Uint8Array {
    this.encoded ??= encoder.encode(this.text)
    return this.encoded
  }
}

/**
 * A JSON array of rendered entities. Its bytes are the entities' own bytes copied side by side,
 * so that a page of jobs kept from earlier answers costs copies, not a new string.
 */
export class JsonList extends Json {
  constructor(private readonly items: readonly Json[]) {
    super('')
  }

  override get text(): string {
    return ['[', this.items.map((i) => i.text).join(','), ']'].join('')
  }

  /** The array as the kept bytes of its items and the punctuation between them, uncopied. */
  get chunks(): Uint8Array[] {
    const chunks: Uint8Array[] = [OPEN]
    this.items.forEach((item, i) => {
      if (i > 0) chunks.push(COMMA)
      chunks.push(item.bytes)
    })
    chunks.push(CLOSE)
    return chunks
  }

  override get bytes(): Uint8Array {
    return concat(this.chunks)
  }
}

const OPEN = Uint8Array.of(0x5b)
const COMMA = Uint8Array.of(0x2c)
const CLOSE = Uint8Array.of(0x5d)

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let size = 0
  for (const chunk of chunks) size += chunk.length
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

/** Returned by a field to leave its key out, as Grape's `expose …, if:` does. */
export const OMIT: unique symbol = Symbol('omit')

export type Fields<T> = Readonly<Record<string, (record: T, ctx: PresentContext) => unknown>>

/**
 * Writes the profile's keys in its order, as Grape::Entity writes them in `expose` order, as
 * GitLab's JSON text (keys are plain identifiers; values are encoded as ActiveSupport does).
 */
export function present<T>(record: T, keys: readonly string[], fields: Fields<T>, ctx: PresentContext): Json {
  // Parts joined once: the text comes out flat, so that answers built from it copy it cheaply.
  const parts: string[] = []
  for (const key of keys) {
    const field = fields[key]
    if (!field) throw new Error(`No field "${key}" for this entity`)
    const value = field(record, ctx)
    if (value === OMIT) continue
    parts.push(`"${key}":${value instanceof Json ? value.text : toGitLabJson(value)}`)
  }
  return new Json(['{', parts.join(','), '}'].join(''))
}

/** A list of entities. */
export function presentAll<T>(records: readonly T[], render: (record: T) => Json): Json {
  return new JsonList(records.map(render))
}

/** Renders a record once per answer. */
export function once<T extends object>(record: T, ctx: PresentContext, render: () => Json): Json {
  ctx.rendered ??= new Map()
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

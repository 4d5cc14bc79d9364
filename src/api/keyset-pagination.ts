import type { JobIndex } from '../store/job-index.js'
import type { JobRecord } from '../store/records.js'
import type { RouteRequest } from './context.js'
import { ApiError, errors } from './errors.js'
import { toQuery } from './query.js'

/** The one ordering cursor-based keyset pagination supports for a list. */
export interface KeysetOrder {
  readonly orderBy: string
  readonly sort: 'asc' | 'desc'
}

export interface KeysetQuery {
  readonly order: KeysetOrder
  readonly statuses: readonly string[] | undefined
  /** `params[:per_page]`: Grape's value, which no Kaminari maximum caps here. */
  readonly perPage: number
  /** The request's params after coercion, for the Link URL. */
  readonly params: Record<string, unknown>
}

/**
 * `pagination=keyset` (lib/api/helpers/pagination_strategies.rb, lib/gitlab/pagination/
 * cursor_based_keyset.rb, keyset/cursor_pager.rb, keyset/paginator.rb, keyset/header_builder.rb):
 * - `order_by` (default `id`) and `sort` (default `desc`) must be the list's one supported
 *   ordering, else 405 `Keyset pagination is not yet available for this type of request`;
 * - `cursor` is Base64 (URL-safe) of `{"id":"<last id>","_kd":"n"}` (`_kd: "p"` pages backward);
 *   blank: the first page;
 * - `per_page + 1` rows are read; a next page exists when they all came (backward: always), and
 *   only then a `Link: <…?cursor=…&…>; rel="next"` (`params.merge(cursor:).to_query`, host and
 *   port GitLab's); no other pagination header, no counts.
 * What GitLab cannot read raises and is its 500: a cursor that is not Base64 of a JSON object, an
 * `id` that is not a number, `order_by`/`sort` given as arrays or hashes (`to_sym`), a negative
 * `per_page` (a negative SQL LIMIT, or `nil.id` on an empty page).
 */
export function keysetPage(
  req: RouteRequest,
  index: JobIndex,
  query: KeysetQuery,
): { jobs: JobRecord[]; headers: Record<string, string> } {
  const { order, statuses, perPage, params } = query
  const orderBy = params.order_by ?? 'id'
  const sort = params.sort ?? 'desc'
  if (typeof orderBy !== 'string' || typeof sort !== 'string') throw errors.internal()
  if (orderBy !== order.orderBy || sort !== order.sort)
    throw new ApiError(405, { error: 'Keyset pagination is not yet available for this type of request' })
  if (perPage < 0) throw errors.internal()
  const cursor = decodeCursor(params.cursor)
  const forward = cursor.direction === 'n'
  const asc = (order.sort === 'asc') === forward
  let jobs: JobRecord[]
  let hasNext: boolean
  if (!forward && cursor.id === null) {
    // `_kd: "p"` alone: the last page (`@at_last_page`), never a next one.
    jobs = index.seek(asc ? 'asc' : 'desc', null, perPage + 1, statuses)
    if (jobs.length === perPage + 1) jobs.pop()
    jobs.reverse()
    hasNext = false
  } else {
    jobs = index.seek(asc ? 'asc' : 'desc', cursor.id, perPage + 1, statuses)
    const more = jobs.length === perPage + 1
    if (more) jobs.pop()
    if (!forward) jobs.reverse()
    hasNext = forward ? more : true
  }
  const headers: Record<string, string> = {}
  if (hasNext) {
    const last = jobs[jobs.length - 1]
    if (!last) throw errors.internal()
    const next = encodeCursor(last.id)
    const base = new URL(req.gitlabUrl).origin + req.rawPath
    headers.Link = `<${base}?${toQuery({ ...params, cursor: next })}>; rel="next"`
  }
  return { jobs, headers }
}

/** `Base64.urlsafe_encode64(Gitlab::Json.dump({ id: "…", _kd: "n" }))`, padded. */
export function encodeCursor(id: number): string {
  return btoa(JSON.stringify({ id: String(id), _kd: 'n' }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
}

/** The cursor's last id and direction; blank: the first page forward. */
function decodeCursor(raw: unknown): { id: number | null; direction: 'n' | 'p' } {
  // `cursor.blank?`
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { id: null, direction: 'n' }
  if (Array.isArray(raw) && raw.length === 0) return { id: null, direction: 'n' }
  if (typeof raw !== 'string') throw errors.internal()
  const attributes = parseCursor(raw)
  const direction = attributes._kd === 'p' ? 'p' : 'n'
  const id = attributes.id
  if (id === undefined) return { id: null, direction }
  const n =
    typeof id === 'number' ? id : typeof id === 'string' && /^\s*[+-]?\d+\s*$/.test(id) ? Number(id) : NaN
  if (!Number.isSafeInteger(n)) throw errors.internal()
  return { id: n, direction }
}

/** Ruby's `Base64.urlsafe_decode64` (strict), then JSON: an object, or GitLab's 500. */
function parseCursor(raw: string): Record<string, unknown> {
  let s = raw
  if (!s.endsWith('=') && s.length % 4 !== 0) s = s.padEnd((s.length + 3) & ~3, '=')
  s = s.replace(/-/g, '+').replace(/_/g, '/')
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw errors.internal()
  try {
    const bytes = Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a hash')
    return value as Record<string, unknown>
  } catch {
    throw errors.internal()
  }
}

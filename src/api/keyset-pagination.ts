import type { JobIndex } from '../store/job-index.js'
import type { JobRecord } from '../store/records.js'
import type { RouteRequest } from './context.js'
import { ApiError } from './errors.js'
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
 * What GitLab cannot read raises there, and GitLab answers its 500: a cursor that is not Base64 of
 * a JSON object, one with values other than `id` (and `_kd`), an `id` out of a bigint's range,
 * `order_by`/`sort` given as arrays or hashes (`to_sym`), a negative `per_page` (a negative SQL
 * LIMIT), a backward page that is empty (`nil.id` for its next cursor). The fake never answers bad
 * input with a 500: it answers these with today's bare `bad_request!`, 400 `{"message":"400 Bad
 * request"}` (as it does where 13.0's argument-less `bad_request!` raised). An `id` that is not a
 * number is nil to Arel: `id < NULL`, an empty page.
 */
/** What GitLab raises on (a 500 there): the fake's 400, today's bare `bad_request!`. */
function unreadable(): ApiError {
  return new ApiError(400, { message: '400 Bad request' })
}

export function keysetPage(
  req: RouteRequest,
  index: JobIndex,
  query: KeysetQuery,
): { jobs: JobRecord[]; headers: Record<string, string> } {
  const { order, statuses, perPage, params } = query
  const orderBy = params.order_by ?? 'id'
  const sort = params.sort ?? 'desc'
  if (typeof orderBy !== 'string' || typeof sort !== 'string') throw unreadable()
  if (orderBy !== order.orderBy || sort !== order.sort)
    throw new ApiError(405, { error: 'Keyset pagination is not yet available for this type of request' })
  if (perPage < 0) throw unreadable()
  const cursor = decodeCursor(params.cursor)
  // `paginate_backward?` only for `_kd: "p"`; any other direction reads forward.
  const backward = cursor.direction === 'p'
  const asc = (order.sort === 'asc') !== backward
  // `id < NULL` (an id the Integer type casts to nil) matches no row.
  const jobs =
    cursor.id === null ? [] : index.seek(asc ? 'asc' : 'desc', cursor.id ?? null, perPage + 1, statuses)
  const more = jobs.length === perPage + 1
  if (more) jobs.pop()
  if (backward) jobs.reverse()
  // `has_next_page?`: none at the last page (no cursor values, a direction other than forward);
  // forward, when the extra row came; backward, always; any other direction, nil.
  const hasNext =
    cursor.id === undefined ? cursor.direction === 'n' && more : cursor.direction === 'n' ? more : backward
  const headers: Record<string, string> = {}
  if (hasNext) {
    const last = jobs[jobs.length - 1]
    if (!last) throw unreadable()
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

/**
 * The cursor's last id (undefined: no cursor values, so no condition) and direction (Paginator's
 * `set_pagination_helper_flags!`): `_kd` is taken out; with nothing else, a blank one or `n` is
 * the first page forward, any other the last page. Otherwise the values must be the order's
 * attributes, `id` alone (`Order#verify_incoming_values!` raises: a 500), and the id is what Arel
 * compares the column with (`Arel::Nodes::Casted`, cast by the column's type).
 */
function decodeCursor(raw: unknown): { id: number | null | undefined; direction: 'n' | 'p' | 'other' } {
  // `cursor.blank?`
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === ''))
    return { id: undefined, direction: 'n' }
  if (Array.isArray(raw) && raw.length === 0) return { id: undefined, direction: 'n' }
  if (typeof raw !== 'string') throw unreadable()
  const attributes = parseCursor(raw)
  const kd = attributes._kd
  const keys = Object.keys(attributes).filter((k) => k !== '_kd')
  const direction = kd === 'n' ? 'n' : kd === 'p' ? 'p' : 'other'
  if (keys.length === 0) return { id: undefined, direction: rubyBlank(kd) ? 'n' : direction }
  if (keys.length !== 1 || keys[0] !== 'id') throw unreadable()
  return { id: castBigint(attributes.id), direction }
}

/** Ruby's `blank?`: nil, false, an empty or all-whitespace string, an empty array or hash. */
function rubyBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true
  if (typeof value === 'string') return /^\s*$/u.test(value)
  if (Array.isArray(value)) return value.length === 0
  return typeof value === 'object' && Object.keys(value).length === 0
}

/** The largest magnitude a `bigint` column's type (`limit: 8`) takes. */
const BIGINT_LIMIT = 2n ** 63n

/**
 * `ActiveModel::Type::Integer#serialize` for a `bigint` (activemodel/lib/active_model/type/
 * integer.rb, helpers/numeric.rb): a string that does not start as a number
 * (`NUMERIC_REGEX = /\A\s*[+-]?\d/`) is nil, any other is `to_i` (`"12abc"` is 12); a number is
 * `to_i` (a float truncated), true 1, false 0; nil, an array or a hash nil (`presence`, or `to_i`
 * rescued). Out of the column's range it raises `ActiveModel::RangeError`: a 500.
 */
function castBigint(value: unknown): number | null {
  let n: bigint
  if (typeof value === 'string') {
    const m = /^[ \t\n\v\f\r]*([+-]?)(\d+(?:_\d+)*)/.exec(value)
    if (!m) return null
    n = BigInt((m[2] as string).replace(/_/g, ''))
    if (m[1] === '-') n = -n
  } else if (typeof value === 'number') n = BigInt(Math.trunc(value))
  else if (typeof value === 'boolean') n = value ? 1n : 0n
  else return null
  if (n < -BIGINT_LIMIT || n >= BIGINT_LIMIT) throw unreadable()
  return Number(n)
}

/** Ruby's `Base64.urlsafe_decode64` (strict), then JSON: an object, or GitLab's 500. */
function parseCursor(raw: string): Record<string, unknown> {
  let s = raw
  if (!s.endsWith('=') && s.length % 4 !== 0) s = s.padEnd((s.length + 3) & ~3, '=')
  s = s.replace(/-/g, '+').replace(/_/g, '/')
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw unreadable()
  try {
    const bytes = Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a hash')
    return value as Record<string, unknown>
  } catch {
    throw unreadable()
  }
}

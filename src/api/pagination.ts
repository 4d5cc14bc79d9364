import type { JobRecord } from '../store/records.js'
import type { RouteRequest } from './context.js'
import { queryPieces } from './query.js'

/** What `paginate` pages through: a JobIndex, or a plain list (`Kaminari.paginate_array`). */
export interface Pageable<T> {
  count(statuses?: readonly string[]): number
  page(order: 'asc' | 'desc', offset: number, limit: number, statuses?: readonly string[]): T[]
}

export interface Page<T = JobRecord> {
  readonly jobs: T[]
  readonly headers: Record<string, string>
}

export interface PageQuery {
  readonly order: 'asc' | 'desc'
  readonly statuses: readonly string[] | undefined
  readonly page: number
  readonly perPage: number
  /** The request's params, for the Link URLs. */
  readonly params: Record<string, unknown>
  readonly withoutCount?: boolean
}

/**
 * Offset pagination: Kaminari's page arithmetic and lib/gitlab/pagination/offset_pagination.rb's
 * headers. Absent values are sent as empty strings. Without counts (`without_count: true`, or
 * above the profile's count limit when it applies) the count headers and `rel="last"` are left
 * out, and whether there is a next page is whether one more row exists.
 */
export function paginate<T = JobRecord>(req: RouteRequest, index: Pageable<T>, query: PageQuery): Page<T> {
  const { order, statuses, page, perPage, params, withoutCount = false } = query
  const cfg = req.api.profile.pagination
  // Kaminari `per`: zero, negative or non-numeric keeps the default; above the maximum is capped.
  const limit = perPage > 0 ? Math.min(perPage, cfg.maxPerPage) : cfg.defaultPerPage
  const offset = Math.max(page - 1, 0) * limit
  const current = offset / limit + 1
  const total = index.count(statuses)
  const limited = cfg.countLimitFlag === null || req.api.featureFlags[cfg.countLimitFlag] === true
  const withCount = !withoutCount && (!limited || total <= cfg.countLimit)
  const jobs = index.page(order, offset, limit, statuses)

  let next: number | null
  let prev: number | null
  const totalPages = Math.max(Math.ceil(total / limit), 1)
  if (withCount) {
    const outOfRange = current > Math.ceil(total / limit)
    next = !outOfRange && current < Math.ceil(total / limit) ? current + 1 : null
    prev = !outOfRange && current > 1 ? current - 1 : null
  } else {
    const outOfRange = jobs.length === 0
    next = !outOfRange && offset + limit < total ? current + 1 : null
    prev = !outOfRange && current > 1 ? current - 1 : null
  }

  // `params[:per_page]&.nonzero?`: the Link echoes what was asked, and nothing for 0.
  const linkPerPage = perPage === 0 ? null : perPage
  const base = new URL(req.gitlabUrl).origin + req.rawPath
  // The other params' pieces are escaped once for every link; `page` and `per_page` join them.
  const { page: _page, per_page: _perPage, ...others } = params
  const fixed = queryPieces(others)
  const perPagePiece = queryPieces({ per_page: linkPerPage })
  const href = (n: number) => `${base}?${[...fixed, `page=${n}`, ...perPagePiece].sort().join('&')}`
  const links: string[] = []
  if (prev !== null) links.push(`<${href(prev)}>; rel="prev"`)
  if (next !== null) links.push(`<${href(next)}>; rel="next"`)
  links.push(`<${href(1)}>; rel="first"`)
  if (withCount) links.push(`<${href(totalPages)}>; rel="last"`)

  const headers: Record<string, string> = {
    'X-Per-Page': String(limit),
    'X-Page': String(current),
    'X-Next-Page': next === null ? '' : String(next),
    'X-Prev-Page': prev === null ? '' : String(prev),
    Link: links.join(', '),
  }
  if (withCount) {
    headers['X-Total'] = String(total)
    headers['X-Total-Pages'] = String(totalPages)
  }
  return { jobs, headers }
}

/** A list as `paginate` takes it, in its own order. */
export function pageableList<T>(items: readonly T[]): Pageable<T> {
  return { count: () => items.length, page: (_order, offset, limit) => items.slice(offset, offset + limit) }
}

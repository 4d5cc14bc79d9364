/**
 * The request journal: every request the fake answered, in order, for assertions such as "this
 * endpoint was called twice with scope=failed" (in the manner of WireMock's request journal).
 */
export interface JournalEntry {
  readonly id: number
  /** ISO time the request arrived. */
  readonly at: string
  readonly method: string
  /** The path as sent, still percent-encoded, without the query. */
  readonly path: string
  /** The query, decoded; a repeated key keeps every value. */
  readonly query: Readonly<Record<string, string | string[]>>
  /** The headers a test cares about: credentials, content type, client. */
  readonly headers: Readonly<Record<string, string>>
  /** 0 when a fault dropped the connection. */
  readonly status: number
  /** Milliseconds the fake took to answer. */
  readonly ms: number
  /** The name of the fault the request met, when it met one (src/faults). */
  readonly fault?: string
}

export interface JournalFilter {
  method?: string
  /**
   * An exact path (`/api/v4/projects/1/jobs`), a pattern with `*` wildcards (at most
   * 1,000 characters), or a RegExp.
   */
  path?: string | RegExp
  /** Every key given must be in the query with that value (or those values). */
  query?: Record<string, string | string[]>
  status?: number
  /** Only requests that met a fault (true) or none (false). */
  faulted?: boolean
  /** Only requests that met the fault of this name. */
  fault?: string
}

/** A page of the journal: its entries, and the id to read on `after` when more match. */
export interface JournalPage {
  readonly entries: JournalEntry[]
  readonly next?: number
}

/** The longest `*` pattern a filter takes. */
export const MAX_PATTERN_LENGTH = 1000

/** A filter the journal cannot apply, e.g. a pattern over MAX_PATTERN_LENGTH. */
export class JournalFilterError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`)
    this.name = 'JournalFilterError'
  }
}

const HEADERS = [
  'private-token',
  'job-token',
  'authorization',
  'content-type',
  'accept',
  'user-agent',
  'origin',
  'sudo',
]

/**
 * What is kept of a request when it is answered: a few small values, so that a full journal
 * weighs little on the garbage collector; the entry is written out when first read.
 */
interface Raw {
  readonly id: number
  readonly at: number
  readonly method: string
  readonly href: string
  /** The path as it came on the wire, when the server saw it (URL parsing resolves `.`, `..` and `%2e`). */
  readonly rawPath: string | undefined
  readonly headers: Record<string, string>
  readonly status: number
  readonly ms: number
  readonly fault: string | undefined
  entry?: JournalEntry
}

export class Journal {
  private list: Raw[] = []
  private nextId = 1

  constructor(private readonly limit = 10_000) {}

  record(
    request: { method: string; headers: { get(name: string): string | null }; rawPath?: string },
    url: URL,
    status: number,
    ms: number,
    fault?: string,
  ): void {
    const headers: Record<string, string> = {}
    for (const name of HEADERS) {
      const value = request.headers.get(name)
      if (value !== null) headers[name] = value
    }
    this.list.push({
      id: this.nextId++,
      at: Date.now(),
      method: request.method,
      href: url.href,
      rawPath: request.rawPath,
      headers,
      status,
      ms,
      fault,
    })
    // The oldest go in batches, so that a full journal costs no more per request than an empty one.
    if (this.list.length >= this.limit * 1.25) this.list.splice(0, this.list.length - this.limit)
  }

  /** Every entry, oldest first (the latest `limit` of them). */
  get entries(): readonly JournalEntry[] {
    return this.list.slice(-this.limit).map(entryOf)
  }

  clear(): void {
    this.list = []
  }

  filter(filter: JournalFilter = {}): JournalEntry[] {
    const match = matcher(filter)
    return this.entries.filter(match)
  }

  /**
   * Up to `limit` entries matching the filter with an id above `after`, oldest first, and the
   * `after` of the next page when more match. Only the entries it reads are written out.
   */
  page(
    filter: JournalFilter = {},
    { after = 0, limit = 1000 }: { after?: number; limit?: number } = {},
  ): JournalPage {
    const match = matcher(filter)
    const list = this.list
    // Ids rise by one from the first entry kept, so the first id above `after` is found by arithmetic.
    let i = Math.max(list.length - this.limit, 0)
    const first = list[i]
    if (first && after >= first.id) i += after - first.id + 1
    const entries: JournalEntry[] = []
    for (; i < list.length; i++) {
      const entry = entryOf(list[i] as Raw)
      if (!match(entry)) continue
      if (entries.length === limit) return { entries, next: (entries.at(-1) as JournalEntry).id }
      entries.push(entry)
    }
    return { entries }
  }

  count(filter: JournalFilter = {}): number {
    return this.filter(filter).length
  }

  /** Throws, listing what was called, unless the filter matches `times` entries (at least one by default). */
  expectCalled(filter: JournalFilter & { times?: number }): JournalEntry[] {
    const { times, ...rest } = filter
    const found = this.filter(rest)
    const ok = times === undefined ? found.length > 0 : found.length === times
    if (!ok) {
      const wanted = times === undefined ? 'at least once' : `${times} time(s)`
      const calls = this.entries
        .map((e) => `  ${e.method} ${e.path}${queryString(e.query)} → ${e.status}`)
        .join('\n')
      throw new Error(
        `Expected ${describe(rest)} ${wanted}, found ${found.length}.\nRequests:\n${calls || '  (none)'}`,
      )
    }
    return found
  }
}

function entryOf(raw: Raw): JournalEntry {
  if (raw.entry) return raw.entry
  const url = new URL(raw.href)
  // No prototype: a query key such as `__proto__` is a key like any other.
  const query = Object.create(null) as Record<string, string | string[]>
  for (const [key, value] of url.searchParams) {
    const seen = query[key]
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]
  }
  raw.entry = {
    id: raw.id,
    at: new Date(raw.at).toISOString(),
    method: raw.method,
    path: raw.rawPath ?? url.pathname,
    query,
    headers: raw.headers,
    status: raw.status,
    ms: Math.round(raw.ms * 1000) / 1000,
    ...(raw.fault !== undefined && { fault: raw.fault }),
  }
  return raw.entry
}

/** The filter as a test of one entry; a pattern it cannot take throws JournalFilterError. */
function matcher(filter: JournalFilter): (entry: JournalEntry) => boolean {
  const { path } = filter
  if (typeof path === 'string' && path.includes('*') && path.length > MAX_PATTERN_LENGTH)
    throw new JournalFilterError(
      'path',
      `a pattern is at most ${MAX_PATTERN_LENGTH.toLocaleString('en')} characters, got ${path.length.toLocaleString('en')}`,
    )
  return (entry) => matches(entry, filter)
}

function matches(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.method && entry.method !== filter.method.toUpperCase()) return false
  if (filter.status !== undefined && entry.status !== filter.status) return false
  if (filter.faulted !== undefined && (entry.fault !== undefined) !== filter.faulted) return false
  if (filter.fault !== undefined && entry.fault !== filter.fault) return false
  if (filter.path !== undefined && !pathMatches(entry.path, filter.path)) return false
  for (const [key, want] of Object.entries(filter.query ?? {})) {
    const have = entry.query[key]
    if (have === undefined) return false
    const a = Array.isArray(have) ? have : [have]
    const b = Array.isArray(want) ? want : [want]
    if (a.length !== b.length || a.some((v, i) => v !== b[i])) return false
  }
  return true
}

/**
 * `*` matches any run of characters, slashes included. In linear time: the first part is a
 * prefix, the last a suffix, and each part between is found at its leftmost place after the one
 * before (the leftmost place leaves the most room for the rest, so no other place need be tried).
 */
export function pathMatches(path: string, pattern: string | RegExp): boolean {
  // A global or sticky RegExp would carry `lastIndex` from one entry to the next.
  if (pattern instanceof RegExp)
    return (
      pattern.global || pattern.sticky
        ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
        : pattern
    ).test(path)
  if (!pattern.includes('*')) return path === pattern
  const parts = pattern.split('*')
  const head = parts[0] as string
  const tail = parts[parts.length - 1] as string
  if (path.length < head.length + tail.length || !path.startsWith(head) || !path.endsWith(tail)) return false
  const end = path.length - tail.length
  let at = head.length
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string
    const found = path.indexOf(part, at)
    if (found === -1 || found + part.length > end) return false
    at = found + part.length
  }
  return true
}

function describe(filter: JournalFilter): string {
  const query = filter.query ? queryString(filter.query) : ''
  return `${filter.method?.toUpperCase() ?? 'any method'} ${filter.path ?? 'any path'}${query}`
}

function queryString(query: Readonly<Record<string, string | string[]>>): string {
  const pairs = Object.entries(query).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x) => `${k}=${x}`),
  )
  return pairs.length ? `?${pairs.join('&')}` : ''
}

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
  readonly status: number
  /** Milliseconds the fake took to answer. */
  readonly ms: number
}

export interface JournalFilter {
  method?: string
  /** An exact path (`/api/v4/projects/1/jobs`), a pattern with `*` wildcards, or a RegExp. */
  path?: string | RegExp
  /** Every key given must be in the query with that value (or those values). */
  query?: Record<string, string | string[]>
  status?: number
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
  readonly headers: Record<string, string>
  readonly status: number
  readonly ms: number
  entry?: JournalEntry
}

export class Journal {
  private list: Raw[] = []
  private nextId = 1

  constructor(private readonly limit = 10_000) {}

  record(
    request: { method: string; headers: { get(name: string): string | null } },
    url: URL,
    status: number,
    ms: number,
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
      headers,
      status,
      ms,
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
    return this.entries.filter((entry) => matches(entry, filter))
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
  const query: Record<string, string | string[]> = {}
  for (const [key, value] of url.searchParams) {
    const seen = query[key]
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]
  }
  raw.entry = {
    id: raw.id,
    at: new Date(raw.at).toISOString(),
    method: raw.method,
    path: url.pathname,
    query,
    headers: raw.headers,
    status: raw.status,
    ms: Math.round(raw.ms * 1000) / 1000,
  }
  return raw.entry
}

function matches(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.method && entry.method !== filter.method.toUpperCase()) return false
  if (filter.status !== undefined && entry.status !== filter.status) return false
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

function pathMatches(path: string, pattern: string | RegExp): boolean {
  if (pattern instanceof RegExp) return pattern.test(path)
  if (!pattern.includes('*')) return path === pattern
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${regex}$`).test(path)
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

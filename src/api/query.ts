/**
 * Query strings parsed as Rack parses them (Rack::Utils.parse_nested_query): `a=1&a=2` keeps the
 * last, `a[]=1&a[]=2` is an array, `a[0]=x` and `a[k]=x` are hashes.
 *
 * Rack's hashes are Ruby hashes: `__proto__`, `constructor` or `prototype` are keys like any other.
 * So are they here: every hash is an object without a prototype, so that no key of a request can
 * reach `Object.prototype`.
 */
export type QueryValue = string | null | QueryValue[] | { [key: string]: QueryValue }
export type Query = Record<string, QueryValue>

export class QueryError extends Error {}

/**
 * Rack's `param_depth_limit` (lib/rack/query_parser.rb): a name nested deeper raises RangeError,
 * which GitLab answers as a query it cannot parse.
 */
export const PARAM_DEPTH_LIMIT = 100

export function parseQuery(search: string): Query {
  const params = newHash()
  const s = search.startsWith('?') ? search.slice(1) : search
  if (!s) return params
  for (const pair of s.split(/[&;]/)) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq))
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1))
    normalize(params, name, value, PARAM_DEPTH_LIMIT)
  }
  return params
}

/** A hash as Rack has one: keys only, nothing inherited. */
function newHash(): Hash {
  return Object.create(null) as Hash
}

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    throw new QueryError(`invalid %-encoding (${s})`)
  }
}

// Rack::QueryParser#normalize_params
function normalize(params: Hash, name: string, value: string, depth: number): Hash {
  if (depth <= 0) throw new QueryError('query nested too deeply')
  const m = /^[[\]]*([^[\]]+)\]*/.exec(name)
  const key = m?.[1] ?? ''
  const after = m ? name.slice(m[0].length) : ''
  if (!key) return params
  if (after === '') {
    params[key] = value
  } else if (after === '[') {
    params[name] = value
  } else if (after === '[]') {
    const list = arrayAt(params, key)
    list.push(value)
  } else {
    const child = /^\[\]\[([^[\]]+)\]$/.exec(after) ?? /^\[\](.+)$/.exec(after)
    if (child) {
      const childKey = child[1] as string
      const list = arrayAt(params, key)
      const last = list[list.length - 1]
      if (isHash(last) && !Object.hasOwn(last, childKey)) normalize(last, childKey, value, depth - 1)
      else list.push(normalize(newHash(), childKey, value, depth - 1))
    } else {
      const hash = Object.hasOwn(params, key) ? (params[key] as QueryValue) : newHash()
      if (!isHash(hash)) throw new QueryError(`expected Hash (got ${kind(hash)}) for param \`${key}'`)
      params[key] = normalize(hash, after, value, depth - 1)
    }
  }
  return params
}

type Hash = { [key: string]: QueryValue }

function isHash(v: QueryValue | undefined): v is Hash {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v)
}

function kind(v: QueryValue): string {
  return Array.isArray(v) ? 'Array' : typeof v === 'string' ? 'String' : 'Hash'
}

function arrayAt(params: Hash, key: string): QueryValue[] {
  const list = Object.hasOwn(params, key) ? (params[key] as QueryValue) : []
  if (!Array.isArray(list)) throw new QueryError(`expected Array (got ${kind(list)}) for param \`${key}'`)
  params[key] = list
  return list
}

/**
 * Rails' `Hash#to_query`: CGI-escaped `key=value` pairs, arrays as `key[]=v`, the pairs sorted.
 */
export function toQuery(params: Record<string, unknown>): string {
  return queryPieces(params).sort().join('&')
}

/** `to_query`'s pieces before they are sorted: one a key (an array's values together). */
export function queryPieces(params: Record<string, unknown>): string[] {
  const pieces: string[] = []
  for (const [key, value] of Object.entries(params)) {
    const piece = valueToQuery(value, key)
    if (piece !== undefined) pieces.push(piece)
  }
  return pieces
}

function valueToQuery(value: unknown, key: string): string | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${cgiEscape(`${key}[]`)}=`
    return value.map((v) => valueToQuery(v, `${key}[]`)).join('&')
  }
  if (value !== null && typeof value === 'object') {
    const pairs = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => valueToQuery(v, `${key}[${k}]`))
      .filter((p): p is string => p !== undefined)
    return pairs.length ? pairs.sort().join('&') : undefined
  }
  return `${cgiEscape(key)}=${cgiEscape(value === null || value === undefined ? '' : String(value))}`
}

/** Ruby's CGI.escape: space → +, everything but [A-Za-z0-9_.\-~] percent-encoded. */
export function cgiEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
}

import { ConnectionDropped } from '../faults/connection.js'
import type { FaultDecision, Faults } from '../faults/faults.js'
import type { ApiContext, RouteRequest } from './context.js'
import { ApiError, errors } from './errors.js'
import type { Journal } from './journal.js'
import { parseQuery, type Query, QueryError, type QueryValue } from './query.js'
import { type Answer, type ApiRequest, answer } from './responses.js'

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Relative to /api/v4. `:name` is one segment; `*name` is greedy and may hold slashes. */
  readonly path: string
  /** Params left out, not refused, when their percent-encoding is not UTF-8 (the route checks them). */
  readonly lenient?: readonly string[]
  handle(req: RouteRequest): Answer | Promise<Answer>
}

interface CompiledRoute {
  readonly route: Route
  readonly regex: RegExp
  readonly names: readonly string[]
}

/** Each route's pattern, compiled once for every fake (a fake starts in a few milliseconds). */
const compiled = new WeakMap<Route, CompiledRoute>()

function compile(route: Route): CompiledRoute {
  let out = compiled.get(route)
  if (!out) {
    const names: string[] = []
    const source = route.path.replace(/[:*](\w+)/g, (m, name: string) => {
      names.push(name)
      return m.startsWith(':') ? '([^/]+)' : '(.+)'
    })
    out = { route, regex: new RegExp(`^${source}/?$`), names }
    compiled.set(route, out)
  }
  return out
}

/**
 * Matches GitLab's routes on the raw path, so that `%2F` in a project path or ref stays one
 * segment, and answers everything else under /api/v4 with GitLab's catch-all 404.
 */
export class Router {
  private readonly byMethod = new Map<string, CompiledRoute[]>()
  private readonly apiPath: string
  private readonly origin: string

  constructor(
    routes: readonly Route[],
    private readonly api: ApiContext,
    private readonly journal: Journal,
    /** Consulted before any route runs (src/faults). */
    private readonly faults?: Faults,
  ) {
    // The fake's URL is normalized already (its origin, then its path without a trailing slash):
    // split as text, as `new URL` costs a millisecond the first time in a page.
    const [, origin = '', path = ''] = /^([^:/]+:\/\/[^/]+)(.*)$/.exec(api.gitlabUrl) ?? []
    this.origin = origin
    this.apiPath = `${path.replace(/\/$/, '')}/api/v4`
    for (const route of routes) {
      const list = this.byMethod.get(route.method) ?? []
      list.push(compile(route))
      this.byMethod.set(route.method, list)
    }
  }

  /** The API root every route lives under, e.g. `https://gitlab.example.com/api/v4`. */
  get apiRoot(): string {
    return this.origin + this.apiPath
  }

  /**
   * GitLab's answer, or undefined for a request outside /api/v4. `externalUrl` is the URL that
   * `web_url` and `Link` name (default: the URL the fake answers under). Synchronous unless a
   * body has to be read: the standalone server then pays for no promise.
   */
  dispatch(request: ApiRequest, externalUrl = this.api.gitlabUrl): Answer | Promise<Answer> | undefined {
    const started = performance.now()
    const url = request.parsedUrl ?? new URL(request.url)
    const rawPath = request.rawPath ?? url.pathname
    if (url.origin !== this.origin) return undefined
    if (rawPath !== this.apiPath && !rawPath.startsWith(`${this.apiPath}/`)) return undefined
    this.api.sync()
    if (request.method === 'OPTIONS' && request.headers.get('access-control-request-method') !== null) {
      return this.finish(request, url, started, false, preflight(request))
    }
    // Rack::Head: HEAD runs the GET route and drops the body.
    const head = request.method === 'HEAD'
    const method = head ? 'GET' : request.method
    const rest = rawPath.slice(this.apiPath.length)
    const real = () => this.answer(request, method, rawPath, rest, url.search, externalUrl)
    const fault = this.faults?.decide(request, url, rawPath)
    if (fault) return this.faulted(fault, request, url, started, head, real)
    const result = real()
    return result instanceof Promise
      ? result.then((r) => this.finish(request, url, started, head, r))
      : this.finish(request, url, started, head, result)
  }

  /**
   * A fault met before any route runs: after its delay, its answer (no route runs, so nothing
   * changes), a dropped connection (rejects with ConnectionDropped), or the real answer, late.
   */
  private faulted(
    fault: FaultDecision,
    request: ApiRequest,
    url: URL,
    started: number,
    head: boolean,
    real: () => Answer | Promise<Answer>,
  ): Answer | Promise<Answer> {
    const act = (): Answer | Promise<Answer> => {
      if (fault.drop) {
        this.journal.record(request, url, 0, performance.now() - started, fault.name)
        return Promise.reject(new ConnectionDropped(fault.name))
      }
      const result = fault.answer ?? real()
      return result instanceof Promise
        ? result.then((r) => this.finish(request, url, started, head, r, fault.name))
        : this.finish(request, url, started, head, result, fault.name)
    }
    if (fault.delay <= 0) return act()
    return new Promise<void>((resolve) => setTimeout(resolve, fault.delay)).then(act)
  }

  private finish(
    request: ApiRequest,
    url: URL,
    started: number,
    head: boolean,
    result: Answer,
    fault?: string,
  ): Answer {
    let out = head ? answer(result.status, result.headers) : result
    if (request.headers.get('origin') !== null)
      out = answer(out.status, { ...out.headers, ...CORS }, out.body)
    this.journal.record(request, url, out.status, performance.now() - started, fault)
    return out
  }

  private answer(
    request: ApiRequest,
    method: string,
    rawPath: string,
    rest: string,
    search: string,
    gitlabUrl: string,
  ): Answer | Promise<Answer> {
    try {
      for (const { route, regex, names } of this.byMethod.get(method) ?? []) {
        const m = regex.exec(rest)
        if (!m) continue
        const params: Record<string, string> = {}
        names.forEach((name, i) => {
          const decoded = decodeSegment(m[i + 1] as string)
          if (decoded !== undefined) params[name] = decoded
          else if (!route.lenient?.includes(name)) throw errors.badQuery()
        })
        const query = parseQuery(search)
        const req: RouteRequest = { request, rawPath, route: params, query, api: this.api, gitlabUrl }
        if (hasBody(request))
          return readBody(request)
            .then((body) => route.handle(body ? { ...req, query: Object.assign(query, body) } : req))
            .catch(errorAnswer)
        const result = route.handle(req)
        return result instanceof Promise ? result.catch(errorAnswer) : result
      }
      throw errors.routeNotFound()
    } catch (error) {
      return errorAnswer(error)
    }
  }
}

/** A thrown error as GitLab answers it; anything unexpected is GitLab's 500, never a crash. */
function errorAnswer(error: unknown): Answer {
  if (error instanceof ApiError) return error.toAnswer()
  if (error instanceof QueryError) return errors.badQuery().toAnswer()
  console.error('gitlab-fake: unexpected error', error)
  return errors.internal().toAnswer()
}

function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw)
  } catch {
    return undefined
  }
}

/**
 * GitLab's CORS for /api/* (config/application.rb, Rack::Cors: `origins '*'`, no credentials, any
 * header and method, `expose: headers_to_expose`). Content-Disposition is exposed too, which
 * GitLab's list lacks, so that a browser client of the fake reads download names.
 */
const EXPOSED = [
  'Link',
  'X-Total',
  'X-Total-Pages',
  'X-Per-Page',
  'X-Page',
  'X-Next-Page',
  'X-Prev-Page',
  'X-Gitlab-Blob-Id',
  'X-Gitlab-Commit-Id',
  'X-Gitlab-Content-Sha256',
  'X-Gitlab-Encoding',
  'X-Gitlab-File-Name',
  'X-Gitlab-File-Path',
  'X-Gitlab-Last-Commit-Id',
  'X-Gitlab-Ref',
  'X-Gitlab-Size',
  'Content-Disposition',
].join(', ')

const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED }

function preflight(request: ApiRequest): Answer {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Max-Age': '7200',
    'Content-Type': 'text/plain',
  }
  const asked = request.headers.get('access-control-request-headers')
  if (asked) headers['Access-Control-Allow-Headers'] = asked
  return answer(200, headers, '')
}

/** Ruby's `JSON.parse` default `max_nesting`. */
const JSON_MAX_NESTING = 100
const JSON_TYPE = /^application\/json\b/i
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i
const MULTIPART_TYPE = /^multipart\/form-data\b/i

function hasBody(request: ApiRequest): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false
  const type = request.headers.get('content-type') ?? ''
  return JSON_TYPE.test(type) || FORM_TYPE.test(type) || MULTIPART_TYPE.test(type)
}

/**
 * The body's params, which Rack and Grape merge over the query string's (`request.params` is
 * `GET.merge(POST)`; Grape's JSON parser puts a JSON object among the form params), route params
 * over both. Grape parses a JSON body before any route runs; one that does not parse is a 400.
 * A JSON body that is no object adds no params.
 */
async function readBody(request: ApiRequest): Promise<Query | undefined> {
  const type = request.headers.get('content-type') ?? ''
  const text = await request.text()
  if (FORM_TYPE.test(type)) return parseQuery(text)
  if (MULTIPART_TYPE.test(type)) {
    const form = await new Response(text, { headers: { 'content-type': type } }).formData().catch(() => {
      throw errors.badQuery()
    })
    const fields = new URLSearchParams()
    for (const [name, value] of form) if (typeof value === 'string') fields.append(name, value)
    return parseQuery(fields.toString())
  }
  if (text.trim() === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ApiError(400, { error: 'message body does not match declared format' })
  }
  const params = fromJson(value, JSON_MAX_NESTING)
  return params !== undefined && params !== null && typeof params === 'object' && !Array.isArray(params)
    ? params
    : undefined
}

/**
 * A JSON value as the params Grape coerces: strings as they are, numbers and booleans as their
 * text (which Grape's coercions read alike), objects as hashes without a prototype. A null is left
 * out, as a param that was not given, but for a member of a hash in an array (a field of
 * `job_variables_attributes[i]`): that one stays, a key that is there, since Grape's
 * PresenceValidator asks only `params.key?(attr_name)` and its PrimitiveCoercer passes nil on
 * (`return nil if val.nil?`; lib/grape/validations/validators/presence_validator.rb,
 * lib/grape/validations/types/primitive_coercer.rb). Nested deeper than Ruby's JSON `max_nesting`
 * (100), the body does not parse (`JSON::NestingError`, a `JSON::ParserError`): Grape's 400.
 */
function fromJson(value: unknown, depth: number, inArray = false): QueryValue | undefined {
  if (value === null) return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (depth <= 0) throw new ApiError(400, { error: 'message body does not match declared format' })
  if (Array.isArray(value))
    return value.map((v) => fromJson(v, depth - 1, true)).filter((v): v is QueryValue => v !== undefined)
  const hash = Object.create(null) as Record<string, QueryValue>
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null) {
      if (inArray) hash[key] = null
      continue
    }
    const converted = fromJson(v, depth - 1)
    if (converted !== undefined) hash[key] = converted
  }
  return hash
}

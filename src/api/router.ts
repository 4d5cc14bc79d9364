import { ConnectionDropped } from '../faults/connection.js'
import type { FaultDecision, Faults } from '../faults/faults.js'
import type { ApiContext, RouteRequest } from './context.js'
import { ApiError, errors } from './errors.js'
import type { Journal } from './journal.js'
import { parseQuery, QueryError } from './query.js'
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
    const gitlabUrl = new URL(api.gitlabUrl)
    this.origin = gitlabUrl.origin
    this.apiPath = `${gitlabUrl.pathname.replace(/\/$/, '')}/api/v4`
    for (const route of routes) {
      const names: string[] = []
      const source = route.path.replace(/[:*](\w+)/g, (m, name: string) => {
        names.push(name)
        return m.startsWith(':') ? '([^/]+)' : '(.+)'
      })
      const list = this.byMethod.get(route.method) ?? []
      list.push({ route, regex: new RegExp(`^${source}/?$`), names })
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
        const req: RouteRequest = {
          request,
          rawPath,
          route: params,
          query: parseQuery(search),
          api: this.api,
          gitlabUrl,
        }
        if (hasJsonBody(request))
          return checkBody(request)
            .then(() => route.handle(req))
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

function hasJsonBody(request: ApiRequest): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false
  return /^application\/json\b/i.test(request.headers.get('content-type') ?? '')
}

/** Grape parses a JSON body before any route runs; one that does not parse is a 400. */
async function checkBody(request: ApiRequest): Promise<void> {
  const text = await request.text()
  if (text.trim() === '') return
  try {
    JSON.parse(text)
  } catch {
    throw new ApiError(400, { error: 'message body does not match declared format' })
  }
}

import type { ApiContext, RouteRequest } from './context.js'
import { ApiError, errors } from './errors.js'
import { parseQuery, QueryError } from './query.js'

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Relative to /api/v4. `:name` is one segment; `*name` is greedy and may hold slashes. */
  readonly path: string
  /** Params left out, not refused, when their percent-encoding is not UTF-8 (the route checks them). */
  readonly lenient?: readonly string[]
  handle(req: RouteRequest): Response | Promise<Response>
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

  /** GitLab's answer, or undefined for a request outside /api/v4. */
  async dispatch(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url)
    const rawPath = url.pathname
    if (url.origin !== this.origin) return undefined
    if (rawPath !== this.apiPath && !rawPath.startsWith(`${this.apiPath}/`)) return undefined
    const rest = rawPath.slice(this.apiPath.length)
    // Rack::Head: HEAD runs the GET route and drops the body.
    const head = request.method === 'HEAD'
    const method = head ? 'GET' : request.method
    const response = await this.answer(request, method, rawPath, rest, url.search)
    return head ? new Response(null, { status: response.status, headers: response.headers }) : response
  }

  private async answer(
    request: Request,
    method: string,
    rawPath: string,
    rest: string,
    search: string,
  ): Promise<Response> {
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
        return await route.handle({
          request,
          rawPath,
          route: params,
          query: parseQuery(search),
          api: this.api,
        })
      }
      throw errors.routeNotFound()
    } catch (error) {
      if (error instanceof ApiError) return error.toResponse()
      if (error instanceof QueryError) return errors.badQuery().toResponse()
      console.error('gitlab-fake: unexpected error', error)
      return errors.internal().toResponse()
    }
  }
}

function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw)
  } catch {
    return undefined
  }
}

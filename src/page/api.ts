/**
 * How the page talks to the fake: GitLab's API under `/api/v4` as one of the dataset's users
 * (`PRIVATE-TOKEN`), and the control API under `/__fake/`. The same paths whether a server
 * answers them or the fake runs in this page under MSW's worker.
 */

export interface Overview {
  base_url: string
  api_url: string
  projects: ProjectSummary[]
  tokens: TokenSummary[]
}

export interface ProjectSummary {
  id: number
  path_with_namespace: string
  visibility: string
  pipelines: number
  jobs: number
}

export interface TokenSummary {
  token: string
  scopes: string[]
  state: 'active' | 'expired' | 'revoked'
  user: { id: number; username: string; name: string; admin: boolean }
  roles: Record<string, string>
}

export interface Job {
  id: number
  name: string
  stage: string
  status: string
  ref: string
  tag: boolean
  coverage: number | null
  allow_failure?: boolean
  created_at: string
  started_at: string | null
  finished_at: string | null
  duration: number | null
  user: { id: number; username: string; name: string } | null
  pipeline: { id: number; project_id?: number; ref: string; sha: string; status: string }
  commit?: { short_id: string; title: string } | null
  runner: { id: number; description: string } | null
  artifacts_file?: { filename: string; size: number }
  artifacts: { file_type: string; size: number; filename: string; file_format: string | null }[]
  artifacts_expire_at: string | null
  failure_reason?: string
  web_url: string
}

export interface JournalEntry {
  id: number
  at: string
  method: string
  path: string
  query: Record<string, string | string[]>
  headers: Record<string, string>
  status: number
  ms: number
  fault?: string
}

/** GitLab's offset pagination, as its headers tell it (lib/gitlab/pagination/offset_pagination.rb). */
export interface PageInfo {
  page: number
  perPage: number
  next: number | null
  prev: number | null
  /** Absent above 10,000 rows when `api_kaminari_count_with_limit` is on, as on GitLab.com. */
  totalPages: number | null
  total: number | null
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const TOKEN_KEY = 'gitlab-fake:token'

export class Client {
  token: string

  constructor(
    readonly api = '/api/v4',
    readonly control = '/__fake',
  ) {
    this.token = localStorage.getItem(TOKEN_KEY) ?? ''
  }

  useToken(token: string): void {
    this.token = token
    localStorage.setItem(TOKEN_KEY, token)
  }

  /** A request to GitLab's API as the chosen user; refused answers throw GitLab's message. */
  async gitlab(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.token) headers.set('PRIVATE-TOKEN', this.token)
    const response = await fetch(this.api + path, { ...init, headers })
    if (!response.ok) throw new ApiError(response.status, await errorText(response))
    return response
  }

  async json<T>(path: string, init?: RequestInit): Promise<T> {
    return (await this.gitlab(path, init)).json() as Promise<T>
  }

  /** A page of a GitLab list with what its headers say of the others. */
  async page<T>(path: string, page: number, perPage: number): Promise<{ items: T[]; info: PageInfo }> {
    const join = path.includes('?') ? '&' : '?'
    const response = await this.gitlab(`${path}${join}page=${page}&per_page=${perPage}`)
    const number = (name: string) => {
      const value = response.headers.get(name)
      return value === null || value === '' ? null : Number(value)
    }
    return {
      items: (await response.json()) as T[],
      info: {
        page: number('X-Page') ?? page,
        perPage: number('X-Per-Page') ?? perPage,
        next: number('X-Next-Page'),
        prev: number('X-Prev-Page'),
        totalPages: number('X-Total-Pages'),
        total: number('X-Total'),
      },
    }
  }

  /** A request to the control API. */
  async fake(path: string, init?: RequestInit): Promise<Response> {
    const response = await fetch(this.control + path, init)
    if (!response.ok) throw new ApiError(response.status, await errorText(response))
    return response
  }
}

/** GitLab's `{"message": …}` or `{"error": …}`, or the status line. */
async function errorText(response: Response): Promise<string> {
  const text = await response.text()
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown }
    const message = body.message ?? body.error
    if (message !== undefined)
      return `${response.status}: ${typeof message === 'string' ? message : JSON.stringify(message)}`
  } catch {}
  return `${response.status} ${response.statusText}`.trim()
}

import type { GitLabFake, GitLabFakeOptions } from '../../src/index.js'
import { useGitLabFake } from '../../src/vitest.js'

export const BASE = 'https://gitlab.example.com'
export const API = `${BASE}/api/v4`

/**
 * The project's own tests use the helper it ships (gitlab-fake/vitest): a fake behind msw's
 * setupServer for one test file, reset after each test; unhandled requests fail the test.
 */
export function useGitLab(options: GitLabFakeOptions = {}): GitLabFake {
  return useGitLabFake(options).gitlab
}

export type Token = 'root' | 'maintainer' | 'developer' | 'reporter' | 'guest' | 'outsider' | 'none'

/** GET (or another method) under /api/v4 as one of the default dataset's users. */
export function api(path: string, token: Token = 'maintainer', init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  if (token !== 'none') headers.set('PRIVATE-TOKEN', `${token}-token`)
  return fetch(`${API}${path}`, { ...init, headers })
}

export async function json(response: Response): Promise<unknown> {
  return JSON.parse(await response.text())
}

/** Parses a Link header into rel → URL. */
export function links(response: Response): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of (response.headers.get('link') ?? '').matchAll(/<([^>]+)>; rel="([^"]+)"/g)) {
    out[m[2] as string] = m[1] as string
  }
  return out
}

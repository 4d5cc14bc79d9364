import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createGitLabFake, type GitLabFake, type GitLabFakeOptions } from '../../src/index.js'

export const BASE = 'https://gitlab.example.com'
export const API = `${BASE}/api/v4`

/**
 * A fake behind msw's setupServer for one test file, reset after each test. Unhandled requests
 * fail the test (both msw 2's and msw 3's option names).
 */
export function useGitLab(options: GitLabFakeOptions = {}): GitLabFake {
  const gitlab = createGitLabFake(options)
  const server = setupServer(...gitlab.handlers)
  beforeAll(() => server.listen({ onUnhandledRequest: 'error', onUnhandledFrame: 'error' } as never))
  afterEach(() => gitlab.reset())
  afterAll(() => server.close())
  return gitlab
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

import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createGitLabFake, type GitLabFake, type GitLabFakeOptions } from '../../src/index.js'
import { FAIL_UNHANDLED } from './msw.js'

/**
 * Both versions behind one msw server, each under a host of its own: 13.0 at
 * gitlab.example.com, latest at latest.example.com, and any `others` after them. Reset after
 * each test.
 */
export function useBothVersions(
  options: { v13?: GitLabFakeOptions; latest?: GitLabFakeOptions; others?: GitLabFakeOptions[] } = {},
): { v13: GitLabFake; latest: GitLabFake; others: GitLabFake[] } {
  const v13 = createGitLabFake({ ...options.v13, gitlab: '13.0' })
  const latest = createGitLabFake({
    baseUrl: 'https://latest.example.com',
    ...options.latest,
    gitlab: 'latest',
  })
  // More fakes, each at a host of its own (other1.example.com, …).
  const others = (options.others ?? []).map((o, i) =>
    createGitLabFake({ baseUrl: `https://other${i + 1}.example.com`, ...o }),
  )
  const server = setupServer(...v13.handlers, ...latest.handlers, ...others.flatMap((o) => o.handlers))
  beforeAll(() => {
    server.listen(FAIL_UNHANDLED)
  })
  afterEach(() => {
    v13.reset()
    latest.reset()
    for (const other of others) other.reset()
  })
  afterAll(() => {
    server.close()
  })
  return { v13, latest, others }
}

/** fetch of a path under the fake's /api/v4, with these headers. */
export function call(
  fake: GitLabFake,
  path: string,
  headers: Record<string, string> = {},
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${fake.apiUrl}${path}`, { ...init, headers })
}

/** The body as parsed JSON. */
export async function body(response: Response): Promise<unknown> {
  return JSON.parse(await response.text())
}

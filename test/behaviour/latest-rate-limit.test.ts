import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createGitLabFake, type GitLabFake } from '../../src/index.js'
import { FAIL_UNHANDLED } from '../support/msw.js'
import { refusal } from '../support/refusal.js'

/**
 * The `jobs_index` rate limit of today's GET /projects/:id/jobs (lib/api/ci/jobs.rb
 * `check_rate_limit!(:jobs_index, scope: current_user)`, lib/gitlab/application_rate_limiter.rb,
 * lib/api/helpers/rate_limiter.rb): per user, in fixed minutes of the fake's clock; 13.0 has none.
 */

const START = '2026-01-01T00:00:00.000Z'
const limited = createGitLabFake({
  gitlab: 'latest',
  baseUrl: 'https://limited.example.com',
  now: START,
  projectJobsApiRateLimit: 3,
})
const standard = createGitLabFake({ gitlab: 'latest', baseUrl: 'https://standard.example.com', now: START })
const v13 = createGitLabFake({ baseUrl: 'https://v13.example.com', now: START })
const off = createGitLabFake({
  gitlab: 'latest',
  baseUrl: 'https://off.example.com',
  now: START,
  projectJobsApiRateLimit: 0,
})
const fakes = [limited, standard, v13, off]
const server = setupServer(...fakes.flatMap((f) => f.handlers))
beforeAll(() => server.listen(FAIL_UNHANDLED))
afterEach(() => {
  for (const f of fakes) f.reset()
})
afterAll(() => server.close())

const BODY = { message: { error: 'This endpoint has been requested too many times. Try again later.' } }

function get(gitlab: GitLabFake, path = '/projects/1/jobs', token = 'maintainer-token'): Promise<Response> {
  return fetch(`${gitlab.apiUrl}${path}`, { headers: { 'PRIVATE-TOKEN': token } })
}

async function statuses(gitlab: GitLabFake, n: number, path?: string, token?: string): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const response = await get(gitlab, path, token)
    await response.arrayBuffer()
    out.push(response.status)
  }
  return out
}

describe('over the limit: 429', () => {
  test("the request after the threshold: GitLab's body, Retry-After: 60 (the interval)", async () => {
    expect(await statuses(limited, 3)).toEqual([200, 200, 200])
    const response = await get(limited)
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('60')
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(JSON.parse(await response.text())).toEqual(BODY)
  })

  test('checked before the project is looked for: a missing project is 429 too, and counts', async () => {
    expect(await statuses(limited, 2, '/projects/999/jobs')).toEqual([404, 404])
    expect(await statuses(limited, 2, '/projects/999/jobs')).toEqual([404, 429])
    expect(await statuses(limited, 1)).toEqual([429])
  })

  test('after the params: a 400 does not count', async () => {
    expect(await statuses(limited, 5, '/projects/1/jobs?scope=bogus')).toEqual([400, 400, 400, 400, 400])
    expect(await statuses(limited, 4)).toEqual([200, 200, 200, 429])
  })

  test('after authentication: a 401 does not count', async () => {
    expect(await statuses(limited, 4, '/projects/1/jobs', 'nobody')).toEqual([401, 401, 401, 401])
    expect(await statuses(limited, 3)).toEqual([200, 200, 200])
  })

  test('per user: another user has a minute of their own', async () => {
    await statuses(limited, 4)
    expect(await statuses(limited, 4, '/projects/1/jobs', 'developer-token')).toEqual([200, 200, 200, 429])
  })

  test('the project jobs list only: other routes neither count nor are refused', async () => {
    await statuses(limited, 4)
    expect(await statuses(limited, 5, '/projects/1/jobs/8')).toEqual([200, 200, 200, 200, 200])
    expect(await statuses(limited, 1, '/projects/1/pipelines/6/jobs')).toEqual([200])
  })
})

describe('windows of the fake clock (`period_key = Time.now.to_i.divmod(interval)`)', () => {
  test('a refused request counts too; the next minute starts again from 0', async () => {
    expect(await statuses(limited, 5)).toEqual([200, 200, 200, 429, 429])
    limited.clock.advance('59s')
    expect(await statuses(limited, 1)).toEqual([429])
    limited.clock.advance('1s')
    expect(await statuses(limited, 4)).toEqual([200, 200, 200, 429])
  })

  test('fixed windows, not sliding: 3 at the end of a minute and 3 at the start of the next pass', async () => {
    limited.clock.advance('59s')
    expect(await statuses(limited, 3)).toEqual([200, 200, 200])
    limited.clock.advance('1s')
    expect(await statuses(limited, 3)).toEqual([200, 200, 200])
  })

  test('reset() clears the counts', async () => {
    await statuses(limited, 4)
    limited.reset()
    expect(await statuses(limited, 3)).toEqual([200, 200, 200])
  })
})

describe("GitLab's default, 600 a minute; 0 turns it off; 13.0 has none", () => {
  test('600 pass, the 601st is refused', async () => {
    const all = await statuses(standard, 601, '/projects/1/jobs?per_page=1')
    expect(all.slice(0, 600).every((s) => s === 200)).toBe(true)
    expect(all[600]).toBe(429)
  })

  test.each([
    ['projectJobsApiRateLimit: 0', off],
    ['13.0', v13],
  ])('%s: 700 in a minute all pass', async (_, gitlab) => {
    expect((await statuses(gitlab, 700, '/projects/1/jobs?per_page=1')).every((s) => s === 200)).toBe(true)
  })

  test('13.0 refuses the option; a bad threshold is refused', () => {
    expect(refusal(() => createGitLabFake({ projectJobsApiRateLimit: 10 }), TypeError).message).toBe(
      'gitlab-fake: GitLab 13.0 has no project jobs API rate limit; projectJobsApiRateLimit is for latest',
    )
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(
        refusal(() => createGitLabFake({ gitlab: 'latest', projectJobsApiRateLimit: bad }), TypeError)
          .message,
      ).toBe(
        `gitlab-fake: projectJobsApiRateLimit must be a whole number ≥ 0 (0: no limit), got ${JSON.stringify(bad)}`,
      )
    }
  })
})

import { describe, expect, test } from 'vitest'
import { createGitLabFake } from '../../src/index.js'

/**
 * `Authorization: Bearer $CI_JOB_TOKEN`, the first way doc/api/jobs.md gives to call `GET /job`:
 * lib/gitlab/auth/auth_finders.rb `find_user_from_bearer_token` tries
 * `find_user_from_job_bearer_token` (routes with `job_token_allowed` only; `Ci::AuthJobFinder`,
 * so a running job's token) before `find_user_from_access_token`. 13.0 has no such finder.
 */

const NOW = Date.parse('2026-01-01T10:00:00.000Z')

function fake(gitlab: '13.0' | 'latest') {
  const g = createGitLabFake({ gitlab, now: NOW })
  g.seed.pipeline({
    project: 1,
    ref: 'feature/bearer',
    jobs: [
      { id: 50, name: 'running', status: 'running', token: 'running-token' },
      {
        id: 51,
        name: 'done',
        status: 'success',
        token: 'done-token',
        artifacts: [{ file_type: 'archive', files: { 'a.txt': 'a' } }],
      },
    ],
  })
  return g
}

async function get(g: ReturnType<typeof fake>, path: string, authorization: string) {
  const response = await g.handle(
    new Request(`${g.apiUrl}${path}`, { headers: { Authorization: authorization } }),
  )
  return { status: response?.status, body: await response?.json().catch(() => undefined) }
}

describe('latest', () => {
  const g = fake('latest')

  test("GET /job with a running job's token as Bearer: that job", async () => {
    const { status, body } = await get(g, '/job', 'Bearer running-token')
    expect(status).toBe(200)
    expect(body).toMatchObject({ id: 50, name: 'running', status: 'running' })
  })

  test("a finished job's token as Bearer is tried as an access token, and is none: 401", async () => {
    expect(await get(g, '/job', 'Bearer done-token')).toEqual({
      status: 401,
      body: { message: '401 Unauthorized' },
    })
  })

  test('an access token as Bearer is still one: GET /job answers 404 Job Not Found', async () => {
    expect(await get(g, '/job', 'Bearer maintainer-token')).toEqual({
      status: 404,
      body: { message: '404 Job Not Found' },
    })
  })

  test('a route that takes no job token takes none as Bearer either: 401', async () => {
    expect((await get(g, '/projects/1/jobs/50', 'Bearer running-token')).status).toBe(401)
  })

  test('the project jobs list, which takes a job token, takes it as Bearer', async () => {
    const { status, body } = await get(g, '/projects/1/jobs?per_page=1', 'Bearer running-token')
    expect(status).toBe(200)
    expect(body).toHaveLength(1)
  })
})

describe('13.0', () => {
  test('a job token as Bearer is no credential, even where a job token is', async () => {
    const g = fake('13.0')
    const response = await g.handle(
      new Request(`${g.apiUrl}/projects/1/jobs/51/artifacts`, { headers: { 'JOB-TOKEN': 'running-token' } }),
    )
    expect(response?.status).toBe(200)
    expect(await get(g, '/projects/1/jobs/51/artifacts', 'Bearer running-token')).toEqual({
      status: 401,
      body: { message: '401 Unauthorized' },
    })
  })
})

import { describe, expect, test } from 'vitest'
import { createGitLabFake, gitlab13_0, gitlabLatest, gitlabVersions } from '../../src/index.js'
import { API, api, json, useGitLab } from '../support/gitlab.js'
import { seedJob, stored } from '../support/jobs.js'
import { refusal } from '../support/refusal.js'

/**
 * `gitlab: 'latest'` answers as today's GitLab does (lib/api/ci/jobs.rb, lib/api/ci/pipelines.rb
 * at gitlabhq 41946e65), beside 13.0, the default. The 13.0 side of each difference is asserted
 * where 13.0 is tested.
 */

const gitlab = useGitLab({ gitlab: 'latest' })

describe('choosing the version', () => {
  test('13.0 and latest are the versions there are; 13.0 is the default', () => {
    expect(gitlabVersions).toEqual(['13.0', 'latest'])
    expect(createGitLabFake().store).toBeDefined()
  })

  test('an unknown version is refused, naming the versions there are', () => {
    const error = refusal(() => createGitLabFake({ gitlab: '16.0' as 'latest' }), Error)
    expect(error.message).toBe(
      'gitlab-fake: unknown GitLab version "16.0"; the versions the fake answers as: 13.0, latest',
    )
  })

  test('gitlab and profile together are refused; profile alone still works', async () => {
    const error = refusal(() => createGitLabFake({ gitlab: 'latest', profile: gitlab13_0 }), TypeError)
    expect(error.message).toBe('gitlab-fake: give either gitlab or profile, not both')
    expect(createGitLabFake({ profile: gitlabLatest }).store).toBeDefined()
  })

  test('latest has no feature flags: naming one throws', () => {
    const error = refusal(
      () => createGitLabFake({ gitlab: 'latest', featureFlags: { api_kaminari_count_with_limit: true } }),
      TypeError,
    )
    expect(error.message).toBe(
      'gitlab-fake: unknown feature flag "api_kaminari_count_with_limit"; GitLab latest flags the fake knows: none',
    )
  })
})

describe('statuses (app/models/concerns/ci/has_status.rb)', () => {
  test.each(['canceling', 'waiting_for_callback'])(
    'scope=%s is a status today (none is seeded)',
    async (scope) => {
      const response = await api(`/projects/1/jobs?scope=${scope}`)
      expect(response.status).toBe(200)
      expect(await json(response)).toEqual([])
    },
  )

  test('an unknown scope is still a 400', async () => {
    const response = await api('/projects/1/jobs?scope=bogus')
    expect(response.status).toBe(400)
    expect(await json(response)).toEqual({ error: 'scope does not have a valid value' })
  })
})

describe('token scopes (lib/api/api.rb)', () => {
  test('read_api reads with HEAD too (`request.get? || request.head?`), and still may not act', async () => {
    const headers = { 'PRIVATE-TOKEN': 'read-api-token' }
    expect((await fetch(`${API}/projects/1/jobs/8`, { method: 'HEAD', headers })).status).toBe(200)
    const retry = await fetch(`${API}/projects/1/jobs/8/retry`, { method: 'POST', headers })
    expect(retry.status).toBe(403)
  })
})

describe('error messages (lib/api/helpers.rb `render_api_error_with_reason!`: one space)', () => {
  async function post(id: number, action: string, token: 'maintainer' | 'reporter' = 'maintainer') {
    const response = await api(`/projects/1/jobs/${id}/${action}`, token, { method: 'POST' })
    return [response.status, await json(response)]
  }

  test('retry of a job that is not retryable: 403 Forbidden - Job is not retryable', async () => {
    const job = seedJob(gitlab, { status: 'pending' })
    expect(await post(job.id, 'retry')).toEqual([403, { message: '403 Forbidden - Job is not retryable' }])
    expect(stored(gitlab, job.id)).toEqual(job)
  })

  test('erase of a job with nothing to erase: 403 Forbidden - Job is not erasable!', async () => {
    const job = seedJob(gitlab, { status: 'success', trace: null })
    expect(await post(job.id, 'erase')).toEqual([403, { message: '403 Forbidden - Job is not erasable!' }])
    expect(stored(gitlab, job.id)).toEqual(job)
  })

  test('play of a job that is no action: 400 Bad request - Unplayable Job', async () => {
    const job = seedJob(gitlab, { status: 'success' })
    expect(await post(job.id, 'play')).toEqual([400, { message: '400 Bad request - Unplayable Job' }])
    expect(stored(gitlab, job.id)).toEqual(job)
  })

  test('a blocked user, and sudo by a non-admin', async () => {
    gitlab.seed.user({ username: 'blocked', state: 'blocked', tokens: ['blocked-token'], admin: true })
    const blocked = await fetch(`${API}/projects/1/jobs`, { headers: { 'PRIVATE-TOKEN': 'blocked-token' } })
    expect([blocked.status, await json(blocked)]).toEqual([
      403,
      { message: '403 Forbidden - Your account has been blocked.' },
    ])
    const sudo = await fetch(`${API}/projects/1/jobs`, {
      headers: { 'PRIVATE-TOKEN': 'developer-token', Sudo: 'root' },
    })
    expect([sudo.status, await json(sudo)]).toEqual([
      403,
      { message: '403 Forbidden - Must be admin to use sudo' },
    ])
  })

  test("the messages without a reason are 13.0's", async () => {
    const job = seedJob(gitlab, { status: 'success' })
    expect(await post(job.id, 'retry', 'reporter')).toEqual([403, { message: '403 Forbidden' }])
    const raw = await api('/projects/1/jobs/18/artifacts/dist/app%00.js')
    expect([raw.status, await json(raw)]).toEqual([400, { message: '400 Bad request' }])
  })
})

describe('per_page=0 (lib/api/pagination_params.rb: `except_values: [0]`)', () => {
  test.each(['/projects/1/jobs', '/projects/1/pipelines/7/jobs'])('%s?per_page=0: 400', async (path) => {
    const response = await api(`${path}?per_page=0`)
    expect([response.status, await json(response)]).toEqual([
      400,
      { error: 'per_page has a value not allowed' },
    ])
  })

  test('with the other params, in declaration order; a negative per_page is still let through', async () => {
    const response = await api('/projects/1/jobs?per_page=0&scope=bogus&page=x')
    expect([response.status, await json(response)]).toEqual([
      400,
      { error: 'scope does not have a valid value, page is invalid, per_page has a value not allowed' },
    ])
    const negative = await api('/projects/1/jobs?per_page=-5')
    expect(negative.status).toBe(200)
    expect(negative.headers.get('x-per-page')).toBe('20')
  })
})

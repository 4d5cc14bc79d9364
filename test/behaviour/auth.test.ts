import { expect, test } from 'vitest'
import { byVersion, describeEachVersion, forbidden } from '../support/each-version.js'
import { API, api, json } from '../support/gitlab.js'

const ENDPOINTS = [
  '/projects/1/jobs',
  '/projects/1/pipelines/6/jobs',
  '/projects/1/jobs/8',
  '/projects/1/jobs/8/trace',
]
const UNAUTHORIZED = { message: '401 Unauthorized' }

describeEachVersion('credentials (lib/gitlab/auth/auth_finders.rb)', (version, gitlab) => {
  test.each(ENDPOINTS)('%s accepts PRIVATE-TOKEN, private_token, Bearer and access_token', async (path) => {
    const sep = path.includes('?') ? '&' : '?'
    const forms: [string, RequestInit][] = [
      [path, { headers: { 'PRIVATE-TOKEN': 'reporter-token' } }],
      [`${path}${sep}private_token=reporter-token`, {}],
      [path, { headers: { Authorization: 'Bearer reporter-token' } }],
      [`${path}${sep}access_token=reporter-token`, {}],
    ]
    for (const [url, init] of forms) {
      const response = await fetch(`${API}${url}`, init)
      expect(response.status, url).toBe(200)
    }
  })

  test.each(ENDPOINTS)('%s: no credentials is 401 (authenticate! runs first)', async (path) => {
    const response = await api(path, 'none')
    expect(response.status).toBe(401)
    expect(await json(response)).toEqual(UNAUTHORIZED)
  })

  test.each(ENDPOINTS)('%s: an unknown token is 401 in every form', async (path) => {
    const forms: RequestInit[] = [
      { headers: { 'PRIVATE-TOKEN': 'nope' } },
      { headers: { Authorization: 'Bearer nope' } },
    ]
    for (const init of forms) {
      const response = await fetch(`${API}${path}`, init)
      expect(response.status).toBe(401)
      expect(await response.text()).toBe('{"message":"401 Unauthorized"}')
    }
    const response = await fetch(`${API}${path}?private_token=nope`)
    expect(response.status).toBe(401)
  })

  // 13.0: no route here sets job_token_allowed. Today (gitlab-jobs-latest.md §1 rows 13, 27 and
  // §2.1): the project and pipeline jobs lists take a running job's token, the single job and
  // its trace never do; a finished job's token is 401 everywhere.
  test.each(ENDPOINTS)('%s and a CI job token', async (path) => {
    const finished = await fetch(`${API}${path}`, { headers: { 'JOB-TOKEN': 'job-token-8' } })
    expect(finished.status).toBe(401)
    expect(await json(finished)).toEqual(UNAUTHORIZED)
    const running = await fetch(`${API}${path}`, { headers: { 'JOB-TOKEN': 'job-token-11' } })
    const lists = path.endsWith('/jobs')
    expect(running.status).toBe(byVersion(version, { '13.0': 401, latest: lists ? 200 : 401 }))
  })

  test('an unknown token is 401 even with a valid one elsewhere later in the search order', async () => {
    // private_token is looked at first; a bad one there is not rescued by a good header.
    const response = await fetch(`${API}/projects/1/jobs?private_token=nope`, {
      headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
    })
    expect(response.status).toBe(401)
  })

  test('anonymous callers get 401 on a public project too, before any lookup', async () => {
    expect((await api('/projects/2/jobs', 'none')).status).toBe(401)
    expect((await api('/projects/999/jobs', 'none')).status).toBe(401)
  })

  test('401 wins over a 400 validation error', async () => {
    const response = await api('/projects/1/jobs/abc', 'none')
    expect(response.status).toBe(401)
    expect(await json(response)).toEqual(UNAUTHORIZED)
  })

  test('a blocked user is refused with 403', async () => {
    gitlab.seed.user({ username: 'blocked', state: 'blocked', tokens: ['blocked-token'], admin: true })
    const response = await fetch(`${API}/projects/1/jobs`, { headers: { 'PRIVATE-TOKEN': 'blocked-token' } })
    expect(response.status).toBe(403)
    expect(await json(response)).toEqual(forbidden(version, 'Your account has been blocked.'))
  })
})

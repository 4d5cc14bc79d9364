import { expect, test } from 'vitest'
import { describeEachVersion } from '../support/each-version.js'
import { api } from '../support/gitlab.js'

// Rack and Grape read a request's body into its params as they read its query string (a form, or
// JSON under `Content-Type: application/json`), in GitLab 13.0 as today: `private_token` in the
// body authenticates (Gitlab::Auth::AuthFinders reads `current_request.params`), and a body Rack
// cannot parse is refused as a query Rack cannot parse.
describeEachVersion('params in the request body', (_version, gitlab) => {
  const cancel = '/projects/1/jobs/6/cancel'

  test('without credentials: 401', async () => {
    const response = await api(cancel, 'none', { method: 'POST' })
    expect(response.status).toBe(401)
  })

  test('private_token in a form body authenticates', async () => {
    const response = await api(cancel, 'none', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'private_token=maintainer-token',
    })
    expect(response.status).toBe(201)
    expect(((await response.json()) as { id: number }).id).toBe(6)
  })

  test('private_token in a JSON body authenticates', async () => {
    const response = await api(cancel, 'none', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ private_token: 'maintainer-token' }),
    })
    expect(response.status).toBe(201)
  })

  test('a wrong private_token in the body is a 401 even beside no header', async () => {
    const response = await api(cancel, 'none', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'private_token=nobody',
    })
    expect(response.status).toBe(401)
  })

  test('a form body Rack cannot parse: 400, nothing changes', async () => {
    const before = gitlab.state()
    const response = await api('/projects/1/jobs/6/retry', 'maintainer', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=%zz',
    })
    expect([response.status, await response.json()]).toEqual([400, { error: '400 Bad Request' }])
    expect(gitlab.state()).toEqual(before)
  })
})

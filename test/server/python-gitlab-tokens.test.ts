import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forbidden, forEachVersion } from '../support/each-version.js'
import { describeWithTool, pythonGitlab } from '../support/tools.js'

/**
 * Personal access tokens over HTTP through python-gitlab 3.12 (Debian's python3-gitlab): the
 * default dataset's read-api-token, expired-token and revoked-token, and sudo with an admin's
 * token that has the `sudo` scope. The refusals change nothing.
 */

forEachVersion('python-gitlab and access tokens', (version) => {
  const script = fileURLToPath(new URL('./clients/python_gitlab_tokens.py', import.meta.url))

  const python = (url: string, mode: 'refusals' | 'accepted') => pythonGitlab(script, [url, mode])

  const INSUFFICIENT = {
    error: 'insufficient_scope',
    error_description: 'The request requires higher privileges than provided by the access token.',
    scope: 'api read_api',
  }

  describeWithTool('python3-gitlab', 'python-gitlab 3.12 and personal access tokens', () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await listen({
        gitlab: version,
        port: 0,
        // Standing still, so that nothing but the requests could change the state.
        clock: 'manual',
        fixtures: [
          {
            users: [
              { username: 'boss', admin: true, tokens: [{ token: 'sudo-token', scopes: ['api', 'sudo'] }] },
              { username: 'profile-reader', tokens: [{ token: 'read-user-token', scopes: ['read_user'] }] },
            ],
          },
        ],
      })
    })
    afterAll(() => server.close())

    test('refusals: 403 insufficient_scope, 401 invalid_token, the sudo errors; nothing changes', async () => {
      const before = JSON.stringify(server.fake.state())
      const seen = await python(server.url, 'refusals')
      expect(JSON.stringify(server.fake.state())).toBe(before)

      for (const action of ['retry', 'cancel', 'erase', 'play', 'keep', 'delete']) {
        expect(seen[`read_api_${action}`], action).toMatchObject({
          status: 403,
          message: 'insufficient_scope',
          body: INSUFFICIENT,
        })
      }
      expect(seen.read_api_retry).toMatchObject({ kind: 'GitlabJobRetryError' })
      expect(seen.read_user).toEqual({
        kind: 'GitlabListError',
        status: 403,
        message: 'insufficient_scope',
        body: INSUFFICIENT,
      })
      expect(seen.expired).toEqual({
        kind: 'GitlabAuthenticationError',
        status: 401,
        message: 'invalid_token',
        body: {
          error: 'invalid_token',
          error_description: 'Token is expired. You can either do re-authorization or token refresh.',
        },
      })
      expect(seen.revoked).toEqual({
        kind: 'GitlabAuthenticationError',
        status: 401,
        message: 'invalid_token',
        body: {
          error: 'invalid_token',
          error_description: 'Token was revoked. You have to re-authorize from the user.',
        },
      })
      expect(seen.sudo_not_admin).toMatchObject({
        status: 403,
        message: forbidden(version, 'Must be admin to use sudo').message,
      })
      expect(seen.sudo_no_scope).toMatchObject({
        status: 403,
        message: 'insufficient_scope',
        body: { ...INSUFFICIENT, scope: 'sudo' },
      })
      expect(seen.sudo_unknown).toMatchObject({
        status: 404,
        message: "404 User with ID or username 'nobody' Not Found",
      })
      expect(seen.sudo_reporter_retry).toMatchObject({ status: 403, message: '403 Forbidden' })
    })

    test('accepted: read_api reads and downloads; sudo acts as the user named, by param or header', async () => {
      const seen = await python(server.url, 'accepted')
      expect(seen.read_api_list).toEqual([19, 18, 17])
      expect(seen.read_api_job).toBe('rubocop')
      expect(seen.read_api_trace).toBe(true)
      expect(seen.read_api_archive).toBe(true)
      expect(seen.sudo_param_retry).toBe('developer')
      expect(seen.sudo_header_job).toBe('rubocop')
      expect(seen.sudo_header_play).toBe('pending')
    })
  })
})

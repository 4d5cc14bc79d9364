import { describe, expect, test } from 'vitest'
import { createGitLabFake, type FixtureDocument, FixtureError } from '../../src/index.js'
import { byVersion, describeEachVersion, forbidden } from '../support/each-version.js'
import { API, json } from '../support/gitlab.js'

/**
 * Personal access tokens as GitLab checks them, in 13.0 (§4.1) and today:
 * `find_user_from_access_token` refuses an expired, then a revoked token
 * (lib/gitlab/auth/auth_finders.rb, 401 from lib/api/api_guard.rb with rack-oauth2's body and
 * WWW-Authenticate); `current_user` then runs `sudo!` and the route's scopes, `api` or `read_api`
 * for GET (lib/api/helpers.rb, lib/api/api.rb). Every refusal changes nothing.
 */

const NOW = Date.parse('2026-03-01T12:00:00.000Z')

const SCOPES = [
  'api',
  'read_api',
  'read_user',
  'read_repository',
  'write_repository',
  'read_registry',
  'write_registry',
  'sudo',
] as const
type Scope = (typeof SCOPES)[number]

const ARCHIVE = { file_type: 'archive', files: { 'dist/app.js': 'app\n' } }
const TRACE = { file_type: 'trace' }

/**
 * `keeper`, a Maintainer of tok/app, holds a token of each scope; `boss`, an admin, holds tokens
 * for sudo. tok/app: a successful `main` pipeline whose `build` has an archive, and a pipeline on
 * `feature` with a job for each action.
 */
const FIXTURE = {
  users: [
    {
      id: 50,
      username: 'keeper',
      tokens: SCOPES.map((scope) => ({ token: `${scope}-scoped`, scopes: [scope] })),
    },
    {
      id: 51,
      username: 'boss',
      admin: true,
      tokens: [
        { token: 'sudo-api-token', scopes: ['api', 'sudo'] },
        { token: 'sudo-only-token', scopes: ['sudo'] },
        { token: 'sudo-read-api-token', scopes: ['read_api', 'sudo'] },
        { token: 'sudo-expired-token', scopes: ['api', 'sudo'], expires_at: '2026-01-01' },
      ],
    },
    {
      username: 'worn',
      tokens: [
        { token: 'expired-revoked-token', expires_at: '2026-02-01', revoked: true },
        { token: 'tomorrow-token', expires_at: '2026-03-02' },
      ],
    },
    {
      username: 'frozen',
      state: 'blocked',
      tokens: [
        { token: 'blocked-expired-token', expires_at: '2026-01-01' },
        { token: 'blocked-read-user', scopes: ['read_user'] },
      ],
    },
  ],
  projects: [
    {
      id: 50,
      path: 'tok/app',
      visibility: 'private',
      members: [
        { user: 'keeper', access_level: 'maintainer' },
        { user: 'developer', access_level: 'developer' },
        { user: 'reporter', access_level: 'reporter' },
      ],
      pipelines: [
        {
          id: 50,
          ref: 'main',
          user: 'keeper',
          jobs: [
            {
              id: 500,
              name: 'build',
              status: 'success',
              trace: 'built\n',
              artifacts: [ARCHIVE, TRACE],
              artifacts_expire_at: '2027-01-01T00:00:00.000Z',
            },
          ],
        },
        {
          id: 51,
          ref: 'feature',
          user: 'keeper',
          jobs: [
            { id: 510, name: 'cancel-me', status: 'running' },
            { id: 511, name: 'retry-me', status: 'failed', trace: 'failed\n' },
            { id: 512, name: 'erase-me', status: 'failed', trace: 'failed\n', artifacts: [TRACE] },
            { id: 513, name: 'play-me', status: 'manual', when: 'manual' },
            {
              id: 514,
              name: 'keep-me',
              status: 'success',
              artifacts: [ARCHIVE, TRACE],
              artifacts_expire_at: '2027-01-01T00:00:00.000Z',
            },
            { id: 515, name: 'boss-job', status: 'success', user: 'boss', token: 'boss-job-token' },
          ],
        },
      ],
    },
  ],
} satisfies FixtureDocument

describeEachVersion(
  'personal access tokens',
  (version, gitlab) => {
    interface Endpoint {
      readonly name: string
      readonly method: 'GET' | 'POST' | 'DELETE'
      readonly path: string
      readonly ok: number
    }

    const READS: Endpoint[] = [
      { name: 'list project jobs', method: 'GET', path: '/projects/50/jobs', ok: 200 },
      { name: 'list pipeline jobs', method: 'GET', path: '/projects/50/pipelines/51/jobs', ok: 200 },
      { name: 'get a job', method: 'GET', path: '/projects/50/jobs/511', ok: 200 },
      { name: 'get a trace', method: 'GET', path: '/projects/50/jobs/511/trace', ok: 200 },
      { name: 'download an archive', method: 'GET', path: '/projects/50/jobs/500/artifacts', ok: 200 },
      {
        name: 'download an archive by ref',
        method: 'GET',
        path: '/projects/50/jobs/artifacts/main/download?job=build',
        ok: 200,
      },
      { name: 'get a file', method: 'GET', path: '/projects/50/jobs/500/artifacts/dist/app.js', ok: 200 },
      {
        name: 'get a file by ref',
        method: 'GET',
        path: '/projects/50/jobs/artifacts/main/raw/dist/app.js?job=build',
        ok: 200,
      },
    ]

    const WRITES: Endpoint[] = [
      { name: 'cancel', method: 'POST', path: '/projects/50/jobs/510/cancel', ok: 201 },
      { name: 'retry', method: 'POST', path: '/projects/50/jobs/511/retry', ok: 201 },
      { name: 'erase', method: 'POST', path: '/projects/50/jobs/512/erase', ok: 201 },
      { name: 'play', method: 'POST', path: '/projects/50/jobs/513/play', ok: 200 },
      { name: 'keep artifacts', method: 'POST', path: '/projects/50/jobs/514/artifacts/keep', ok: 200 },
      { name: 'delete artifacts', method: 'DELETE', path: '/projects/50/jobs/514/artifacts', ok: 204 },
    ]

    const INSUFFICIENT = {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: 'api read_api',
    }
    const EXPIRED = 'Token is expired. You can either do re-authorization or token refresh.'
    const REVOKED = 'Token was revoked. You have to re-authorize from the user.'

    function send(
      endpoint: Pick<Endpoint, 'method' | 'path'>,
      headers: Record<string, string> = {},
    ): Promise<Response> {
      return fetch(`${API}${endpoint.path}`, { method: endpoint.method, headers })
    }

    /** The request is refused with this status and body, and nothing changed. */
    async function expectRefused(
      endpoint: Pick<Endpoint, 'method' | 'path'>,
      headers: Record<string, string>,
      status: number,
      body: unknown,
    ): Promise<Response> {
      const before = gitlab.store.snapshot()
      const response = await send(endpoint, headers)
      expect([response.status, await json(response)]).toEqual([status, body])
      expect(gitlab.store.snapshot()).toEqual(before)
      return response
    }

    function invalidToken(description: string) {
      return { error: 'invalid_token', error_description: description }
    }

    function wwwAuthenticate(description: string): string {
      return `Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="${description}"`
    }

    /** What a token of one scope gets from an endpoint: `api` all, `read_api` the GETs. */
    function allowed(scope: Scope, endpoint: Endpoint): boolean {
      return scope === 'api' || (scope === 'read_api' && endpoint.method === 'GET')
    }

    describe('each scope × each endpoint (lib/api/api.rb: `api`, and `read_api` if `request.get?`)', () => {
      const cases = SCOPES.flatMap((scope) =>
        [...READS, ...WRITES].map((endpoint) => [scope, endpoint.name, endpoint] as const),
      )

      test.each(cases)('%s token: %s', async (scope, _name, endpoint) => {
        const headers = { 'PRIVATE-TOKEN': `${scope}-scoped` }
        if (allowed(scope, endpoint)) {
          const response = await send(endpoint, headers)
          expect(response.status).toBe(endpoint.ok)
          return
        }
        const response = await expectRefused(endpoint, headers, 403, INSUFFICIENT)
        // rack-oauth2's Bearer::Forbidden has no WWW-Authenticate (the FIXME in api_guard.rb).
        expect(response.headers.get('www-authenticate')).toBeNull()
        expect(response.headers.get('content-type')).toBe('application/json')
      })

      test('the scopes are checked in every credential form', async () => {
        for (const [path, init] of [
          ['/projects/50/jobs/511/retry?private_token=read_api-scoped', {}],
          ['/projects/50/jobs/511/retry?access_token=read_api-scoped', {}],
          ['/projects/50/jobs/511/retry', { headers: { Authorization: 'Bearer read_api-scoped' } }],
        ] as const) {
          const response = await fetch(`${API}${path}`, { method: 'POST', ...init })
          expect([response.status, await json(response)], path).toEqual([403, INSUFFICIENT])
        }
      })

      // §2 of gitlab-jobs-latest.md: today read_api reads with GET and HEAD.
      test('read_api reads with GET only in 13.0: HEAD is no GET there (`request.get?`); HEAD too today', async () => {
        const head = await fetch(`${API}/projects/50/jobs/511`, {
          method: 'HEAD',
          headers: { 'PRIVATE-TOKEN': 'read_api-scoped' },
        })
        expect(head.status).toBe(byVersion(version, { '13.0': 403, latest: 200 }))
        expect(
          (
            await fetch(`${API}/projects/50/jobs/511`, {
              method: 'HEAD',
              headers: { 'PRIVATE-TOKEN': 'api-scoped' },
            })
          ).status,
        ).toBe(200)
        const artifacts = await fetch(`${API}/projects/50/jobs/500/artifacts`, {
          method: 'HEAD',
          headers: { 'PRIVATE-TOKEN': 'read_api-scoped' },
        })
        expect(artifacts.status).toBe(byVersion(version, { '13.0': 403, latest: 200 }))
      })

      test('the default dataset: read-api-token reads foo/bar as the developer and may not act', async () => {
        const list = await send(
          { method: 'GET', path: '/projects/1/jobs' },
          { 'PRIVATE-TOKEN': 'read-api-token' },
        )
        expect(list.status).toBe(200)
        await expectRefused(
          { method: 'POST', path: '/projects/1/jobs/10/retry' },
          { 'PRIVATE-TOKEN': 'read-api-token' },
          403,
          INSUFFICIENT,
        )
      })

      test('on the Jobs routes the scope is checked before the params and the project (`before { authenticate! }`)', async () => {
        const token = { 'PRIVATE-TOKEN': 'read_api-scoped' }
        await expectRefused({ method: 'POST', path: '/projects/50/jobs/abc/retry' }, token, 403, INSUFFICIENT)
        await expectRefused({ method: 'POST', path: '/projects/999/jobs/1/retry' }, token, 403, INSUFFICIENT)
        const other = { 'PRIVATE-TOKEN': 'read_user-scoped' }
        await expectRefused({ method: 'GET', path: '/projects/50/jobs/abc' }, other, 403, INSUFFICIENT)
        await expectRefused({ method: 'GET', path: '/projects/50/jobs?scope=nope' }, other, 403, INSUFFICIENT)
      })

      test('on the artifact downloads, once the params are valid and before the project (`current_user` in the body)', async () => {
        const token = { 'PRIVATE-TOKEN': 'read_user-scoped' }
        await expectRefused({ method: 'GET', path: '/projects/50/jobs/abc/artifacts' }, token, 400, {
          error: 'job_id is invalid',
        })
        await expectRefused(
          { method: 'GET', path: '/projects/50/jobs/artifacts/main/download' },
          token,
          400,
          {
            error: 'job is missing',
          },
        )
        await expectRefused(
          { method: 'GET', path: '/projects/999/jobs/1/artifacts' },
          token,
          403,
          INSUFFICIENT,
        )
        // keep and delete authenticate in `before` (`authenticate_non_get!`), before the params.
        await expectRefused(
          { method: 'POST', path: '/projects/50/jobs/abc/artifacts/keep' },
          token,
          403,
          INSUFFICIENT,
        )
      })
    })

    describe('expired and revoked tokens (401 invalid_token, lib/api/api_guard.rb)', () => {
      const all = [...READS, ...WRITES]

      test.each(all.map((e) => [e.name, e] as const))('expired-token: %s', async (_name, endpoint) => {
        const response = await expectRefused(
          endpoint,
          { 'PRIVATE-TOKEN': 'expired-token' },
          401,
          invalidToken(EXPIRED),
        )
        expect(response.headers.get('www-authenticate')).toBe(wwwAuthenticate(EXPIRED))
      })

      test.each(all.map((e) => [e.name, e] as const))('revoked-token: %s', async (_name, endpoint) => {
        const response = await expectRefused(
          endpoint,
          { 'PRIVATE-TOKEN': 'revoked-token' },
          401,
          invalidToken(REVOKED),
        )
        expect(response.headers.get('www-authenticate')).toBe(wwwAuthenticate(REVOKED))
      })

      test('byte for byte, as rack-oauth2 writes them', async () => {
        const response = await send(
          { method: 'GET', path: '/projects/1/jobs' },
          { 'PRIVATE-TOKEN': 'expired-token' },
        )
        expect(await response.text()).toBe(
          '{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}',
        )
        const scoped = await send(
          { method: 'POST', path: '/projects/1/jobs/10/retry' },
          { 'PRIVATE-TOKEN': 'read-api-token' },
        )
        expect(await scoped.text()).toBe(
          '{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api read_api"}',
        )
      })

      test('expiry is asked before revocation, and both before the scopes', async () => {
        await expectRefused(
          { method: 'GET', path: '/projects/50/jobs' },
          { 'PRIVATE-TOKEN': 'expired-revoked-token' },
          401,
          invalidToken(EXPIRED),
        )
        await expectRefused(
          { method: 'POST', path: '/projects/50/jobs/511/retry' },
          { 'PRIVATE-TOKEN': 'sudo-expired-token' },
          401,
          invalidToken(EXPIRED),
        )
      })

      test('while the user is found: before the params, the project, and a blocked user', async () => {
        const expired = { 'PRIVATE-TOKEN': 'expired-token' }
        await expectRefused(
          { method: 'GET', path: '/projects/1/jobs/abc' },
          expired,
          401,
          invalidToken(EXPIRED),
        )
        await expectRefused(
          { method: 'GET', path: '/projects/999/jobs' },
          expired,
          401,
          invalidToken(EXPIRED),
        )
        await expectRefused(
          { method: 'GET', path: '/projects/1/jobs' },
          { 'PRIVATE-TOKEN': 'blocked-expired-token' },
          401,
          invalidToken(EXPIRED),
        )
        // A blocked user's valid token: blocked (find_current_user!) before the scopes (current_user).
        await expectRefused(
          { method: 'GET', path: '/projects/1/jobs' },
          { 'PRIVATE-TOKEN': 'blocked-read-user' },
          403,
          forbidden(version, 'Your account has been blocked.'),
        )
      })

      test('the artifact downloads: after the params, before the project', async () => {
        const revoked = { 'PRIVATE-TOKEN': 'revoked-token' }
        await expectRefused({ method: 'GET', path: '/projects/1/jobs/abc/artifacts' }, revoked, 400, {
          error: 'job_id is invalid',
        })
        await expectRefused(
          { method: 'GET', path: '/projects/999/jobs/1/artifacts' },
          revoked,
          401,
          invalidToken(REVOKED),
        )
        await expectRefused(
          { method: 'GET', path: '/projects/2/jobs/20/artifacts' },
          revoked,
          401,
          invalidToken(REVOKED),
        )
      })

      test('a token expires at the midnight UTC that begins its expires_at, on the fake clock', async () => {
        const tomorrow = { 'PRIVATE-TOKEN': 'tomorrow-token' }
        gitlab.clock.set('2026-03-01T23:59:59.999Z')
        // Past the token check: its user is no member of foo/bar.
        expect((await send({ method: 'GET', path: '/projects/1/jobs' }, tomorrow)).status).toBe(404)
        gitlab.clock.advance(1)
        await expectRefused({ method: 'GET', path: '/projects/1/jobs' }, tomorrow, 401, invalidToken(EXPIRED))
      })

      test('an unknown token stays a plain 401, without WWW-Authenticate', async () => {
        const response = await expectRefused(
          { method: 'GET', path: '/projects/1/jobs' },
          { 'PRIVATE-TOKEN': 'nope' },
          401,
          {
            message: '401 Unauthorized',
          },
        )
        expect(response.headers.get('www-authenticate')).toBeNull()
      })
    })

    // A job token that authenticates: any job's in 13.0, a running job's today (gitlab-jobs-latest.md
    // §1 row 27): job 9 succeeded, job 11 runs.
    const runningToken = byVersion(version, { '13.0': 'job-token-9', latest: 'job-token-11' })

    describe('CI job tokens have no scopes (`validate_access_token!` returns for a job)', () => {
      test('a job token downloads; an access token beside it is the one asked', async () => {
        const response = await send({
          method: 'GET',
          path: `/projects/1/jobs/18/artifacts?job_token=${runningToken}`,
        })
        expect(response.status).toBe(200)
        await expectRefused(
          { method: 'GET', path: `/projects/1/jobs/18/artifacts?job_token=${runningToken}` },
          { 'PRIVATE-TOKEN': 'expired-token' },
          401,
          invalidToken(EXPIRED),
        )
      })
    })

    describe('sudo (lib/api/helpers.rb `sudo!`)', () => {
      const retry = { method: 'POST', path: '/projects/50/jobs/511/retry' } as const

      test.each([
        [
          'the Sudo header, by username',
          { 'PRIVATE-TOKEN': 'sudo-api-token', Sudo: 'developer' },
          retry.path,
        ],
        ['the Sudo header, by id', { 'PRIVATE-TOKEN': 'sudo-api-token', Sudo: '3' }, retry.path],
        [
          'the sudo param, by username',
          { 'PRIVATE-TOKEN': 'sudo-api-token' },
          `${retry.path}?sudo=developer`,
        ],
        ['the sudo param, by id', { 'PRIVATE-TOKEN': 'sudo-api-token' }, `${retry.path}?sudo=3`],
        ['a username in any case', { 'PRIVATE-TOKEN': 'sudo-api-token', Sudo: 'DeveLoper' }, retry.path],
      ])('%s: the job is retried by the developer', async (_name, headers, path) => {
        const response = await send({ method: 'POST', path }, headers)
        expect(response.status).toBe(201)
        const job = (await json(response)) as { id: number; user: { username: string } }
        expect(job.user.username).toBe('developer')
        expect(gitlab.store.jobs.get(job.id)?.user_id).toBe(3)
      })

      test('the param wins over the header', async () => {
        const response = await send(
          { method: 'POST', path: `${retry.path}?sudo=developer` },
          { 'PRIVATE-TOKEN': 'sudo-api-token', Sudo: 'reporter' },
        )
        expect(response.status).toBe(201)
      })

      test("the sudo user's permissions apply: a reporter may not retry, an outsider sees no project", async () => {
        await expectRefused(retry, { 'PRIVATE-TOKEN': 'sudo-api-token', Sudo: 'reporter' }, 403, {
          message: '403 Forbidden',
        })
        await expectRefused(retry, { 'PRIVATE-TOKEN': 'sudo-api-token', Sudo: 'outsider' }, 404, {
          message: '404 Project Not Found',
        })
        const reads = await send(
          { method: 'GET', path: '/projects/50/jobs' },
          { 'PRIVATE-TOKEN': 'sudo-api-token', Sudo: 'reporter' },
        )
        expect(reads.status).toBe(200)
      })

      test('the route scopes are not asked of a sudo request (`unless sudo?`)', async () => {
        for (const token of ['sudo-only-token', 'sudo-read-api-token']) {
          gitlab.reset()
          const response = await send(retry, { 'PRIVATE-TOKEN': token, Sudo: 'developer' })
          expect(response.status, token).toBe(201)
        }
      })

      test('sudo as oneself is no sudo: the route scopes are asked', async () => {
        await expectRefused(retry, { 'PRIVATE-TOKEN': 'sudo-only-token', Sudo: 'boss' }, 403, INSUFFICIENT)
        await expectRefused(retry, { 'PRIVATE-TOKEN': 'sudo-read-api-token', Sudo: '51' }, 403, INSUFFICIENT)
      })

      test('a non-admin: 403 Must be admin to use sudo', async () => {
        const body = forbidden(version, 'Must be admin to use sudo')
        await expectRefused(retry, { 'PRIVATE-TOKEN': 'developer-token', Sudo: 'root' }, 403, body)
        await expectRefused(retry, { 'PRIVATE-TOKEN': 'sudo-scoped', Sudo: 'developer' }, 403, body)
        await expectRefused(
          { method: 'GET', path: '/projects/1/jobs?sudo=' },
          { 'PRIVATE-TOKEN': 'developer-token' },
          403,
          body,
        )
      })

      test('an admin token without the sudo scope: 403 insufficient_scope, scope sudo', async () => {
        const response = await expectRefused(
          retry,
          { 'PRIVATE-TOKEN': 'root-token', Sudo: 'developer' },
          403,
          {
            error: 'insufficient_scope',
            error_description: 'The request requires higher privileges than provided by the access token.',
            scope: 'sudo',
          },
        )
        expect(response.headers.get('www-authenticate')).toBeNull()
      })

      test("an unknown user: 404 User with ID or username '…' Not Found", async () => {
        const token = { 'PRIVATE-TOKEN': 'sudo-api-token' }
        await expectRefused(retry, { ...token, Sudo: 'nobody' }, 404, {
          message: "404 User with ID or username 'nobody' Not Found",
        })
        await expectRefused({ method: 'POST', path: `${retry.path}?sudo=999` }, token, 404, {
          message: "404 User with ID or username '999' Not Found",
        })
        // An empty one is asked for too: Ruby's "" is true.
        await expectRefused(retry, { ...token, Sudo: '' }, 404, {
          message: "404 User with ID or username '' Not Found",
        })
      })

      test('no credentials: 401, on the artifact downloads of a public project too', async () => {
        await expectRefused({ method: 'GET', path: '/projects/2/jobs/20/artifacts' }, { Sudo: 'root' }, 401, {
          message: '401 Unauthorized',
        })
        await expectRefused({ method: 'GET', path: '/projects/1/jobs?sudo=root' }, {}, 401, {
          message: '401 Unauthorized',
        })
      })

      test("an admin's CI job token may not sudo", async () => {
        await expectRefused(
          { method: 'GET', path: '/projects/50/jobs/500/artifacts?job_token=boss-job-token&sudo=developer' },
          {},
          403,
          forbidden(version, 'Must be authenticated using an OAuth or Personal Access Token to use sudo'),
        )
        await expectRefused(
          { method: 'GET', path: `/projects/1/jobs/18/artifacts?job_token=${runningToken}&sudo=developer` },
          {},
          403,
          forbidden(version, 'Must be admin to use sudo'),
        )
      })

      test('an expired admin token: 401 before sudo is looked at', async () => {
        await expectRefused(
          retry,
          { 'PRIVATE-TOKEN': 'sudo-expired-token', Sudo: 'nobody' },
          401,
          invalidToken(EXPIRED),
        )
      })

      test('erase as the developer: erased_by and the Developer-triggered rule follow the sudo user', async () => {
        const asDeveloper = await send(
          { method: 'POST', path: '/projects/50/jobs/512/erase' },
          { 'PRIVATE-TOKEN': 'sudo-api-token', Sudo: 'developer' },
        )
        // A Developer erases only the jobs they triggered; keeper triggered this one.
        expect([asDeveloper.status, await json(asDeveloper)]).toEqual([403, { message: '403 Forbidden' }])
        const asKeeper = await send(
          { method: 'POST', path: '/projects/50/jobs/512/erase' },
          { 'PRIVATE-TOKEN': 'sudo-api-token', Sudo: 'keeper' },
        )
        expect(asKeeper.status).toBe(201)
        expect(gitlab.store.jobs.get(512)?.erased_by_id).toBe(50)
      })
    })

    describe('fixtures and state', () => {
      test('a bad token is refused, naming the field', () => {
        const cases: [unknown, string][] = [
          [{ token: 'x', scopes: ['write_api'] }, 'users[0].tokens[0].scopes[0]'],
          [{ token: 'x', scopes: [] }, 'users[0].tokens[0].scopes'],
          [{ token: 'x', expires_at: '2020-13-01' }, 'users[0].tokens[0].expires_at'],
          [{ token: 'x', expires_at: '2020-01-01T00:00:00Z' }, 'users[0].tokens[0].expires_at'],
          [{ token: 'x', revoked: 'yes' }, 'users[0].tokens[0].revoked'],
          [{ token: '' }, 'users[0].tokens[0].token'],
          [{ scopes: ['api'] }, 'users[0].tokens[0].token'],
          [{ token: 'x', scope: ['api'] }, 'users[0].tokens[0]'],
          [{ token: 'maintainer-token' }, 'users[0].tokens[0].token'],
          ['maintainer-token', 'users[0].tokens[0]'],
          [42, 'users[0].tokens[0]'],
        ]
        for (const [token, field] of cases) {
          const before = gitlab.store.snapshot()
          let error: unknown
          try {
            gitlab.load({ users: [{ username: 'bad', tokens: [token as string] }] })
          } catch (e) {
            error = e
          }
          expect(error, JSON.stringify(token)).toBeInstanceOf(FixtureError)
          expect(
            (error as FixtureError).issues.map((i) => i.path),
            JSON.stringify(token),
          ).toEqual([field])
          expect(gitlab.store.snapshot()).toEqual(before)
        }
      })

      test('a plain string is an api token that never expires; the object form defaults to it', () => {
        gitlab.load({ users: [{ username: 'plain', tokens: ['plain-token', { token: 'object-token' }] }] })
        const user = gitlab.store.userByUsername('plain')
        expect(user?.tokens).toEqual([
          { token: 'plain-token', scopes: ['api'], expires_at: null, revoked: false },
          { token: 'object-token', scopes: ['api'], expires_at: null, revoked: false },
        ])
      })

      test('state() round-trips the tokens', () => {
        const state = gitlab.state()
        const developer = state.users?.find((u) => u.username === 'developer')
        expect(developer?.tokens).toEqual([
          'developer-token',
          { token: 'read-api-token', scopes: ['read_api'], expires_at: null, revoked: false },
          { token: 'expired-token', scopes: ['api'], expires_at: '2015-01-01', revoked: false },
          { token: 'revoked-token', scopes: ['api'], expires_at: null, revoked: true },
        ])
        const copy = createGitLabFake({
          gitlab: version,
          dataset: 'empty',
          fixtures: [JSON.parse(JSON.stringify(state))],
          now: NOW,
        })
        expect(copy.state().users).toEqual(state.users)
        expect([...copy.store.users.values()].map((u) => u.tokens)).toEqual(
          [...gitlab.store.users.values()].map((u) => u.tokens),
        )
      })
    })
  },
  (version) => ({ now: () => NOW, fixtures: [version === '13.0' ? FIXTURE : runningBossJob(FIXTURE)] }),
)

/**
 * Today a job token authenticates only while its job runs (gitlab-jobs-latest.md §1 row 27): the
 * same fixture, with boss-job running.
 */
function runningBossJob(fixture: typeof FIXTURE): FixtureDocument {
  const copy = structuredClone(fixture) as FixtureDocument
  for (const pipeline of copy.projects?.[0]?.pipelines ?? [])
    for (const job of pipeline.jobs ?? [])
      if (job.name === 'boss-job') Object.assign(job, { status: 'running' })
  return copy
}

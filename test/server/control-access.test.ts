import { request } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'

/**
 * The control API loads data and lists every token: a web page must not drive it, neither
 * cross-origin (a text/plain POST needs no preflight) nor by DNS rebinding (a foreign Host).
 */

forEachVersion('server control access', (version) => {
  interface Reply {
    status: number
    headers: Record<string, string | string[] | undefined>
    body: string
  }

  /** A request with the headers as given, Host included (fetch would not send a foreign Host). */
  function send(
    url: string,
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ) {
    const { port } = new URL(url)
    return new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d) => {
          text += d
        })
        res.on('end', () => resolve({ status: res.statusCode as number, headers: res.headers, body: text }))
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  let server: RunningServer
  beforeAll(async () => {
    server = await listen({ gitlab: version, port: 0 })
  })
  afterAll(() => server.close())
  beforeEach(() => server.fake.reset())

  const state = async () => (await send(server.url, 'GET', '/__fake/state')).body
  const WRITE = JSON.stringify({ users: [{ username: 'planted', tokens: ['planted-token'], admin: true }] })

  describe('Origin', () => {
    test.each([
      'http://localhost:5173',
      'http://127.0.0.1:3000',
      'http://[::1]:8080',
      'https://localhost',
      'http://app.localhost:3000',
    ])('a loopback origin (%s) may, and gets CORS', async (origin) => {
      const response = await send(server.url, 'GET', '/__fake/requests?limit=1', { Origin: origin })
      expect(response.status).toBe(200)
      expect(response.headers['access-control-allow-origin']).toBe(origin)
      expect(response.headers.vary).toBe('Origin')
      expect(response.headers['access-control-expose-headers']).toBe('Link, X-Next-After')
    })

    test('without an Origin (curl, test clients) it may, and gets no CORS', async () => {
      const response = await send(server.url, 'GET', '/__fake/requests')
      expect(response.status).toBe(200)
      expect(response.headers['access-control-allow-origin']).toBeUndefined()
    })

    test.each([
      'https://evil.example',
      'http://localhost.evil.example',
      'http://127.0.0.1.nip.io:4000',
      'null',
      'file://',
    ])('any other origin (%s) is a 403 naming it, and changes nothing', async (origin) => {
      const before = await state()
      for (const [method, path, body] of [
        ['POST', '/__fake/fixtures', WRITE],
        ['POST', '/__fake/reset', undefined],
        ['DELETE', '/__fake/requests', undefined],
        ['GET', '/__fake/state', undefined],
      ] as const) {
        await fetch(`${server.url}/api/v4/projects/1/jobs/8`, { headers: { 'PRIVATE-TOKEN': 'root-token' } })
        const journal = server.fake.journal.entries.length
        server.fake.seed.pipeline({ project: 1, jobs: [{ name: 'kept' }] })
        const changed = await state()
        // A browser's "simple request": text/plain, no preflight.
        const response = await send(
          server.url,
          method,
          path,
          { Origin: origin, 'Content-Type': 'text/plain' },
          body,
        )
        expect(response.status, `${method} ${path}`).toBe(403)
        expect(JSON.parse(response.body)).toEqual({
          error: `origin ${origin} may not use the control API; allow it with --allow-origin ${origin} (the allowOrigins option)`,
        })
        expect(response.headers['access-control-allow-origin']).toBeUndefined()
        expect(await state()).toBe(changed)
        expect(server.fake.journal.entries.length).toBe(journal)
      }
      server.fake.reset()
      expect(await state()).toBe(before)
    })

    test('a preflight from a loopback origin: 204 with the origin, the methods and the headers asked', async () => {
      const response = await send(server.url, 'OPTIONS', '/__fake/fixtures', {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, x-trace',
      })
      expect(response.status).toBe(204)
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': 'http://localhost:5173',
        'access-control-allow-methods': 'GET, HEAD, POST, DELETE',
        'access-control-allow-headers': 'content-type, x-trace',
        'access-control-max-age': '7200',
        vary: 'Origin',
      })
      expect(response.body).toBe('')
    })

    test('a preflight from another origin is refused', async () => {
      const response = await send(server.url, 'OPTIONS', '/__fake/fixtures', {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
      })
      expect(response.status).toBe(403)
      expect(response.headers['access-control-allow-origin']).toBeUndefined()
    })

    test("GitLab's own routes answer any origin, as GitLab does", async () => {
      const response = await send(server.url, 'GET', '/api/v4/projects/1/jobs/8', {
        Origin: 'https://evil.example',
        'PRIVATE-TOKEN': 'maintainer-token',
      })
      expect([response.status, response.headers['access-control-allow-origin']]).toEqual([200, '*'])
    })

    test('allowOrigins lets an origin in; "*" lets any in', async () => {
      const some = await listen({ gitlab: version, port: 0, allowOrigins: ['https://app.example'] })
      const any = await listen({ gitlab: version, port: 0, allowOrigins: ['*'] })
      try {
        const allowed = await send(
          some.url,
          'POST',
          '/__fake/fixtures',
          { Origin: 'https://app.example' },
          WRITE,
        )
        expect([allowed.status, allowed.headers['access-control-allow-origin']]).toEqual([
          201,
          'https://app.example',
        ])
        expect(
          (await send(some.url, 'GET', '/__fake/state', { Origin: 'https://other.example' })).status,
        ).toBe(403)
        const anyone = await send(any.url, 'GET', '/__fake/state', { Origin: 'https://other.example' })
        expect([anyone.status, anyone.headers['access-control-allow-origin']]).toEqual([
          200,
          'https://other.example',
        ])
      } finally {
        await Promise.all([some.close(), any.close()])
      }
    })
  })

  describe('Host', () => {
    const port = () => new URL(server.url).port

    test.each([
      () => `127.0.0.1:${port()}`,
      () => `localhost:${port()}`,
      () => `[::1]:${port()}`,
      () => 'LOCALHOST',
      () => `app.localhost:${port()}`,
      () => '127.0.0.2',
    ])('a loopback name may use the control API (%#)', async (host) => {
      expect((await send(server.url, 'GET', '/__fake/requests', { Host: host() })).status).toBe(200)
    })

    test.each(['evil.example', `evil.example:4000`, 'localhost.evil.example', '10.0.0.1.nip.io', 'a b'])(
      'a foreign Host (%s, as DNS rebinding sends) is a 421 on control routes, and changes nothing',
      async (host) => {
        server.fake.seed.pipeline({ project: 1, jobs: [{ name: 'kept' }] })
        const before = await state()
        const response = await send(server.url, 'POST', '/__fake/reset', { Host: host })
        expect(response.status).toBe(421)
        expect(JSON.parse(response.body).error).toContain(`not Host ${JSON.stringify(host)}`)
        expect(await state()).toBe(before)
      },
    )

    test('GitLab routes answer any Host, as GitLab does', async () => {
      const response = await send(server.url, 'GET', '/api/v4/projects/1/jobs/8', {
        Host: 'evil.example',
        'PRIVATE-TOKEN': 'maintainer-token',
      })
      expect(response.status).toBe(200)
    })

    test("the base URL's host names the server too", async () => {
      const named = await listen({ gitlab: version, port: 0, baseUrl: 'https://gitlab.ci.internal' })
      try {
        expect(
          (await send(named.url, 'GET', '/__fake/requests', { Host: 'gitlab.ci.internal' })).status,
        ).toBe(200)
        expect(
          (await send(named.url, 'GET', '/__fake/requests', { Host: 'gitlab.ci.internal:443' })).status,
        ).toBe(200)
        expect((await send(named.url, 'GET', '/__fake/requests', { Host: 'other.internal' })).status).toBe(
          421,
        )
      } finally {
        await named.close()
      }
    })
  })
})

import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'

/** Bad input against the standalone server: never a crash, never a 500, GitLab-shaped answers. */

forEachVersion('server bad input', (version) => {
  let server: RunningServer
  beforeAll(async () => {
    server = await listen({ gitlab: version, port: 0, maxBodyBytes: 64 * 1024 })
  })
  afterAll(() => server.close())

  const auth = { 'PRIVATE-TOKEN': 'maintainer-token' }

  /** A request written by hand on a socket, for what fetch would not send. */
  function raw(text: string): Promise<string> {
    const { port } = new URL(server.url)
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(text))
      let out = ''
      socket.on('data', (d) => {
        out += d.toString('latin1')
      })
      socket.on('end', () => resolve(out))
      socket.on('error', reject)
    })
  }

  function statusOf(response: string): number {
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1])
  }

  describe('malformed requests', () => {
    test.each([
      [
        'a malformed %-escape in the project',
        '/api/v4/projects/foo%ZZbar/jobs',
        400,
        '{"error":"400 Bad Request"}',
      ],
      [
        'a malformed %-escape in the query',
        '/api/v4/projects/1/jobs?scope=%E0%A4%A',
        400,
        '{"error":"400 Bad Request"}',
      ],
      [
        'a query Rack refuses (array then string)',
        '/api/v4/projects/1/jobs?scope[]=failed&scope[x]=y',
        400,
        '{"error":"400 Bad Request"}',
      ],
      ['a double slash', '//api/v4/projects/1/jobs', 404, 'Not Found\n'],
      // Routed on the path as sent, as Rails routes it: the catch-all, not a file outside.
      ['a path climbing out', '/api/v4/../../etc/passwd', 404, '{"error":"404 Not Found"}'],
    ])('%s: %s', async (_, path, status, body) => {
      const response = await raw(
        `GET ${path} HTTP/1.1\r\nHost: x\r\nPRIVATE-TOKEN: maintainer-token\r\nConnection: close\r\n\r\n`,
      )
      expect(statusOf(response)).toBe(status)
      expect(response.endsWith(body)).toBe(true)
    })

    test('an absolute-form request target is a 400', async () => {
      const response = await raw(
        'GET http://elsewhere.example/api/v4/projects/1/jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      )
      expect(statusOf(response)).toBe(400)
    })

    test('malformed JSON in a body: Grape’s 400, and nothing changes', async () => {
      const before = await (await fetch(`${server.url}/__fake/state`)).text()
      const response = await fetch(`${server.url}/api/v4/projects/1/jobs/11/cancel`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: '{"force": tru',
      })
      expect([response.status, await response.json()]).toEqual([
        400,
        { error: 'message body does not match declared format' },
      ])
      expect(await (await fetch(`${server.url}/__fake/state`)).text()).toBe(before)
    })

    test('a body over the limit is refused with 413, declared or chunked', async () => {
      const big = 'x'.repeat(70 * 1024)
      const declared = await fetch(`${server.url}/__fake/fixtures`, { method: 'POST', body: big })
      expect(declared.status).toBe(413)
      expect(await declared.text()).toContain('413 Request Entity Too Large')
      const chunked = await new Promise<number>((resolve, reject) => {
        const { port } = new URL(server.url)
        const req = httpRequest(
          {
            port,
            host: '127.0.0.1',
            path: '/api/v4/projects/1/jobs/11/cancel',
            method: 'POST',
            headers: auth,
          },
          (res) => {
            res.resume()
            resolve(res.statusCode as number)
          },
        )
        req.on('error', reject)
        for (let i = 0; i < 70; i++) req.write('y'.repeat(1024))
        req.end()
      })
      expect(chunked).toBe(413)
    })

    test('the server still answers after all of it', async () => {
      expect((await fetch(`${server.url}/api/v4/projects/1/jobs/8`, { headers: auth })).status).toBe(200)
    })
  })

  describe('CORS for browser clients (GitLab’s Rack::Cors on /api/*)', () => {
    test('a preflight is allowed for any origin, with the headers asked for', async () => {
      const response = await raw(
        'OPTIONS /api/v4/projects/1/jobs HTTP/1.1\r\nHost: x\r\nOrigin: http://localhost:5173\r\nAccess-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: private-token, job-token\r\nConnection: close\r\n\r\n',
      )
      expect(statusOf(response)).toBe(200)
      expect(response).toMatch(/access-control-allow-origin: \*/i)
      expect(response).toMatch(/access-control-allow-headers: private-token, job-token/i)
      expect(response).toMatch(/access-control-allow-methods: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS/i)
    })

    test('answers expose Link, the X- headers and Content-Disposition', async () => {
      const response = await raw(
        'GET /api/v4/projects/1/jobs?per_page=2 HTTP/1.1\r\nHost: x\r\nOrigin: http://localhost:5173\r\nPRIVATE-TOKEN: maintainer-token\r\nConnection: close\r\n\r\n',
      )
      expect(statusOf(response)).toBe(200)
      const exposed = /access-control-expose-headers: ([^\r]+)/i.exec(response)?.[1] ?? ''
      for (const name of [
        'Link',
        'X-Total',
        'X-Total-Pages',
        'X-Per-Page',
        'X-Page',
        'X-Next-Page',
        'X-Prev-Page',
        'Content-Disposition',
      ]) {
        expect(exposed.split(', ')).toContain(name)
      }
    })
  })

  describe('a thousand concurrent requests', () => {
    test('no error, no 500, and no lost update', async () => {
      const { jobs } = server.fake.seed.pipeline({
        project: 1,
        ref: 'feature/load',
        jobs: [{ name: 'load', status: 'failed' }],
      })
      const target = jobs[0]?.id as number
      const before = server.fake.store.jobs.size
      const requests = Array.from({ length: 1000 }, (_, i) => {
        if (i % 4 === 0)
          return fetch(`${server.url}/api/v4/projects/1/jobs/${target}/retry`, {
            method: 'POST',
            headers: auth,
          })
        if (i % 4 === 1)
          return fetch(`${server.url}/__fake/fixtures`, {
            method: 'POST',
            body: JSON.stringify({ users: [{}] }),
          })
        if (i % 4 === 2)
          return fetch(`${server.url}/api/v4/projects/1/jobs?per_page=5&page=${i % 7}`, { headers: auth })
        return fetch(`${server.url}/api/v4/projects/1/jobs/18/artifacts/dist/app.js`, { headers: auth })
      })
      const statuses = await Promise.all(requests.map(async (r) => (await r).status))
      const retries = statuses.filter((_, i) => i % 4 === 0)
      expect(statuses.filter((s, i) => i % 4 !== 0 && s !== [201, 201, 200, 200][i % 4])).toEqual([])
      // In 13.0 every retry makes its job (`retryable?` does not ask retried?); today the first one
      // only, the others find the job retried: 403 (gitlab-jobs-latest.md §1 row 5). Every fixture
      // makes its user.
      if (version === '13.0') {
        expect(retries.filter((s) => s !== 201)).toEqual([])
        expect(server.fake.store.jobs.size).toBe(before + 250)
      } else {
        expect([...retries].sort()).toEqual([201, ...Array(249).fill(403)])
        expect(server.fake.store.jobs.size).toBe(before + 1)
      }
      expect(server.fake.store.users.size).toBe(6 + 250)
      expect(
        server.fake.store
          .jobsOfPipeline(jobs[0]?.pipeline_id as number)
          .list()
          .filter((j) => !j.retried),
      ).toHaveLength(1)
    })
  })
})

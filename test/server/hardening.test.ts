import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { toGitLabJson } from '../../src/entities/index.js'
import { type Answer, createGitLabFake, type GitLabFake } from '../../src/index.js'
import { listen, type RunningServer, serve } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'

/** The standalone server where a client or an answer misbehaves: raw sockets, raw paths, odd methods. */

forEachVersion('server hardening', (version) => {
  const auth = { 'PRIVATE-TOKEN': 'maintainer-token' }

  interface Exchange {
    /** Everything received, as latin1 text. */
    text: string
    /** Whether the server closed the connection. */
    closed: boolean
  }

  /** Writes `text` on a keep-alive socket; collects what comes back until the server closes it or `ms` pass. */
  function exchange(url: string, text: string, ms = 1000): Promise<Exchange> {
    const { port } = new URL(url)
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(text))
      let out = ''
      const finish = (closed: boolean) => {
        clearTimeout(timer)
        socket.destroy()
        resolve({ text: out, closed })
      }
      const timer = setTimeout(() => finish(false), ms)
      socket.on('data', (d) => {
        out += d.toString('latin1')
      })
      socket.on('close', () => finish(true))
      socket.on('error', reject)
    })
  }

  /** The first answer in `text`: status, headers (lower-case names) and the bytes after them. */
  function parse(text: string): { status: number; headers: Record<string, string>; rest: string } {
    const end = text.indexOf('\r\n\r\n')
    const [line, ...lines] = text.slice(0, end).split('\r\n')
    const headers: Record<string, string> = {}
    for (const l of lines) {
      const i = l.indexOf(':')
      headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim()
    }
    return { status: Number(line?.split(' ')[1]), headers, rest: text.slice(end + 4) }
  }

  /** A GET sent with its path exactly as written (fetch and `new URL` would resolve dot segments). */
  function getRaw(url: string, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
    const { port } = new URL(url)
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: auth }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d) => {
          body += d
        })
        res.on('end', () => resolve({ status: res.statusCode as number, body }))
      })
      req.on('error', reject)
      req.end()
    })
  }

  /** The fake, its every GitLab answer replaced by `result`. */
  function answering(result: () => Answer): GitLabFake {
    return { ...createGitLabFake({ gitlab: version }), answer: result }
  }

  describe('an answer that fails half-way never lies about its length', () => {
    const errors: string[] = []
    let consoleError: ReturnType<typeof vi.spyOn>
    beforeEach(() => {
      errors.length = 0
      consoleError = vi.spyOn(console, 'error').mockImplementation(() => {})
    })
    afterEach(() => consoleError.mockRestore())

    test('a header Node refuses: a 500 of the right length, and the connection closed', async () => {
      const running = await serve(
        answering(() => ({ status: 200, headers: { 'Content-Length': '1', 'X-Name': 'caf€' }, body: 'x' })),
        { port: 0, onError: (line) => errors.push(line) },
      )
      try {
        const { text, closed } = await exchange(
          running.url,
          'GET /api/v4/projects/1/jobs HTTP/1.1\r\nHost: x\r\n\r\n',
        )
        const { status, headers, rest } = parse(text)
        expect(status).toBe(500)
        expect(rest).toBe('{"message":"500 Internal Server Error"}')
        expect(headers['content-length']).toBe(String(rest.length))
        expect(headers.connection).toBe('close')
        // A keep-alive connection in doubt is not used again.
        expect(closed).toBe(true)
        expect(errors).toEqual([
          expect.stringMatching(/^gitlab-fake: failed to answer GET \/api\/v4\/projects\/1\/jobs: /),
        ])
        expect(errors[0]).not.toContain('\n')
      } finally {
        await running.close()
      }
    })

    test('a stream that errors after the headers: the connection is dropped, nothing is appended', async () => {
      const running = await serve(
        answering(() => ({
          status: 200,
          headers: { 'Content-Length': '1000', 'Content-Type': 'application/octet-stream' },
          body: new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('0123456789'))
            },
            pull(controller) {
              controller.error(new Error('the archive went missing'))
            },
          }),
        })),
        { port: 0, onError: (line) => errors.push(line) },
      )
      try {
        const { text, closed } = await exchange(
          running.url,
          'GET /api/v4/projects/1/jobs/18/artifacts HTTP/1.1\r\nHost: x\r\n\r\n',
        )
        const { status, headers, rest } = parse(text)
        expect([status, headers['content-length'], rest]).toEqual([200, '1000', '0123456789'])
        expect(closed).toBe(true)
        expect(errors).toEqual([
          'gitlab-fake: failed to answer GET /api/v4/projects/1/jobs/18/artifacts: Error: the archive went missing',
        ])
        expect(consoleError).not.toHaveBeenCalled()
      } finally {
        await running.close()
      }
    })

    test('a client that goes away is no error: not reported, no stack on the console', async () => {
      const running = await serve(
        answering(() => ({
          status: 200,
          headers: { 'Content-Type': 'application/octet-stream' },
          body: new ReadableStream<Uint8Array>({
            pull(controller) {
              controller.enqueue(new Uint8Array(64 * 1024))
            },
          }),
        })),
        { port: 0, onError: (line) => errors.push(line) },
      )
      try {
        // A download read a little and dropped; an upload dropped half-way.
        await exchange(
          running.url,
          'GET /api/v4/projects/1/jobs/18/artifacts HTTP/1.1\r\nHost: x\r\n\r\n',
          100,
        )
        await exchange(
          running.url,
          'POST /__fake/fixtures HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"users"',
          100,
        )
        await new Promise((r) => setTimeout(r, 200))
        expect(errors).toEqual([])
        expect(consoleError).not.toHaveBeenCalled()
      } finally {
        await running.close()
      }
    })
  })

  describe('journal path patterns in linear time', () => {
    test.each([
      ['/api/v4/projects/*/jobs', '/api/v4/projects/1/jobs', true],
      ['/api/v4/projects/*/jobs', '/api/v4/projects/foo%2Fbar/jobs', true],
      ['/api/v4/projects/*/jobs', '/api/v4/projects/1/jobs/8', false],
      ['/api/v4/projects/*', '/api/v4/projects/1/jobs/8', true],
      ['*', '/', true],
      ['*/8', '/api/v4/projects/1/jobs/8', true],
      ['/api/*/jobs/*', '/api/v4/projects/1/jobs/', true],
      ['/a*a', '/a', false],
      ['/a*b*c', '/acb', false],
      ['/a**c', '/abc', true],
      ['/api/v4/projects/1/jobs', '/api/v4/projects/1/jobs', true],
      ['/api/v4/projects/./jobs', '/api/v4/projects/1/jobs', false],
    ])('%s against %s: %s', (pattern, path, expected) => {
      const fake = createGitLabFake({ gitlab: version })
      fake.journal.record(
        { method: 'GET', headers: { get: () => null } },
        new URL(`https://x${path}`),
        200,
        1,
      )
      expect(fake.journal.count({ path: pattern })).toBe(Number(expected))
    })

    test('agrees with a regular expression on every short pattern and path', () => {
      const fake = createGitLabFake({ gitlab: version })
      const paths = ['/', '/a', '/ab', '/aab', '/aba', '/abab', '/b', '/bba', '/aaa', '/abba']
      for (const path of paths)
        fake.journal.record(
          { method: 'GET', headers: { get: () => null } },
          new URL(`https://x${path}`),
          200,
          1,
        )
      const patterns = [
        '/*',
        '/*a',
        '/a*',
        '/*a*',
        '/*a*b',
        '/a*b*a',
        '/*b*b*',
        '/a*a*a',
        '/**',
        '/*ab*',
        '/b*a',
      ]
      for (const pattern of patterns) {
        const regex = new RegExp(`^${pattern.split('*').join('.*')}$`)
        expect(
          fake.journal.filter({ path: pattern }).map((e) => e.path),
          pattern,
        ).toEqual(paths.filter((p) => regex.test(p)))
      }
    })

    test('a pathological pattern over a 3,000-character path answers at once', () => {
      const fake = createGitLabFake({ gitlab: version })
      const long = `/${'a'.repeat(3000)}`
      fake.journal.record(
        { method: 'GET', headers: { get: () => null } },
        new URL(`https://x${long}`),
        404,
        1,
      )
      const started = performance.now()
      expect(fake.journal.filter({ path: '/*a*a*b' })).toEqual([])
      expect(fake.journal.count({ path: '/*a*a*a*a*a*a*a*a*' })).toBe(1)
      expect(performance.now() - started).toBeLessThan(1000)
    })

    test('a pattern over 1,000 characters is refused, naming the path', () => {
      const fake = createGitLabFake({ gitlab: version })
      expect(() => fake.journal.filter({ path: `/*${'a'.repeat(1000)}` })).toThrow(
        'path: a pattern is at most 1,000 characters, got 1,002',
      )
      // An exact path of any length is a plain comparison.
      expect(fake.journal.filter({ path: `/${'a'.repeat(2000)}` })).toEqual([])
    })
  })

  describe('the server', () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await listen({ gitlab: version, port: 0 })
    })
    afterAll(() => server.close())
    beforeEach(() => {
      server.fake.reset()
      server.fake.journal.clear()
    })

    describe('GET /__fake/requests', () => {
      test('a pathological pattern after a 3,000-character path answers at once; a long one is a 400', async () => {
        await fetch(`${server.url}/api/v4/${'a'.repeat(3000)}`)
        const started = performance.now()
        const response = await fetch(`${server.url}/__fake/requests?path=/*a*a*a*b`)
        expect([response.status, await response.json()]).toEqual([200, []])
        expect(performance.now() - started).toBeLessThan(1000)
        const long = await fetch(`${server.url}/__fake/requests?path=/*${'a'.repeat(1000)}`)
        expect([long.status, await long.json()]).toEqual([
          400,
          { error: 'path: a pattern is at most 1,000 characters, got 1,002' },
        ])
      })

      test('a page at a time: limit, after, X-Next-After and Link', async () => {
        for (const id of [1, 2, 3, 4, 5])
          await fetch(`${server.url}/api/v4/projects/1/jobs/${id}`, { headers: auth })
        const first = await fetch(`${server.url}/__fake/requests?path=/api/v4/projects/1/jobs/*&limit=2`)
        const ids = ((await first.json()) as { id: number; path: string }[]).map((e) => e.id)
        expect(ids).toHaveLength(2)
        expect(first.headers.get('x-next-after')).toBe(String(ids[1]))
        const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1] as string
        expect(link).toBe(
          `/__fake/requests?path=%2Fapi%2Fv4%2Fprojects%2F1%2Fjobs%2F*&limit=2&after=${ids[1]}`,
        )
        const second = await fetch(new URL(link, server.url))
        const paths = ((await second.json()) as { path: string }[]).map((e) => e.path)
        expect(paths).toEqual(['/api/v4/projects/1/jobs/3', '/api/v4/projects/1/jobs/4'])
        const last = await fetch(
          `${server.url}/__fake/requests?limit=2&after=${second.headers.get('x-next-after')}`,
        )
        expect(((await last.json()) as { path: string }[]).map((e) => e.path)).toEqual([
          '/api/v4/projects/1/jobs/5',
        ])
        expect([last.headers.get('x-next-after'), last.headers.get('link')]).toEqual([null, null])
      })

      test('1,000 entries unless limit says otherwise', async () => {
        for (let i = 0; i < 1005; i++)
          server.fake.journal.record(
            { method: 'GET', headers: { get: () => null } },
            new URL(`${server.fake.apiUrl}/projects/1/jobs/${i}`),
            404,
            0.1,
          )
        const response = await fetch(`${server.url}/__fake/requests`)
        const entries = (await response.json()) as { id: number }[]
        expect(entries).toHaveLength(1000)
        expect(response.headers.get('x-next-after')).toBe(String(entries[999]?.id))
        const rest = await fetch(`${server.url}/__fake/requests?after=${entries[999]?.id}&limit=10000`)
        expect(await rest.json()).toHaveLength(5)
      })

      test.each([
        ['limit=0', 'limit: must be an integer from 1 to 10,000, got "0"'],
        ['limit=10001', 'limit: must be an integer from 1 to 10,000, got "10001"'],
        ['limit=ten', 'limit: must be an integer from 1 to 10,000, got "ten"'],
        ['after=-1', 'after: must be an integer from 0 to 9,007,199,254,740,991, got "-1"'],
      ])('?%s is a 400 naming the param', async (query, error) => {
        const response = await fetch(`${server.url}/__fake/requests?${query}`)
        expect([response.status, await response.json()]).toEqual([400, { error }])
      })
    })

    describe('GET /__fake/state is written a chunk at a time', () => {
      test('other work goes on while a large document is written, and the bytes are the same', async () => {
        // 300,000 jobs' worth of document, built before the request: only the writing is measured.
        const document = {
          users: [],
          runners: [],
          projects: [
            {
              id: 1,
              path: 'a/b',
              pipelines: Array.from({ length: 3000 }, (_, p) => ({
                id: p + 1,
                jobs: Array.from({ length: 100 }, (_, j) => ({
                  id: p * 100 + j + 1,
                  name: `job ${j}`,
                  status: 'success',
                  trace: 'Running with gitlab-runner <13.0> & more\n',
                })),
              })),
            },
          ],
        }
        const running = await serve(
          { ...createGitLabFake({ gitlab: version }), state: () => document as never },
          { port: 0 },
        )
        let last = performance.now()
        let longest = 0
        const tick = setInterval(() => {
          const now = performance.now()
          longest = Math.max(longest, now - last)
          last = now
        }, 1)
        try {
          const chunks: Buffer[] = []
          await new Promise<void>((resolve, reject) => {
            httpRequest(`${running.url}/__fake/state`, (res) => {
              res.on('data', (d: Buffer) => chunks.push(d))
              res.on('end', resolve)
            })
              .on('error', reject)
              .end()
          })
          clearInterval(tick)
          // Written at once, 50 MB of JSON holds the event loop for several hundred milliseconds.
          expect(longest).toBeLessThan(150)
          expect(Buffer.concat(chunks).toString('utf8')).toBe(toGitLabJson(document))
        } finally {
          clearInterval(tick)
          await running.close()
        }
      })
    })

    describe('raw paths, as Workhorse and Rails see them', () => {
      test.each([
        ['/api/v4/projects/1/jobs/18/artifacts/%2e', 404, '404 page not found\n'],
        ['/api/v4/projects/1/jobs/18/artifacts/%2e%2e', 404, '404 page not found\n'],
        ['/api/v4/projects/1/jobs/18/artifacts/./dist/app.js', 404, '404 page not found\n'],
        ['/api/v4/projects/1/jobs/18/artifacts/dist\\app.js', 404, '404 page not found\n'],
        ['/api/v4/projects/1/jobs/18/artifacts/dist%5capp.js', 404, '404 page not found\n'],
        ['/api/v4/projects/1/jobs/18/artifacts/dist/../../8', 404, '404 page not found\n'],
        ['/api/v4/projects/1/jobs/18/../8', 404, '{"error":"404 Not Found"}'],
        ['/api/v4/projects/1/jobs/18/%2e%2e/8', 404, '{"error":"404 Not Found"}'],
        ['/api/v4/../__fake/state', 404, '{"error":"404 Not Found"}'],
        [
          '/__fake/../api/v4/projects/1/jobs/8',
          404,
          '{"error":"no control operation GET /../api/v4/projects/1/jobs/8"}',
        ],
      ])('%s: %s', async (path, status, body) => {
        expect(await getRaw(server.url, path)).toEqual({ status, body })
      })

      test('the archive itself and a file in it still answer; the journal keeps the path as sent', async () => {
        expect((await getRaw(server.url, '/api/v4/projects/1/jobs/18/artifacts')).status).toBe(200)
        expect(await getRaw(server.url, '/api/v4/projects/1/jobs/18/artifacts/dist/app.js')).toEqual({
          status: 200,
          body: "console.log('foo/bar 1.4.0')\n",
        })
        await getRaw(server.url, '/api/v4/projects/1/jobs/18/artifacts/%2e')
        expect(server.fake.journal.count({ path: '/api/v4/projects/1/jobs/18/artifacts/%2e' })).toBe(1)
      })

      test('a POST climbing out of /api/v4 reaches no control operation', async () => {
        const before = server.fake.store.users.size
        server.fake.load({ users: [{ username: 'kept' }] })
        const response = await getRaw(server.url, '/api/v4/../../__fake/reset', 'POST')
        expect(response).toEqual({ status: 404, body: '{"error":"404 Not Found"}' })
        expect(server.fake.store.users.size).toBe(before + 1)
      })
    })

    describe('odd methods', () => {
      test('CONNECT is refused as nginx refuses it, and the connection closed', async () => {
        const { text, closed } = await exchange(
          server.url,
          'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
        )
        const { status, headers, rest } = parse(text)
        expect(status).toBe(405)
        expect(rest).toBe(
          '<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n<center><h1>405 Not Allowed</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
        )
        expect(headers['content-length']).toBe(String(rest.length))
        expect(closed).toBe(true)
        // And the server goes on.
        expect((await fetch(`${server.url}/api/v4/projects/1/jobs/8`, { headers: auth })).status).toBe(200)
      })

      test.each(['/requests', '/state'])('HEAD /__fake%s answers as GET, without the body', async (path) => {
        const head = await fetch(`${server.url}/__fake${path}`, { method: 'HEAD' })
        expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([
          200,
          'application/json',
          '',
        ])
      })
    })
  })

  describe('the URL answers name, without a base URL', () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await listen({ gitlab: version, port: 0, host: '0.0.0.0' })
    })
    afterAll(() => server.close())

    test('listening on every address, answers name the Host the client asked', async () => {
      const { port } = new URL(server.url)
      const response = await new Promise<{ link: string; body: string }>((resolve, reject) => {
        httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/api/v4/projects/1/jobs?per_page=1',
            headers: { ...auth, Host: 'gitlab.lan:8080' },
          },
          (res) => {
            let body = ''
            res.on('data', (d) => {
              body += d
            })
            res.on('end', () => resolve({ link: String(res.headers.link), body }))
          },
        )
          .on('error', reject)
          .end()
      })
      expect(JSON.parse(response.body)[0].web_url).toBe('http://gitlab.lan:8080/foo/bar/-/jobs/19')
      expect(response.link).toContain(
        '<http://gitlab.lan:8080/api/v4/projects/1/jobs?id=1&page=2&per_page=1>; rel="next"',
      )
    })

    test('without a Host (HTTP/1.0), the listening address', async () => {
      const { text } = await exchange(
        server.url,
        'GET /api/v4/projects/1/jobs/8 HTTP/1.0\r\nPRIVATE-TOKEN: maintainer-token\r\n\r\n',
      )
      expect(JSON.parse(parse(text).rest).web_url).toBe(`${server.url}/foo/bar/-/jobs/8`)
      expect(server.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/)
    })

    test('a malformed Host names the listening address too', async () => {
      const { text } = await exchange(
        server.url,
        'GET /api/v4/projects/1/jobs/8 HTTP/1.1\r\nHost: a/b@c\r\nPRIVATE-TOKEN: maintainer-token\r\nConnection: close\r\n\r\n',
      )
      expect(JSON.parse(parse(text).rest).web_url).toBe(`${server.url}/foo/bar/-/jobs/8`)
    })
  })

  describe('close()', () => {
    test('lets a request in flight finish, then drops what still stalls after graceMs', async () => {
      const running = await listen({ gitlab: version, port: 0 })
      const { port } = new URL(running.url)
      const stalled = connect(Number(port), '127.0.0.1', () =>
        stalled.write('POST /__fake/fixtures HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"users":['),
      )
      const stalledClosed = new Promise((resolve) => stalled.on('close', resolve))
      stalled.on('error', () => {}).resume()
      const body = JSON.stringify({ users: [{ username: 'late' }] })
      const finishing = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = httpRequest(`${running.url}/__fake/fixtures`, { method: 'POST' }, (res) => {
          res.resume()
          resolve({ status: res.statusCode as number, connection: res.headers.connection })
        })
        req.on('error', reject)
        req.write(body.slice(0, 5))
        setTimeout(() => req.end(body.slice(5)), 300)
      })
      await new Promise((r) => setTimeout(r, 100))
      const started = performance.now()
      await running.close({ graceMs: 700 })
      const ms = performance.now() - started
      expect(await finishing).toEqual({ status: 201, connection: 'close' })
      await stalledClosed
      expect(ms).toBeGreaterThan(600)
      expect(ms).toBeLessThan(2000)
      expect(running.fake.store.users.size).toBe(7)
    })
  })
})

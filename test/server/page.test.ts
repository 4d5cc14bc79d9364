import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { startCli } from '../support/cli.js'

/**
 * The standalone server's side of the fake's own page (src/page; in Chromium:
 * test/browser/page.test.ts): where it is served, what `GET /__fake/overview` lists for it, and
 * who may drive the control API from a page.
 */

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A request with the headers as given, Host included. */
function send(url: string, method: string, path: string, headers: Record<string, string> = {}) {
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
    req.end()
  })
}

let server: RunningServer
let without: RunningServer
beforeAll(async () => {
  server = await listen({ port: 0, baseUrl: 'http://fake.internal:4000' })
  without = await listen({ port: 0, control: false })
})
afterAll(async () => {
  await server.close()
  await without.close()
})

describe('where the page is', () => {
  test('`/` and `/__fake` lead to `/__fake/`, which is the page (built by npm run build)', async () => {
    for (const path of ['/', '/__fake']) {
      for (const method of ['GET', 'HEAD']) {
        const response = await send(server.url, method, path)
        expect([response.status, response.headers.location], `${method} ${path}`).toEqual([302, '/__fake/'])
      }
    }
    const page = await send(server.url, 'GET', '/__fake/')
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.body).toContain('<title>gitlab-fake</title>')
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.body)?.[1] as string
    const asset = await send(server.url, 'GET', `/__fake/${script}`)
    expect([asset.status, asset.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8'])
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const head = await send(server.url, 'HEAD', `/__fake/${script}`)
    expect([head.status, head.headers['content-length'], head.body]).toEqual([
      200,
      String(Buffer.byteLength(asset.body)),
      '',
    ])
  })

  test('no site may frame the page (X-Frame-Options, frame-ancestors); GitLab’s routes keep their headers', async () => {
    const page = await send(server.url, 'GET', '/__fake/')
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.body)?.[1] as string
    for (const response of [page, await send(server.url, 'GET', `/__fake/${script}`)]) {
      expect(response.headers['x-frame-options']).toBe('DENY')
      expect(response.headers['content-security-policy']).toBe("frame-ancestors 'none'")
    }
    const api = await send(server.url, 'GET', '/api/v4/projects/1/jobs/8', { 'PRIVATE-TOKEN': 'root-token' })
    expect(api.status).toBe(200)
    expect(api.headers['x-frame-options']).toBeUndefined()
    expect(api.headers['content-security-policy']).toBeUndefined()
  })

  test('nothing else changes: other paths, other methods, files outside the page', async () => {
    for (const [method, path] of [
      ['POST', '/'],
      ['GET', '/elsewhere'],
      ['GET', '/__fake/assets/missing.js'],
      ['GET', '/__fake/assets/../../package.json'],
      ['GET', '/__fake/index.html'],
    ] as const) {
      const response = await send(server.url, method, path)
      expect(response.status, `${method} ${path}`).toBe(404)
    }
    expect((await send(server.url, 'GET', '/elsewhere')).body).toBe('Not Found\n')
    // A write to the page's path is the control API's: no such operation.
    expect((await send(server.url, 'POST', '/__fake/')).status).toBe(404)
  })

  test('without the control API (--no-control) there is no page, and `/` is a 404 as before', async () => {
    for (const path of ['/', '/__fake/']) {
      const response = await send(without.url, 'GET', path)
      expect([response.status, response.body], path).toEqual([404, 'Not Found\n'])
    }
  })

  test('`npx gitlab-fake` names the page in what it prints, unless --no-control', async () => {
    for (const [args, named] of [
      [[], true],
      [['--no-control'], false],
    ] as const) {
      const { child, url, out } = await startCli(['--quiet', ...args])
      try {
        expect(
          out().includes(`Its page (projects, pipelines, jobs, requests): ${url}/__fake/\n`),
          args.join(),
        ).toBe(named)
      } finally {
        child.kill()
      }
    }
  })

  test('it answers only under the server’s names, as the control API does', async () => {
    const response = await send(server.url, 'GET', '/__fake/', { Host: 'rebound.example' })
    expect(response.status).toBe(421)
  })
})

describe('GET /__fake/overview', () => {
  test('the projects with their counts, and every token with its user, roles and state', async () => {
    const response = await send(server.url, 'GET', '/__fake/overview')
    expect(response.status).toBe(200)
    const body = JSON.parse(response.body)
    expect(body.base_url).toBe('http://fake.internal:4000')
    expect(body.projects).toEqual([
      { id: 1, path_with_namespace: 'foo/bar', visibility: 'private', pipelines: 3, jobs: 14 },
      { id: 2, path_with_namespace: 'acme/website', visibility: 'public', pipelines: 1, jobs: 2 },
    ])
    const byToken = Object.fromEntries(
      (body.tokens as { token: string }[]).map((t) => [t.token, t as Record<string, unknown>]),
    )
    expect(Object.keys(byToken)).toEqual(
      expect.arrayContaining(['root-token', 'maintainer-token', 'read-api-token', 'outsider-token']),
    )
    expect(byToken['maintainer-token']).toMatchObject({
      scopes: ['api'],
      state: 'active',
      user: { id: 2, username: 'maintainer', admin: false },
      roles: { 'foo/bar': 'maintainer' },
    })
    expect(byToken['root-token']).toMatchObject({ user: { username: 'root', admin: true } })
    expect(byToken['read-api-token']).toMatchObject({ scopes: ['read_api'], state: 'active' })
    expect(byToken['expired-token']?.state).toBe('expired')
    expect(byToken['revoked-token']?.state).toBe('revoked')
    expect(byToken['outsider-token']?.roles).toEqual({})
  })

  test('counts follow what is loaded', async () => {
    server.fake.seed.pipeline({ project: 'acme/website', jobs: [{}, {}, {}] })
    const body = JSON.parse((await send(server.url, 'GET', '/__fake/overview')).body)
    expect(body.projects[1]).toMatchObject({ pipelines: 2, jobs: 5 })
    server.fake.reset()
  })
})

describe('pages that may drive the control API', () => {
  test('the server’s own page under a name of its own (--base-url, --host) may, as a loopback page may', async () => {
    const port = new URL(server.url).port
    const response = await send(server.url, 'POST', '/__fake/reset', {
      Host: `fake.internal:${port}`,
      Origin: `http://fake.internal:${port}`,
    })
    expect(response.status).toBe(200)
    expect(response.headers['access-control-allow-origin']).toBe(`http://fake.internal:${port}`)
  })

  test('the base URL’s origin may, whole: its host under another scheme or port may not', async () => {
    const port = new URL(server.url).port
    const own = await send(server.url, 'POST', '/__fake/reset', { Origin: 'http://fake.internal:4000' })
    expect([own.status, own.headers['access-control-allow-origin']]).toEqual([
      200,
      'http://fake.internal:4000',
    ])
    for (const origin of [
      'https://fake.internal:4000',
      'http://fake.internal',
      'http://fake.internal:4001',
      `https://fake.internal:${port}`,
    ]) {
      server.fake.seed.pipeline({ project: 1, jobs: [{ name: 'kept' }] })
      const before = JSON.stringify(server.fake.state())
      const response = await send(server.url, 'POST', '/__fake/reset', { Origin: origin })
      expect(response.status, origin).toBe(403)
      expect(response.headers['access-control-allow-origin']).toBeUndefined()
      expect(JSON.stringify(server.fake.state()), origin).toBe(before)
    }
    server.fake.reset()
  })

  test('a real site named by --base-url: only its exact origin, not its other pages', async () => {
    const named = await listen({ port: 0, baseUrl: 'https://gitlab.example.com' })
    try {
      const port = new URL(named.url).port
      for (const [origin, status] of [
        ['https://gitlab.example.com', 200],
        ['https://gitlab.example.com:443', 200],
        [`http://gitlab.example.com:${port}`, 200],
        ['http://gitlab.example.com', 403],
        ['https://gitlab.example.com:8443', 403],
        ['http://gitlab.example.com:8080', 403],
      ] as const)
        expect((await send(named.url, 'GET', '/__fake/state', { Origin: origin })).status, origin).toBe(
          status,
        )
    } finally {
      await named.close()
    }
  })

  test("a preflight asking for Chromium's private network access gets it; one not asking does not", async () => {
    const asked = await send(server.url, 'OPTIONS', '/__fake/reset', {
      Origin: 'http://localhost:5173',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Private-Network': 'true',
    })
    expect(asked.status).toBe(204)
    expect(asked.headers['access-control-allow-private-network']).toBe('true')
    const plain = await send(server.url, 'OPTIONS', '/__fake/reset', {
      Origin: 'http://localhost:5173',
      'Access-Control-Request-Method': 'POST',
    })
    expect(plain.headers['access-control-allow-private-network']).toBeUndefined()
  })
})

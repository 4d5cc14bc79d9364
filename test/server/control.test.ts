import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { createGitLabFake, type FixtureDocument } from '../../src/index.js'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'

forEachVersion('server control', (version) => {
  const NOW = Date.parse('2026-03-01T12:00:00.000Z')
  let server: RunningServer
  beforeAll(async () => {
    server = await listen({ gitlab: version, port: 0, now: () => NOW })
  })
  afterAll(() => server.close())
  beforeEach(async () => {
    await fetch(`${server.url}/__fake/reset`, { method: 'POST' })
    await fetch(`${server.url}/__fake/requests`, { method: 'DELETE' })
  })

  const auth = { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } }
  const get = (path: string) => fetch(`${server.url}/api/v4${path}`, auth)
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/__fake${path}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })

  describe('the control API under /__fake/', () => {
    test('POST /__fake/fixtures adds data and answers the ids it created', async () => {
      const response = await control('POST', '/fixtures', {
        users: [{ username: 'carol', tokens: ['carol-token'] }],
        projects: [
          {
            path: 'carol/app',
            members: [{ user: 'carol', access_level: 'maintainer' }],
            pipelines: [{ jobs: [{ name: 'unit' }] }],
          },
        ],
      })
      expect(response.status).toBe(201)
      const { created } = (await response.json()) as { created: Record<string, number[]> }
      expect(created).toEqual({ users: [7], runners: [], projects: [3], pipelines: [10], jobs: [22] })
      const jobs = await fetch(`${server.url}/api/v4/projects/carol%2Fapp/jobs`, {
        headers: { 'PRIVATE-TOKEN': 'carol-token' },
      })
      expect(((await jobs.json()) as { id: number; name: string }[]).map((j) => [j.id, j.name])).toEqual([
        [22, 'unit'],
      ])
    })

    test('a bad fixture is a 400 naming the field, and changes nothing', async () => {
      const before = await (await control('GET', '/state')).text()
      const response = await control('POST', '/fixtures', {
        projects: [{ path: 'x/y', pipelines: [{ jobs: [{ status: 'done' }] }] }],
      })
      expect(response.status).toBe(400)
      const body = (await response.json()) as { error: string; issues: { path: string }[] }
      expect(body.issues[0]?.path).toBe('projects[0].pipelines[0].jobs[0].status')
      expect(body.error).toContain('projects[0].pipelines[0].jobs[0].status')
      expect(await (await control('GET', '/state')).text()).toBe(before)
      const notJson = await control('POST', '/fixtures', '{nope')
      expect([notJson.status, await notJson.json()]).toEqual([400, { error: 'the body is not JSON' }])
    })

    test('POST /__fake/reset restores the initial dataset exactly', async () => {
      const initial = await (await control('GET', '/state')).text()
      await control('POST', '/fixtures', { users: [{ username: 'temp' }] })
      await fetch(`${server.url}/api/v4/projects/1/jobs/10/retry`, { ...auth, method: 'POST' })
      expect(await (await control('GET', '/state')).text()).not.toBe(initial)
      expect((await control('POST', '/reset')).status).toBe(200)
      expect(await (await control('GET', '/state')).text()).toBe(initial)
    })

    test('GET /__fake/requests: the journal, filtered by method and path; DELETE clears it', async () => {
      await get('/projects/1/jobs?scope=failed')
      await get('/projects/1/jobs/8')
      await fetch(`${server.url}/api/v4/projects/1/jobs/8/cancel`, { ...auth, method: 'POST' })
      const all = (await (await control('GET', '/requests')).json()) as {
        method: string
        path: string
        status: number
      }[]
      expect(all.map((e) => [e.method, e.path, e.status])).toEqual([
        ['GET', '/api/v4/projects/1/jobs', 200],
        ['GET', '/api/v4/projects/1/jobs/8', 200],
        ['POST', '/api/v4/projects/1/jobs/8/cancel', 201],
      ])
      const gets = (await (
        await control('GET', '/requests?method=GET&path=/api/v4/projects/1/jobs')
      ).json()) as {
        query: Record<string, string>
        headers: Record<string, string>
      }[]
      expect(gets).toHaveLength(1)
      expect(gets[0]?.query).toEqual({ scope: 'failed' })
      expect(gets[0]?.headers['private-token']).toBe('maintainer-token')
      expect((await control('DELETE', '/requests')).status).toBe(204)
      expect(await (await control('GET', '/requests')).json()).toEqual([])
    })

    test('GET /__fake/state loads back into an empty fake that answers the same', async () => {
      await fetch(`${server.url}/api/v4/projects/1/jobs/10/retry`, { ...auth, method: 'POST' })
      await fetch(`${server.url}/api/v4/projects/1/jobs/9/erase`, { ...auth, method: 'POST' })
      const state = (await (await control('GET', '/state')).json()) as FixtureDocument
      const copy = createGitLabFake({
        gitlab: version,
        dataset: 'empty',
        baseUrl: server.url,
        fixtures: [state],
        now: () => NOW,
      })
      const paths = [
        '/projects/1/jobs?per_page=100',
        '/projects/2/jobs',
        '/projects/1/pipelines/7/jobs',
        ...Array.from({ length: 22 }, (_, i) => `/projects/1/jobs/${i + 1}`),
        '/projects/1/jobs/7/trace',
        '/projects/1/jobs/18/artifacts',
        '/projects/1/jobs/18/artifacts/dist/app.js',
      ]
      for (const path of paths) {
        const original = await get(path)
        const loaded = await copy.handle(new Request(`${server.url}/api/v4${path}`, auth))
        expect(loaded?.status, path).toBe(original.status)
        expect(Buffer.from(await (loaded as Response).arrayBuffer()), path).toEqual(
          Buffer.from(await original.arrayBuffer()),
        )
      }
    })

    test('an unknown control operation is a 404 of its own; GitLab paths are untouched', async () => {
      const response = await control('GET', '/nope')
      expect([response.status, await response.json()]).toEqual([
        404,
        { error: 'no control operation GET /nope' },
      ])
    })
  })

  describe('--no-control', () => {
    test('the control paths are then outside GitLab: 404, and no reset happens', async () => {
      const closed = await listen({ gitlab: version, port: 0, control: false })
      try {
        const response = await fetch(`${closed.url}/__fake/reset`, { method: 'POST' })
        expect(response.status).toBe(404)
        expect(await response.text()).toBe('Not Found\n')
      } finally {
        await closed.close()
      }
    })
  })

  describe('the same operations on the in-process object', () => {
    test('journal.expectCalled passes on a match and explains a miss', async () => {
      const fake = createGitLabFake({ gitlab: version })
      const ask = (path: string) =>
        fake.handle(
          new Request(`https://gitlab.example.com/api/v4${path}`, {
            headers: { 'PRIVATE-TOKEN': 'root-token' },
          }),
        )
      await ask('/projects/1/jobs?scope[]=failed')
      await ask('/projects/1/jobs?scope[]=failed')
      await ask('/projects/1/jobs/8')
      expect(
        fake.journal.expectCalled({
          method: 'GET',
          path: '/api/v4/projects/1/jobs',
          query: { 'scope[]': 'failed' },
          times: 2,
        }),
      ).toHaveLength(2)
      expect(fake.journal.count({ path: '/api/v4/projects/1/jobs/*' })).toBe(1)
      expect(fake.journal.count({ path: /\/jobs\/8$/, status: 200 })).toBe(1)
      expect(() =>
        fake.journal.expectCalled({ method: 'POST', path: '/api/v4/projects/1/jobs/8/cancel' }),
      ).toThrow(
        /Expected POST \/api\/v4\/projects\/1\/jobs\/8\/cancel at least once, found 0\.\nRequests:\n {2}GET \/api\/v4\/projects\/1\/jobs\?scope\[\]=failed → 200/,
      )
      fake.journal.clear()
      expect(fake.journal.entries).toEqual([])
    })

    test('gitlab.listen() serves an existing fake for non-MSW clients, naming its own address', async () => {
      const fake = createGitLabFake({ gitlab: version })
      const { jobs } = fake.seed.pipeline({ project: 1, jobs: [{ name: 'served' }] })
      const running = await fake.listen({ port: 0 })
      try {
        expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        const response = await fetch(`${running.url}/api/v4/projects/1/jobs/${jobs[0]?.id}`, auth)
        const job = (await response.json()) as { name: string; web_url: string }
        expect(job.name).toBe('served')
        expect(job.web_url).toBe(`${running.url}/foo/bar/-/jobs/${jobs[0]?.id}`)
        expect(fake.journal.count({ path: `/api/v4/projects/1/jobs/${jobs[0]?.id}` })).toBe(1)
      } finally {
        await running.close()
      }
    })
  })
})

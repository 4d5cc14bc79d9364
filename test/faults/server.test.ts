import { request } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'

/** Faults over HTTP: the control API's fault routes and a dropped connection on the wire. */

let server: RunningServer
beforeAll(async () => {
  server = await listen({ port: 0, clock: 'manual' })
})
afterAll(() => server.close())
beforeEach(async () => {
  await control('DELETE', '/faults')
  await control('DELETE', '/requests')
})

const control = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}/__fake${path}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
const job = () =>
  fetch(`${server.url}/api/v4/projects/1/jobs/8`, { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } })

describe('the fault routes of the control API', () => {
  test('POST adds a rule (201 with its id); GET lists and shows; DELETE removes one or all', async () => {
    const added = await control('POST', '/faults', {
      method: 'GET',
      path: '/api/v4/projects/*/jobs/*',
      preset: '502',
      times: 2,
    })
    expect(added.status).toBe(201)
    expect(await added.json()).toEqual({
      id: 1,
      name: '502',
      method: 'GET',
      path: '/api/v4/projects/*/jobs/*',
      preset: '502',
      times: 2,
      faulted: 0,
      remaining: 2,
    })
    expect((await job()).status).toBe(502)
    expect(await (await control('GET', '/faults/1')).json()).toMatchObject({
      id: 1,
      faulted: 1,
      remaining: 1,
    })

    await control('POST', '/faults', { path: '/api/v4/projects/*/jobs', status: 500 })
    expect(((await (await control('GET', '/faults')).json()) as { id: number }[]).map((f) => f.id)).toEqual([
      1, 2,
    ])

    expect((await control('DELETE', '/faults/1')).status).toBe(204)
    expect(await (await control('DELETE', '/faults/1')).json()).toEqual({ error: 'no fault 1' })
    expect((await control('GET', '/faults/x')).status).toBe(404)
    expect((await job()).status).toBe(200)

    expect((await control('DELETE', '/faults')).status).toBe(204)
    expect(await (await control('GET', '/faults')).json()).toEqual([])
  })

  test('POST /__fake/faults/rewind takes the rules back to their start', async () => {
    await control('POST', '/faults', { path: '/api/v4/projects/1/jobs/8', answers: ['503', 'pass'] })
    expect([(await job()).status, (await job()).status, (await job()).status]).toEqual([503, 200, 200])
    const rewound = await control('POST', '/faults/rewind')
    expect(await rewound.json()).toMatchObject([{ id: 1, faulted: 0, remaining: 2 }])
    expect((await job()).status).toBe(503)
  })

  test('the journal marks faulted requests, and filters on them', async () => {
    await control('POST', '/faults', { path: '/api/v4/projects/1/jobs/8', preset: 'rate-limit', times: 1 })
    const limited = await job()
    expect([limited.status, limited.headers.get('retry-after'), await limited.text()]).toEqual([
      429,
      '1',
      'Retry later\n',
    ])
    expect((await job()).status).toBe(200)
    const faulted = (await (await control('GET', '/requests?faulted=true')).json()) as object[]
    expect(faulted).toMatchObject([{ path: '/api/v4/projects/1/jobs/8', status: 429, fault: 'rate-limit' }])
    const clean = (await (await control('GET', '/requests?faulted=false')).json()) as object[]
    expect(clean).toHaveLength(1)
    expect(clean[0]).not.toHaveProperty('fault')
    expect((await control('GET', '/requests?faulted=maybe')).status).toBe(400)
  })

  test('faults apply to the GitLab routes, not to the control API', async () => {
    await control('POST', '/faults', { path: '*', preset: '503' })
    expect((await control('GET', '/faults')).status).toBe(200)
    expect((await control('GET', '/state')).status).toBe(200)
    expect((await job()).status).toBe(503)
  })

  const bad: [string, unknown, string][] = [
    ['a bad pattern', { path: 'projects/*', preset: '502' }, 'path'],
    ['a path that is not a string', { path: 42, preset: '502' }, 'path'],
    ['status 99', { path: '/api/v4/*', status: 99 }, 'status'],
    ['status 600', { path: '/api/v4/*', status: 600 }, 'status'],
    ['an unknown preset', { path: '/api/v4/*', preset: 'flaky' }, 'preset'],
    ['negative times', { path: '/api/v4/*', preset: '502', times: -2 }, 'times'],
    ['probability outside 0..1', { path: '/api/v4/*', preset: '502', probability: 2 }, 'probability'],
    ['an unknown field', { path: '/api/v4/*', preset: '502', when: 'now' }, 'when'],
    ['not an object', [1, 2], '(rule)'],
    ['not JSON', '{"path":', '(body)'],
  ]

  test.each(bad)('%s: 400 naming the field, and nothing added', async (_, body, field) => {
    await control('POST', '/faults', { path: '/api/v4/kept', preset: '500' })
    const before = await (await control('GET', '/faults')).text()
    const response = await control('POST', '/faults', body)
    expect(response.status).toBe(400)
    const answer = (await response.json()) as { error: string; field: string }
    expect(answer.field).toBe(field)
    expect(answer.error.startsWith(`${field}: `)).toBe(true)
    expect(await (await control('GET', '/faults')).text()).toBe(before)
  })
})

describe('on the wire', () => {
  test('a dropped connection closes the socket without an answer; the next request works', async () => {
    await control('POST', '/faults', { path: '/api/v4/projects/1/jobs/8', drop: true, times: 1 })
    const outcome = await new Promise<string>((resolve) => {
      const req = request(`${server.url}/api/v4/projects/1/jobs/8`, {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
      })
      req.on('response', (res) => resolve(`answered ${res.statusCode}`))
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
      req.end()
    })
    expect(outcome).toBe('ECONNRESET')
    await expect(job()).resolves.toMatchObject({ status: 200 })
    const entries = (await (await control('GET', '/requests')).json()) as { status: number; fault?: string }[]
    expect(entries.map((e) => [e.status, e.fault ?? null])).toEqual([
      [0, 'drop'],
      [200, null],
    ])
  })

  test('a delay holds the answer in real time', async () => {
    await control('POST', '/faults', { path: '/api/v4/projects/1/jobs/8', delay: 150, times: 1 })
    const started = performance.now()
    expect((await job()).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  })
})

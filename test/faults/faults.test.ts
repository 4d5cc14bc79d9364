import { afterEach, describe, expect, test } from 'vitest'
import { createGitLabFake, type FaultRule, FaultRuleError, type GitLabFake } from '../../src/index.js'
import { describeEachVersion } from '../support/each-version.js'
import { API, api, json, useGitLab } from '../support/gitlab.js'

/** Faults in-process, through fetch under msw's setupServer. */

const JOB = '/api/v4/projects/*/jobs/*'

describeEachVersion('faults', (version, gitlab) => {
  afterEach(() => {
    gitlab.faults.clear()
    gitlab.journal.clear()
  })

  describe('answers', () => {
    test('fails twice with 502, then the real answer; the journal marks the faulted requests', async () => {
      const rule = gitlab.faults.failNext({ method: 'GET', path: JOB, times: 2, preset: '502' })
      expect(rule).toMatchObject({ id: 1, name: '502', times: 2, faulted: 0, remaining: 2 })

      for (let i = 0; i < 2; i++) {
        const response = await api('/projects/1/jobs/8')
        expect(response.status).toBe(502)
        expect(response.headers.get('content-type')).toBe('text/plain')
        expect(await response.text()).toBe('GitLab is not responding')
      }
      const ok = await api('/projects/1/jobs/8')
      expect(ok.status).toBe(200)
      expect(((await json(ok)) as { id: number }).id).toBe(8)

      expect(gitlab.journal.entries.map((e) => [e.status, e.fault])).toEqual([
        [502, '502'],
        [502, '502'],
        [200, undefined],
      ])
      expect(gitlab.journal.filter({ faulted: true })).toHaveLength(2)
      expect(gitlab.journal.count({ faulted: false })).toBe(1)
      expect(gitlab.journal.count({ fault: '502' })).toBe(2)
      expect(gitlab.faults.list()).toMatchObject([{ id: 1, faulted: 2, remaining: 0 }])
    })

    test.each([
      ['500', 500, 'application/json', '{"message":"500 Internal Server Error"}'],
      ['503', 503, 'text/html', '503 Service Temporarily Unavailable'],
      ['504', 504, 'text/html', '504 Gateway Time-out'],
    ] as const)('the %s preset', async (preset, status, type, text) => {
      gitlab.faults.failNext({ path: JOB, preset })
      const response = await api('/projects/1/jobs/8')
      expect(response.status).toBe(status)
      expect(response.headers.get('content-type')).toBe(type)
      expect(await response.text()).toContain(text)
    })

    test('a status of your own: GitLab-shaped by default, or the body and headers given', async () => {
      gitlab.faults.add({ path: JOB, status: 409, times: 1 })
      gitlab.faults.add({
        path: JOB,
        status: 418,
        body: { error: 'teapot' },
        headers: { 'X-Why': 'tea' },
        times: 1,
      })
      gitlab.faults.add({ path: JOB, status: 500, body: 'plain words', times: 1 })
      const a = await api('/projects/1/jobs/8')
      expect([a.status, await a.text()]).toEqual([409, '{"message":"409 Conflict"}'])
      const b = await api('/projects/1/jobs/8')
      expect([b.status, b.headers.get('x-why'), await b.json()]).toEqual([418, 'tea', { error: 'teapot' }])
      const c = await api('/projects/1/jobs/8')
      expect([c.status, c.headers.get('content-type'), await c.text()]).toEqual([
        500,
        'text/plain',
        'plain words',
      ])
    })

    test('HEAD gets the fault without its body', async () => {
      gitlab.faults.failNext({ method: 'GET', path: JOB, preset: '502' })
      const response = await api('/projects/1/jobs/8', 'maintainer', { method: 'HEAD' })
      expect(response.status).toBe(502)
      expect(await response.text()).toBe('')
    })
  })

  describe('state', () => {
    test('a faulted POST changes nothing; the retry that follows acts', async () => {
      gitlab.faults.failNext({ method: 'POST', path: '/api/v4/projects/1/jobs/8/retry', preset: '502' })
      const before = JSON.stringify(gitlab.state())
      const jobsBefore = gitlab.store.jobs.size

      const faulted = await api('/projects/1/jobs/8/retry', 'maintainer', { method: 'POST' })
      expect(faulted.status).toBe(502)
      expect(JSON.stringify(gitlab.state())).toBe(before)
      expect(gitlab.store.jobs.size).toBe(jobsBefore)
      expect(gitlab.journal.filter({ method: 'POST', faulted: true })).toMatchObject([
        { path: '/api/v4/projects/1/jobs/8/retry', status: 502, fault: '502' },
      ])

      const retried = await api('/projects/1/jobs/8/retry', 'maintainer', { method: 'POST' })
      expect(retried.status).toBe(201)
      expect(gitlab.store.jobs.size).toBe(jobsBefore + 1)
    })

    test('reset() keeps the faults; clear() removes them and starts ids and scenarios again', async () => {
      gitlab.faults.scenario({ path: JOB, answers: ['502', 'pass'] })
      expect((await api('/projects/1/jobs/8')).status).toBe(502)
      gitlab.reset()
      expect(gitlab.faults.list()).toMatchObject([{ id: 1, faulted: 1, remaining: 1 }])
      expect((await api('/projects/1/jobs/8')).status).toBe(200)

      gitlab.faults.clear()
      expect(gitlab.faults.list()).toEqual([])
      expect((await api('/projects/1/jobs/8')).status).toBe(200)
      expect(gitlab.faults.scenario({ path: JOB, answers: ['502', 'pass'] }).id).toBe(1)
      expect((await api('/projects/1/jobs/8')).status).toBe(502)
    })

    test('rewind() takes every rule back to its start; remove() takes one away', async () => {
      const a = gitlab.faults.failNext({ path: JOB, preset: '503' })
      const b = gitlab.faults.add({ path: '/api/v4/projects/*/jobs', preset: '500' })
      expect((await api('/projects/1/jobs/8')).status).toBe(503)
      expect((await api('/projects/1/jobs/8')).status).toBe(200)
      gitlab.faults.rewind()
      expect(gitlab.faults.get(a.id)).toMatchObject({ faulted: 0, remaining: 1 })
      expect((await api('/projects/1/jobs/8')).status).toBe(503)
      expect(gitlab.faults.remove(b.id)).toBe(true)
      expect(gitlab.faults.remove(b.id)).toBe(false)
      expect((await api('/projects/1/jobs')).status).toBe(200)
    })
  })

  describe('scenarios', () => {
    test('one answer per request, in order; then the real answer', async () => {
      gitlab.faults.scenario({
        method: 'GET',
        path: JOB,
        answers: ['502', 'rate-limit', 'pass', { status: 500, body: { message: 'boom' } }, 'drop'],
      })
      const statuses: (number | string)[] = []
      for (let i = 0; i < 6; i++) {
        statuses.push(
          await api('/projects/1/jobs/8').then(
            (r) => r.status,
            () => 'dropped',
          ),
        )
      }
      expect(statuses).toEqual([502, 429, 200, 500, 'dropped', 200])
      expect(gitlab.journal.entries.map((e) => e.fault ?? null)).toEqual([
        'scenario',
        'scenario',
        null,
        'scenario',
        'scenario',
        null,
      ])
    })
  })

  describe('matching', () => {
    test('on the method, the token, the query and a header', async () => {
      gitlab.faults.add({ method: 'POST', path: '/api/v4/projects/1/jobs/*', preset: '500', name: 'post' })
      gitlab.faults.add({ path: '/api/v4/projects/1/jobs', token: 'developer-token', preset: '503' })
      gitlab.faults.add({
        path: '/api/v4/projects/1/jobs',
        query: { 'scope[]': ['failed', 'success'] },
        status: 409,
      })
      gitlab.faults.add({
        path: '/api/v4/projects/1/jobs',
        requestHeaders: { 'user-agent': 'bot/1' },
        status: 418,
      })

      expect((await api('/projects/1/jobs/8')).status).toBe(200)
      expect((await api('/projects/1/jobs/8/cancel', 'maintainer', { method: 'POST' })).status).toBe(500)
      expect((await api('/projects/1/jobs')).status).toBe(200)
      expect((await api('/projects/1/jobs', 'developer')).status).toBe(503)
      expect((await fetch(`${API}/projects/1/jobs?private_token=developer-token`)).status).toBe(503)
      expect(
        (await fetch(`${API}/projects/1/jobs`, { headers: { Authorization: 'Bearer developer-token' } }))
          .status,
      ).toBe(503)
      expect((await api('/projects/1/jobs?scope[]=failed')).status).toBe(200)
      expect((await api('/projects/1/jobs?scope[]=failed&scope[]=success')).status).toBe(409)
      expect(
        (await api('/projects/1/jobs', 'maintainer', { headers: { 'User-Agent': 'bot/1' } })).status,
      ).toBe(418)
    })

    test('a RegExp path, and only under /api/v4', async () => {
      gitlab.faults.add({ path: /\/jobs\/\d+\/trace$/, preset: '502' })
      expect((await api('/projects/1/jobs/8/trace')).status).toBe(502)
      expect((await api('/projects/1/jobs/8')).status).toBe(200)
    })
  })

  describe('connections', () => {
    test('a dropped connection: fetch rejects, the journal marks it, the next request works', async () => {
      gitlab.faults.failNext({ path: JOB, drop: true })
      const error = await api('/projects/1/jobs/8').then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(TypeError)
      expect(gitlab.journal.entries).toMatchObject([{ status: 0, fault: 'drop' }])
      expect((await api('/projects/1/jobs/8')).status).toBe(200)
    })

    test('a delay holds the request in real time, then the real answer', async () => {
      gitlab.faults.failNext({ path: JOB, delay: 150 })
      const started = performance.now()
      const response = await api('/projects/1/jobs/8')
      expect(response.status).toBe(200)
      expect(performance.now() - started).toBeGreaterThanOrEqual(140)
      expect(gitlab.journal.entries).toMatchObject([{ status: 200, fault: 'delay' }])
    })

    test('the timeout preset holds the request, then drops the connection', async () => {
      gitlab.faults.failNext({ path: JOB, preset: 'timeout', delay: 100 })
      const started = performance.now()
      await expect(api('/projects/1/jobs/8')).rejects.toBeInstanceOf(TypeError)
      expect(performance.now() - started).toBeGreaterThanOrEqual(90)
    })

    test('a delay before a fault answer', async () => {
      gitlab.faults.failNext({ path: JOB, preset: '503', delay: 100 })
      const started = performance.now()
      expect((await api('/projects/1/jobs/8')).status).toBe(503)
      expect(performance.now() - started).toBeGreaterThanOrEqual(90)
    })
  })

  describe('probability', () => {
    /** Which of 100 requests a rule of probability 0.5 faults, on a fresh fake of that seed. */
    async function draws(seed: number): Promise<boolean[]> {
      const fake = createGitLabFake({ gitlab: version, seed })
      fake.faults.add({ path: JOB, preset: '502', probability: 0.5 })
      const out: boolean[] = []
      for (let i = 0; i < 100; i++) {
        const response = await fake.handle(
          new Request(`${fake.apiUrl}/projects/1/jobs/8`, {
            headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
          }),
        )
        out.push(response?.status === 502)
      }
      return out
    }

    test('the same seed faults the same requests; another seed, others', async () => {
      const a = await draws(42)
      expect(await draws(42)).toEqual(a)
      expect(await draws(43)).not.toEqual(a)
      const faulted = a.filter(Boolean).length
      expect(faulted).toBeGreaterThan(25)
      expect(faulted).toBeLessThan(75)
    })

    test('rewind() draws the same again; a rule that draws "no" lets the next decide', async () => {
      const fake = createGitLabFake({ gitlab: version, seed: 7 })
      fake.faults.add({ path: JOB, preset: '502', probability: 0.3 })
      fake.faults.add({ path: JOB, preset: '503' })
      const run = async () => {
        const out: number[] = []
        for (let i = 0; i < 20; i++) {
          const r = await fake.handle(
            new Request(`${fake.apiUrl}/projects/1/jobs/8`, {
              headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
            }),
          )
          out.push(r?.status ?? 0)
        }
        return out
      }
      const first = await run()
      expect(new Set(first)).toEqual(new Set([502, 503]))
      fake.faults.rewind()
      expect(await run()).toEqual(first)
    })
  })

  describe('bad rules', () => {
    const cases: [string, unknown, string][] = [
      ['no path', { preset: '502' }, 'path'],
      ['a path without its slash', { path: 'api/v4/projects', preset: '502' }, 'path'],
      ['a query in the path', { path: '/api/v4/projects?x=1', preset: '502' }, 'path'],
      ['a pattern too long', { path: `/${'*'.repeat(1001)}`, preset: '502' }, 'path'],
      ['status 99', { path: JOB, status: 99 }, 'status'],
      ['status 600', { path: JOB, status: 600 }, 'status'],
      ['status 1.5', { path: JOB, status: 201.5 }, 'status'],
      ['an unknown preset', { path: JOB, preset: '418' }, 'preset'],
      ['negative times', { path: JOB, preset: '502', times: -1 }, 'times'],
      ['zero times', { path: JOB, preset: '502', times: 0 }, 'times'],
      ['probability over 1', { path: JOB, preset: '502', probability: 1.5 }, 'probability'],
      ['probability under 0', { path: JOB, preset: '502', probability: -0.1 }, 'probability'],
      ['an unknown field', { path: JOB, preset: '502', tiems: 2 }, 'tiems'],
      ['nothing to do', { path: JOB }, '(rule)'],
      ['two answers', { path: JOB, preset: '502', status: 500 }, 'status'],
      ['a negative delay', { path: JOB, delay: -5 }, 'delay'],
      ['retryAfter without the rate limit', { path: JOB, preset: '502', retryAfter: 3 }, 'retryAfter'],
      ['a bad method', { path: JOB, method: 'GE T', preset: '502' }, 'method'],
      ['a bad step', { path: JOB, answers: ['502', 'nope'] }, 'answers[1]'],
      ['a bad field in a step', { path: JOB, answers: [{ status: 500, tiems: 1 }] }, 'answers[0].tiems'],
      ['times with answers', { path: JOB, times: 2, answers: ['502'] }, 'times'],
      ['a body on a 204', { path: JOB, status: 204, body: 'x' }, 'body'],
      ['a query value not a string', { path: JOB, preset: '502', query: { page: 2 } }, 'query.page'],
      ['not an object', 'GET /api/v4', '(rule)'],
    ]

    test.each(cases)('%s: a FaultRuleError naming the field, and nothing added', (_, rule, field) => {
      gitlab.faults.add({ path: '/api/v4/kept', preset: '500' })
      const before = gitlab.faults.list()
      let error: unknown
      try {
        gitlab.faults.add(rule as FaultRule)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(FaultRuleError)
      expect((error as FaultRuleError).field).toBe(field)
      expect((error as FaultRuleError).message.startsWith(`${field}: `)).toBe(true)
      expect(gitlab.faults.list()).toEqual(before)
    })

    test('a rule changed after it was added changes nothing', async () => {
      const rule: FaultRule = { path: JOB, preset: '502', times: 1 }
      gitlab.faults.add(rule)
      rule.times = 5
      rule.preset = '503'
      expect(gitlab.faults.list()).toMatchObject([{ preset: '502', times: 1 }])
      expect((await api('/projects/1/jobs/8')).status).toBe(502)
      expect((await api('/projects/1/jobs/8')).status).toBe(200)
    })
  })

  test('two fakes share no faults', () => {
    const other: GitLabFake = createGitLabFake({ gitlab: version })
    other.faults.add({ path: JOB, preset: '502' })
    expect(gitlab.faults.list()).toEqual([])
  })
})

// 13.0 only (gitlab-jobs-latest.md §8, "Rack::Attack throttle headers"): today's throttled answer
// also carries RateLimit-Name, -Limit, -Observed, -Remaining, -Reset and -ResetTime, which the
// preset does not send yet; run against 13.0's fake alone.
describe('the rate-limit preset in 13.0', () => {
  const gitlab = useGitLab()

  test('the rate limit as GitLab 13.0 sends it: Retry-After and "Retry later", no RateLimit-* headers', async () => {
    gitlab.faults.failNext({ path: JOB, preset: 'rate-limit', retryAfter: 7 })
    const response = await api('/projects/1/jobs/8')
    expect(response.status).toBe(429)
    expect(Object.fromEntries(response.headers)).toEqual({
      'content-type': 'text/plain',
      'retry-after': '7',
    })
    expect(await response.text()).toBe('Retry later\n')
  })
})

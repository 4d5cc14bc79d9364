import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { describeWithTool, pythonGitlab } from '../support/tools.js'

/**
 * python-gitlab 3.12 (Debian's python3-gitlab) against faults over HTTP: it retries 429 always,
 * waiting `Retry-After` seconds, and 5xx only with `retry_transient_errors=True`
 * (gitlab/client.py, `http_request`).
 */

const script = fileURLToPath(new URL('./clients/python_gitlab_faults.py', import.meta.url))

const python = (url: string, mode: 'transient' | 'plain') => pythonGitlab(script, [url, mode])

describeWithTool('python3-gitlab', 'python-gitlab 3.12 against faults', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await listen({ port: 0, clock: 'manual' })
  })
  afterAll(() => server.close())
  beforeEach(() => {
    server.fake.faults.clear()
    server.fake.journal.clear()
  })

  const JOB = '/api/v4/projects/foo%2Fbar/jobs/8'

  test('fails twice with 502, then succeeds under retry_transient_errors', async () => {
    server.fake.faults.failNext({ method: 'GET', path: JOB, times: 2, preset: '502' })
    expect(await python(server.url, 'transient')).toEqual({ id: 8, status: 'failed' })
    expect(server.fake.journal.filter({ path: JOB }).map((e) => [e.status, e.fault ?? null])).toEqual([
      [502, '502'],
      [502, '502'],
      [200, null],
    ])
  })

  test('without retry_transient_errors a 502 is an error', async () => {
    server.fake.faults.failNext({ method: 'GET', path: JOB, preset: '502' })
    expect(await python(server.url, 'plain')).toEqual({ error: 502 })
    expect(server.fake.journal.count({ path: JOB })).toBe(1)
  })

  test('a 429 with Retry-After: 1 is retried after about a second', async () => {
    server.fake.faults.failNext({ method: 'GET', path: JOB, preset: 'rate-limit', retryAfter: 1 })
    expect(await python(server.url, 'plain')).toEqual({ id: 8, status: 'failed' })
    const [limited, ok] = server.fake.journal.filter({ path: JOB })
    expect([limited?.status, limited?.fault, ok?.status]).toEqual([429, 'rate-limit', 200])
    const gap = Date.parse(ok?.at ?? '') - Date.parse(limited?.at ?? '')
    expect(gap).toBeGreaterThanOrEqual(900)
  })
})

import { Gitlab } from '@gitbeaker/rest'
import { afterEach, describe, expect, test } from 'vitest'
import { BASE, useGitLab } from '../support/gitlab.js'

/** @gitbeaker/rest 43 retries 429 and 502 on its own (rest/Requester.ts, `retryCodes`). */

const gitlab = useGitLab()
afterEach(() => {
  gitlab.faults.clear()
  gitlab.journal.clear()
})

const client = () => new Gitlab({ host: BASE, token: 'maintainer-token' })

describe('@gitbeaker/rest 43 against faults, in-process', () => {
  test.each(['502', 'rate-limit'] as const)(
    'fails twice with %s, then succeeds under its retries',
    async (preset) => {
      gitlab.faults.failNext({ method: 'GET', path: '/api/v4/projects/*/jobs/*', times: 2, preset })
      const job = await client().Jobs.show('foo/bar', 8)
      expect(job.id).toBe(8)
      const calls = gitlab.journal.filter({ path: '/api/v4/projects/foo%2Fbar/jobs/8' })
      expect(calls.map((e) => e.status)).toEqual([
        preset === '502' ? 502 : 429,
        preset === '502' ? 502 : 429,
        200,
      ])
      expect(calls.map((e) => e.fault ?? null)).toEqual([preset, preset, null])
    },
  )

  test('a retried POST changes state once: the faulted attempt changed nothing', async () => {
    gitlab.faults.failNext({ method: 'POST', path: '/api/v4/projects/*/jobs/8/retry', preset: '502' })
    const jobs = gitlab.store.jobs.size
    const retried = await client().Jobs.retry('foo/bar', 8)
    expect(retried.status).toBe('pending')
    expect(gitlab.store.jobs.size).toBe(jobs + 1)
    expect(gitlab.journal.entries.map((e) => [e.status, e.fault ?? null])).toEqual([
      [502, '502'],
      [201, null],
    ])
  })

  test('a 503 is not retried: gitbeaker throws with the status', async () => {
    gitlab.faults.failNext({ path: '/api/v4/projects/*/jobs/*', preset: '503' })
    await expect(client().Jobs.show('foo/bar', 8)).rejects.toMatchObject({
      cause: { response: { status: 503 } },
    })
    expect(gitlab.journal.count({ faulted: true })).toBe(1)
  })

  test("a dropped connection reaches gitbeaker as fetch's TypeError", async () => {
    gitlab.faults.failNext({ path: '/api/v4/projects/*/jobs/*', drop: true })
    await expect(client().Jobs.show('foo/bar', 8)).rejects.toBeInstanceOf(TypeError)
    expect((await client().Jobs.show('foo/bar', 8)).id).toBe(8)
  })
})

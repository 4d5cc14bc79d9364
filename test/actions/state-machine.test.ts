import { describe, expect, test } from 'vitest'
import type { JobInput } from '../../src/index.js'
import { badRequest, byVersion, describeEachVersion, forbidden } from '../support/each-version.js'
import { api, json } from '../support/gitlab.js'
import { seedJob, stored } from '../support/jobs.js'

/**
 * Every 13.0 status × cancel, retry, play and erase, as a Maintainer on an unprotected branch
 * (app/models/commit_status.rb, app/models/ci/build.rb): status, body, and what is stored after, in
 * 13.0 and today (gitlab-jobs-latest.md §6.3; today's own statuses, canceling and
 * waiting_for_callback: test/behaviour/latest-canceling.test.ts).
 */

const NOW = Date.parse('2026-03-01T12:00:00.000Z')
describeEachVersion(
  'the state machine',
  (version, gitlab) => {
    const STATUSES = [
      'created',
      'waiting_for_resource',
      'preparing',
      'pending',
      'running',
      'manual',
      'scheduled',
      'success',
      'failed',
      'canceled',
      'skipped',
    ] as const
    type Status = (typeof STATUSES)[number]
    const CANCELABLE: Status[] = [
      'created',
      'waiting_for_resource',
      'preparing',
      'pending',
      'running',
      'manual',
      'scheduled',
    ]
    const RETRYABLE: Status[] = ['success', 'failed', 'canceled']
    const COMPLETE: Status[] = ['success', 'failed', 'canceled', 'skipped']

    const NOT_RETRYABLE = forbidden(version, 'Job is not retryable')
    const NOT_ERASABLE = forbidden(version, 'Job is not erasable!')
    const UNPLAYABLE = badRequest(version, 'Unplayable Job')

    function job(status: Status, extra: JobInput = {}) {
      const when = status === 'manual' ? 'manual' : status === 'scheduled' ? 'delayed' : undefined
      return seedJob(gitlab, { name: 'rspec', status, trace: 'log\n', ...(when ? { when } : {}), ...extra })
    }

    async function post(id: number, action: string) {
      const response = await api(`/projects/1/jobs/${id}/${action}`, 'maintainer', { method: 'POST' })
      return { status: response.status, body: (await json(response)) as Record<string, unknown> }
    }

    describe('cancel', () => {
      test.each(STATUSES)('%s', async (status) => {
        const before = job(status)
        const { status: code, body } = await post(before.id, 'cancel')
        expect(code).toBe(201)
        expect(body.id).toBe(before.id)
        const after = stored(gitlab, before.id)
        if (CANCELABLE.includes(status)) {
          expect(after).toMatchObject({ status: 'canceled', finished_at: NOW })
          expect(body).toMatchObject({ status: 'canceled', finished_at: new Date(NOW).toISOString() })
        } else {
          // A finished job: the event is not allowed, silently; the endpoint still answers 201.
          expect(after).toEqual(before)
          expect(body.status).toBe(status)
        }
      })
    })

    describe('retry', () => {
      test.each(STATUSES)('%s', async (status) => {
        const before = job(status, { coverage: 55.5 })
        const jobsBefore = gitlab.store.jobs.size
        const { status: code, body } = await post(before.id, 'retry')
        if (!RETRYABLE.includes(status)) {
          expect([code, body]).toEqual([403, NOT_RETRYABLE])
          expect(stored(gitlab, before.id)).toEqual(before)
          expect(gitlab.store.jobs.size).toBe(jobsBefore)
          return
        }
        expect(code).toBe(201)
        const newId = body.id as number
        expect(newId).toBeGreaterThan(before.id)
        expect(body).toMatchObject({
          status: 'pending',
          name: 'rspec',
          stage: before.stage,
          ref: before.ref,
          started_at: null,
          finished_at: null,
          duration: null,
          coverage: null,
          runner: null,
          artifacts: [],
          artifacts_expire_at: null,
          created_at: new Date(NOW).toISOString(),
          user: { username: 'maintainer' },
          pipeline: { id: before.pipeline_id },
        })
        expect('artifacts_file' in body).toBe(false)
        // The old job keeps its status and is marked retried. 13.0 still lists it, in id order; today
        // the pipeline's jobs leave it out unless include_retried=true (gitlab-jobs-latest.md §1 row 14).
        expect(stored(gitlab, before.id)).toEqual({ ...before, retried: true })
        const listed = (await json(await api(`/projects/1/pipelines/${before.pipeline_id}/jobs`))) as {
          id: number
        }[]
        expect(listed.map((j) => j.id)).toEqual(
          byVersion(version, { '13.0': [before.id, newId], latest: [newId] }),
        )
      })

      // gitlab-jobs-latest.md §1 row 5: 13.0's `retryable?` does not ask retried?; today's does.
      test('a job retried already: retried again in 13.0, not retryable today', async () => {
        const before = job('failed')
        expect((await post(before.id, 'retry')).status).toBe(201)
        const again = await post(before.id, 'retry')
        if (version === '13.0') {
          expect(again.status).toBe(201)
          expect(again.body.id).toBe(Math.max(...gitlab.store.jobs.keys()))
        } else {
          expect([again.status, again.body]).toEqual([403, NOT_RETRYABLE])
        }
      })
    })

    describe('play', () => {
      test.each(STATUSES)('%s, when: manual or delayed', async (status) => {
        const when = status === 'scheduled' ? 'delayed' : 'manual'
        const before = job(status, { when })
        const jobsBefore = gitlab.store.jobs.size
        const { status: code, body } = await post(before.id, 'play')
        if (status === 'manual' || status === 'scheduled') {
          expect(code).toBe(200)
          expect(body).toMatchObject({ id: before.id, status: 'pending', user: { username: 'maintainer' } })
          expect(stored(gitlab, before.id)).toMatchObject({ status: 'pending', user_id: 2 })
          expect(gitlab.store.jobs.size).toBe(jobsBefore)
        } else if (RETRYABLE.includes(status)) {
          // A finished action is retried; 13.0 answers the job that was played, today the new job
          // (gitlab-jobs-latest.md §1 row 9).
          expect(code).toBe(200)
          expect(gitlab.store.jobs.size).toBe(jobsBefore + 1)
          const newest = Math.max(...gitlab.store.jobs.keys())
          expect(body).toMatchObject(
            byVersion(version, {
              '13.0': { id: before.id, status },
              latest: { id: newest, status: 'pending', user: { username: 'maintainer' } },
            }),
          )
          const retried = gitlab.store.jobs.get(newest)
          expect(retried).toMatchObject({
            name: 'rspec',
            status: 'pending',
            user_id: 2,
            pipeline_id: before.pipeline_id,
          })
        } else {
          expect([code, body]).toEqual([400, UNPLAYABLE])
          expect(stored(gitlab, before.id)).toEqual(before)
          expect(gitlab.store.jobs.size).toBe(jobsBefore)
        }
      })

      test.each(STATUSES)('%s, when: on_success is never playable', async (status) => {
        const before = job(status, { when: 'on_success' })
        expect(await post(before.id, 'play')).toEqual({ status: 400, body: UNPLAYABLE })
        expect(stored(gitlab, before.id)).toEqual(before)
      })
    })

    describe('erase', () => {
      test.each(STATUSES)('%s, with a log and an archive', async (status) => {
        const before = job(status, {
          artifacts: [{ file_type: 'archive', files: { 'a.txt': 'a' } }, { file_type: 'trace' }],
          artifacts_expire_at: '2027-01-01T00:00:00.000Z',
        })
        const { status: code, body } = await post(before.id, 'erase')
        if (!COMPLETE.includes(status)) {
          expect([code, body]).toEqual([403, NOT_ERASABLE])
          expect(stored(gitlab, before.id)).toEqual(before)
          return
        }
        expect(code).toBe(201)
        expect(body).toMatchObject({ id: before.id, status, artifacts: [], artifacts_expire_at: null })
        expect('artifacts_file' in body).toBe(false)
        // 13.0 does not expose erased_at, it is stored; today it is shown (gitlab-jobs-latest.md §1 row 17).
        if (version === '13.0') expect('erased_at' in body).toBe(false)
        else expect(body.erased_at).toBe(new Date(NOW).toISOString())
        expect(stored(gitlab, before.id)).toMatchObject({
          status,
          artifacts: [],
          trace: null,
          erased_at: NOW,
          erased_by_id: 2,
          artifacts_expire_at: null,
        })
        const trace = await api(`/projects/1/jobs/${before.id}/trace`)
        expect([trace.status, await trace.text()]).toEqual([200, ''])
        expect((await api(`/projects/1/jobs/${before.id}/artifacts`)).status).toBe(404)
      })

      test.each(COMPLETE)('%s with no log and no artifacts is not erasable', async (status) => {
        const before = job(status, { trace: null, artifacts: [] })
        expect(await post(before.id, 'erase')).toEqual({ status: 403, body: NOT_ERASABLE })
        expect(stored(gitlab, before.id)).toEqual(before)
      })
    })

    describe('the pipeline follows its jobs', () => {
      test('cancelling the last running job of a pipeline cancels it; retrying runs it again', async () => {
        const { pipeline, jobs } = gitlab.seed.pipeline({
          project: 1,
          ref: 'feature/p',
          jobs: [
            { name: 'a', status: 'success' },
            { name: 'b', status: 'running' },
          ],
        })
        expect(pipeline.status).toBe('running')
        await post(jobs[1]?.id as number, 'cancel')
        expect(gitlab.store.pipelines.get(pipeline.id)?.status).toBe('canceled')
        await post(jobs[1]?.id as number, 'retry')
        expect(gitlab.store.pipelines.get(pipeline.id)).toMatchObject({ status: 'running', updated_at: NOW })
      })
    })
  },
  { now: () => NOW },
)

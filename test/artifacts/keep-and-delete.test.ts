import { describe, expect, test } from 'vitest'
import { describeEachVersion } from '../support/each-version.js'
import { api, json } from '../support/gitlab.js'
import { seedJob, stored } from '../support/jobs.js'

const NOW = Date.parse('2026-03-01T12:00:00.000Z')
let clock = NOW
describeEachVersion(
  'keep and delete artifacts',
  (version, gitlab) => {
    const WITH_ARCHIVE = {
      status: 'success' as const,
      trace: 'build ok\n',
      artifacts: [
        { file_type: 'archive', files: { 'dist/a.js': 'a' } },
        { file_type: 'metadata' },
        { file_type: 'trace' },
        { file_type: 'junit' },
      ],
      artifacts_expire_at: '2026-04-01T00:00:00.000Z',
    }

    describe('POST /projects/:id/jobs/:job_id/artifacts/keep', () => {
      test('200 with the job; the artifacts no longer expire', async () => {
        const job = seedJob(gitlab, WITH_ARCHIVE)
        const response = await api(`/projects/1/jobs/${job.id}/artifacts/keep`, 'developer', {
          method: 'POST',
        })
        expect(response.status).toBe(200)
        const body = (await json(response)) as Record<string, unknown>
        expect(body).toMatchObject({ id: job.id, artifacts_expire_at: null })
        expect(body.artifacts_file).toMatchObject({ filename: 'artifacts.zip' })
        expect(stored(gitlab, job.id)?.artifacts_expire_at).toBeNull()
        // Kept artifacts outlive their old expiry; others do not.
        const other = seedJob(gitlab, WITH_ARCHIVE)
        clock = Date.parse('2026-05-01T00:00:00.000Z')
        try {
          expect((await api(`/projects/1/jobs/${job.id}/artifacts/dist/a.js`)).status).toBe(200)
          expect((await api(`/projects/1/jobs/${other.id}/artifacts/dist/a.js`)).status).toBe(404)
        } finally {
          clock = NOW
        }
      })

      test.each([
        ['no archive', { status: 'success' as const, artifacts: [{ file_type: 'trace' }] }],
        ['an expired archive', { ...WITH_ARCHIVE, artifacts_expire_at: '2026-02-01T00:00:00.000Z' }],
      ])('%s: 404, nothing changes', async (_, input) => {
        const job = seedJob(gitlab, input)
        const before = gitlab.store.snapshot()
        const response = await api(`/projects/1/jobs/${job.id}/artifacts/keep`, 'maintainer', {
          method: 'POST',
        })
        expect(response.status).toBe(404)
        const { message } = (await json(response)) as { message: string }
        // `not_found!(build)` puts the Ruby object's to_s in the message.
        expect(message).toMatch(/^404 #<Ci::Build:0x[0-9a-f]{16}> Not Found$/)
        expect(gitlab.store.snapshot()).toEqual(before)
      })

      test('anonymous: 401 (authenticate_non_get!)', async () => {
        const response = await api('/projects/2/jobs/20/artifacts/keep', 'none', { method: 'POST' })
        expect([response.status, await json(response)]).toEqual([401, { message: '401 Unauthorized' }])
      })
    })

    describe('DELETE /projects/:id/jobs/:job_id/artifacts', () => {
      test('204 with no body; every artifact but the trace goes, and the log stays', async () => {
        const job = seedJob(gitlab, WITH_ARCHIVE)
        const response = await api(`/projects/1/jobs/${job.id}/artifacts`, 'maintainer', { method: 'DELETE' })
        expect(response.status).toBe(204)
        expect(await response.text()).toBe('')
        const after = stored(gitlab, job.id)
        expect(after?.artifacts.map((a) => a.file_type)).toEqual(['trace'])
        expect(after?.trace).toBe('build ok\n')
        expect(after?.artifacts_expire_at).toBe(job.artifacts_expire_at)
        expect(await (await api(`/projects/1/jobs/${job.id}/trace`)).text()).toBe('build ok\n')
        const download = await api(`/projects/1/jobs/${job.id}/artifacts`)
        expect([download.status, await json(download)]).toEqual([404, { message: '404 Not Found' }])
        const entity = (await json(await api(`/projects/1/jobs/${job.id}`))) as Record<string, unknown>
        expect('artifacts_file' in entity).toBe(false)
      })

      test('a job with no artifacts: 204 all the same', async () => {
        const job = seedJob(gitlab, { status: 'failed', trace: null, artifacts: [] })
        expect(
          (await api(`/projects/1/jobs/${job.id}/artifacts`, 'maintainer', { method: 'DELETE' })).status,
        ).toBe(204)
      })

      test('an unknown job: 404 Not found', async () => {
        const response = await api('/projects/1/jobs/9999/artifacts', 'maintainer', { method: 'DELETE' })
        expect([response.status, await json(response)]).toEqual([404, { message: '404 Not found' }])
      })

      test('gitbeaker-style bodies are tolerated: {} as JSON on DELETE and POST', async () => {
        const job = seedJob(gitlab, WITH_ARCHIVE)
        const init = { headers: { 'Content-Type': 'application/json' }, body: '{}' }
        expect(
          (await api(`/projects/1/jobs/${job.id}/artifacts/keep`, 'maintainer', { method: 'POST', ...init }))
            .status,
        ).toBe(200)
        expect(
          (await api(`/projects/1/jobs/${job.id}/artifacts`, 'maintainer', { method: 'DELETE', ...init }))
            .status,
        ).toBe(204)
      })
    })

    describe('concurrent actions on one job', () => {
      // As if one after another: in 13.0 each retry succeeds (`retryable?` does not ask retried?);
      // today the first one only, the others find the job retried (gitlab-jobs-latest.md §1 row 5).
      test('50 parallel retries of one failed job: as if one after another', async () => {
        const job = seedJob(gitlab, { name: 'flaky', status: 'failed' })
        const before = gitlab.store.jobs.size
        const responses = await Promise.all(
          Array.from({ length: 50 }, () =>
            api(`/projects/1/jobs/${job.id}/retry`, 'maintainer', { method: 'POST' }),
          ),
        )
        if (version === 'latest') {
          expect(responses.map((r) => r.status)).toEqual([201, ...Array(49).fill(403)])
          const refused = await Promise.all(responses.slice(1).map((r) => json(r)))
          expect(new Set(refused.map((b) => JSON.stringify(b)))).toEqual(
            new Set([JSON.stringify({ message: '403 Forbidden - Job is not retryable' })]),
          )
          const clone = ((await json(responses[0] as Response)) as { id: number }).id
          expect(gitlab.store.jobs.size).toBe(before + 1)
          expect(
            gitlab.store
              .jobsOfPipeline(job.pipeline_id)
              .list()
              .filter((j) => !j.retried)
              .map((j) => j.id),
          ).toEqual([clone])
          return
        }
        expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201))
        const ids = await Promise.all(responses.map(async (r) => ((await json(r)) as { id: number }).id))
        expect(new Set(ids).size).toBe(50)
        expect(gitlab.store.jobs.size).toBe(before + 50)
        const flaky = gitlab.store.jobsOfPipeline(job.pipeline_id).list()
        // Each retry marks the latest job of that name retried: exactly one is left latest, the newest.
        expect(flaky.filter((j) => !j.retried).map((j) => j.id)).toEqual([Math.max(...ids)])
        expect(stored(gitlab, job.id)).toMatchObject({ status: 'failed', retried: true })
      })

      test('20 parallel cancels and retries of a running job end in a state one sequential order gives', async () => {
        const job = seedJob(gitlab, { name: 'long', status: 'running' })
        const before = gitlab.store.jobs.size
        const actions = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'cancel' : 'retry'))
        const responses = await Promise.all(
          actions.map((action) =>
            api(`/projects/1/jobs/${job.id}/${action}`, 'maintainer', { method: 'POST' }),
          ),
        )
        const outcomes = await Promise.all(
          responses.map(async (r, i) => [actions[i], r.status, await json(r)] as const),
        )
        // Cancels always answer 201; a retry is refused while the job still runs, and accepted once canceled.
        for (const [action, status] of outcomes)
          expect(action === 'cancel' ? [201] : [201, 403]).toContain(status)
        const retried = outcomes.filter(([action, status]) => action === 'retry' && status === 201).length
        // Today a retried job is not retried again (gitlab-jobs-latest.md §1 row 5).
        if (version === 'latest') expect(retried).toBeLessThanOrEqual(1)
        expect(stored(gitlab, job.id)).toMatchObject({
          status: 'canceled',
          finished_at: NOW,
          retried: retried > 0,
        })
        expect(gitlab.store.jobs.size).toBe(before + retried)
        expect(
          gitlab.store
            .jobsOfPipeline(job.pipeline_id)
            .list()
            .filter((j) => !j.retried),
        ).toHaveLength(1)
      })
    })
  },
  { now: () => clock },
)

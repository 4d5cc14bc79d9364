import JSZip from 'jszip'
import { describe, expect, test } from 'vitest'
import { createGitLabFake, type JobRecord } from '../../src/index.js'
import { describeEachVersion, forbidden } from '../support/each-version.js'
import { api, json } from '../support/gitlab.js'
import { seedJob, stored } from '../support/jobs.js'

/**
 * Artifact expiry as GitLab has it, in 13.0 and today alike, in two moments: once `artifacts_expire_at` has passed,
 * `Ci::Build#artifacts?` is false (no `artifacts_file`, the single file by id and keep answer 404)
 * while the rows stay and the archive still downloads; then ExpireBuildArtifactsWorker's next run
 * (minute 50 of every hour) destroys the expired rows, all but the trace.
 */

const START = '2030-01-01T10:00:00.000Z'
const EXPIRES = '2030-01-01T12:00:00.000Z'
const BEFORE_RUN = '2030-01-01T12:49:59.999Z'
const RUN = '2030-01-01T12:50:00.000Z'

describeEachVersion(
  'expiry',
  (version, gitlab) => {
    const REF = 'expiring'
    const ARCHIVE = { file_type: 'archive', files: { 'dist/app.js': 'console.log(1)\n' } }
    const EXPIRING = {
      name: 'build',
      status: 'success' as const,
      trace: 'built\n',
      artifacts: [ARCHIVE, { file_type: 'metadata' }, { file_type: 'trace' }, { file_type: 'junit' }],
      artifacts_expire_at: EXPIRES,
    }

    const NOT_FOUND = { message: '404 Not Found' }
    const NOT_FOUND_RECORD = { message: '404 Not found' }

    const seed = (job: Partial<typeof EXPIRING> = {}): JobRecord =>
      seedJob(gitlab, { ...EXPIRING, ...job }, REF)
    const get = (path: string) => api(path, 'maintainer')
    const post = (path: string) => api(path, 'maintainer', { method: 'POST' })
    const entity = async (id: number) =>
      (await json(await get(`/projects/1/jobs/${id}`))) as Record<string, unknown>
    const fileTypes = (job: Record<string, unknown>) =>
      (job.artifacts as { file_type: string }[]).map((a) => a.file_type)

    /** What each read endpoint answers for the job: status, and the body where it is JSON. */
    async function reads(id: number): Promise<Record<string, unknown>> {
      const out: Record<string, unknown> = {}
      for (const [name, path] of [
        ['download by id', `/projects/1/jobs/${id}/artifacts`],
        ['download by ref', `/projects/1/jobs/artifacts/${REF}/download?job=build`],
        ['file by id', `/projects/1/jobs/${id}/artifacts/dist/app.js`],
        ['file by ref', `/projects/1/jobs/artifacts/${REF}/raw/dist/app.js?job=build`],
      ] as const) {
        const response = await get(path)
        const type = response.headers.get('content-type') ?? ''
        out[name] = type.includes('json') ? [response.status, await json(response)] : response.status
      }
      return out
    }

    describe('the two moments of an expiring archive', () => {
      test('before artifacts_expire_at: everything is there', async () => {
        const job = seed()
        const body = await entity(job.id)
        expect(body.artifacts_file).toEqual({ filename: 'artifacts.zip', size: job.artifacts[0]?.size })
        expect(fileTypes(body)).toEqual(['archive', 'metadata', 'trace', 'junit'])
        expect(body.artifacts_expire_at).toBe(EXPIRES)
        expect(await reads(job.id)).toEqual({
          'download by id': 200,
          'download by ref': 200,
          'file by id': 200,
          'file by ref': 200,
        })
      })

      test('expired, before the worker ran: artifacts? is false, yet the rows are listed and the archive downloads', async () => {
        const job = seed()
        gitlab.clock.set(BEFORE_RUN)
        const body = await entity(job.id)
        expect('artifacts_file' in body).toBe(false)
        expect(fileTypes(body)).toEqual(['archive', 'metadata', 'trace', 'junit'])
        expect(body.artifacts_expire_at).toBe(EXPIRES)
        expect(await reads(job.id)).toEqual({
          // present_carrierwave_file!(build.artifacts_file): no expiry check
          'download by id': 200,
          // latest_successful_build_for_ref!: builds.latest.with_artifacts_archive
          'download by ref': 200,
          // not_found! unless build.artifacts?
          'file by id': [404, NOT_FOUND],
          // the by-ref raw route does not ask artifacts?
          'file by ref': 200,
        })
        const zip = await JSZip.loadAsync(
          await (await get(`/projects/1/jobs/${job.id}/artifacts`)).arrayBuffer(),
        )
        expect(Object.keys(zip.files)).toContain('dist/app.js')
      })

      test('after the worker ran: the expired rows are gone, the trace and artifacts_expire_at stay', async () => {
        const job = seed()
        gitlab.clock.set(RUN)
        const body = await entity(job.id)
        expect('artifacts_file' in body).toBe(false)
        expect(fileTypes(body)).toEqual(['trace'])
        expect(body.artifacts_expire_at).toBe(EXPIRES)
        expect(await reads(job.id)).toEqual({
          'download by id': [404, NOT_FOUND],
          'download by ref': [404, NOT_FOUND_RECORD],
          'file by id': [404, NOT_FOUND],
          'file by ref': [404, NOT_FOUND_RECORD],
        })
        expect(await (await get(`/projects/1/jobs/${job.id}/trace`)).text()).toBe('built\n')
      })

      test('the worker runs at minute 50 of each hour, for what expired before it', async () => {
        const job = seed()
        const rows = () => stored(gitlab, job.id)?.artifacts.length
        gitlab.clock.set('2030-01-01T11:50:00.000Z')
        expect(rows()).toBe(4)
        gitlab.clock.set(BEFORE_RUN)
        expect(rows()).toBe(4)
        gitlab.clock.advance(1)
        expect(rows()).toBe(1)
        expect(gitlab.artifacts.nextRun()).toBe(Date.parse('2030-01-01T13:50:00.000Z'))
      })

      test('expire_at is compared strictly: rows expiring at the run itself go at the next one', async () => {
        const job = seed({ artifacts_expire_at: RUN })
        gitlab.clock.set(RUN)
        expect(stored(gitlab, job.id)?.artifacts.length).toBe(4)
        gitlab.clock.set('2030-01-01T13:50:00.000Z')
        expect(stored(gitlab, job.id)?.artifacts.length).toBe(1)
      })

      test('a long move runs what is due, at each run, and skips the empty hours', async () => {
        const jobs = [
          seed({ artifacts_expire_at: '2030-01-02T00:00:00.000Z' }),
          seed({ artifacts_expire_at: '2031-06-01T00:00:00.000Z' }),
          seed({ artifacts_expire_at: '2130-01-01T00:00:00.000Z' }),
          seed({ artifacts_expire_at: undefined }),
        ]
        const started = performance.now()
        gitlab.clock.advance('36500 days')
        expect(performance.now() - started).toBeLessThan(250)
        expect(jobs.map((j) => stored(gitlab, j.id)?.artifacts.map((a) => a.file_type))).toEqual([
          ['trace'],
          ['trace'],
          ['archive', 'metadata', 'trace', 'junit'],
          ['archive', 'metadata', 'trace', 'junit'],
        ])
      })

      test('the trace alone never expires, nor do artifacts without artifacts_expire_at', async () => {
        const trace = seed({ artifacts: [{ file_type: 'trace' }] })
        const never = seed({ artifacts_expire_at: undefined })
        gitlab.clock.advance('400 days')
        expect(gitlab.artifacts.expire()).toBe(0)
        expect(stored(gitlab, trace.id)?.artifacts.map((a) => a.file_type)).toEqual(['trace'])
        expect(stored(gitlab, never.id)?.artifacts).toHaveLength(4)
      })
    })

    describe('actions on both sides of the expiry and of the worker', () => {
      test('keep: 200 before the expiry, and then the worker leaves the artifacts', async () => {
        const job = seed()
        const response = await post(`/projects/1/jobs/${job.id}/artifacts/keep`)
        expect(response.status).toBe(200)
        expect(await json(response)).toMatchObject({
          artifacts_expire_at: null,
          artifacts_file: { filename: 'artifacts.zip' },
        })
        gitlab.clock.advance('30 days')
        const body = await entity(job.id)
        expect(fileTypes(body)).toEqual(['archive', 'metadata', 'trace', 'junit'])
        expect(body.artifacts_file).toMatchObject({ filename: 'artifacts.zip' })
      })

      test.each([
        ['expired, before the worker ran', BEFORE_RUN],
        ['after the worker ran', RUN],
      ])('keep %s: 404 naming the build, and nothing changes', async (_, at) => {
        const job = seed()
        gitlab.clock.set(at)
        const before = stored(gitlab, job.id)
        const response = await post(`/projects/1/jobs/${job.id}/artifacts/keep`)
        expect(response.status).toBe(404)
        expect(((await json(response)) as { message: string }).message).toMatch(
          /^404 #<Ci::Build:0x[0-9a-f]{16}> Not Found$/,
        )
        expect(stored(gitlab, job.id)).toEqual(before)
      })

      test.each([
        ['before the expiry', START, ['archive', 'metadata', 'trace', 'junit']],
        ['expired, before the worker ran', BEFORE_RUN, ['archive', 'metadata', 'trace', 'junit']],
        ['after the worker ran', RUN, ['trace']],
      ])('erase %s: 201, every row and the log go', async (_, at, rows) => {
        const job = seed()
        gitlab.clock.set(at)
        expect(stored(gitlab, job.id)?.artifacts.map((a) => a.file_type)).toEqual(rows)
        const response = await post(`/projects/1/jobs/${job.id}/erase`)
        expect(response.status).toBe(201)
        expect(await json(response)).toMatchObject({ artifacts: [], artifacts_expire_at: null })
        expect('artifacts_file' in ((await json(await get(`/projects/1/jobs/${job.id}`))) as object)).toBe(
          false,
        )
      })

      test('erase after the worker ran, of a job without a log: nothing is left to erase, 403', async () => {
        const job = seed({ trace: null as never, artifacts: [ARCHIVE, { file_type: 'metadata' }] })
        gitlab.clock.set(BEFORE_RUN)
        expect((await entity(job.id)).artifacts).toHaveLength(2)
        gitlab.clock.set(RUN)
        const before = stored(gitlab, job.id)
        expect(before?.artifacts).toEqual([])
        const response = await post(`/projects/1/jobs/${job.id}/erase`)
        expect([response.status, await json(response)]).toEqual([
          403,
          forbidden(version, 'Job is not erasable!'),
        ])
        expect(stored(gitlab, job.id)).toEqual(before)
      })

      test.each([
        ['before the expiry', START],
        ['expired, before the worker ran', BEFORE_RUN],
        ['after the worker ran', RUN],
      ])('DELETE artifacts %s: 204, the trace stays', async (_, at) => {
        const job = seed()
        gitlab.clock.set(at)
        const response = await api(`/projects/1/jobs/${job.id}/artifacts`, 'maintainer', { method: 'DELETE' })
        expect([response.status, await response.text()]).toEqual([204, ''])
        expect(fileTypes(await entity(job.id))).toEqual(['trace'])
        expect((await get(`/projects/1/jobs/${job.id}/artifacts`)).status).toBe(404)
      })
    })

    describe('the worker on demand', () => {
      test('gitlab.artifacts.expire() runs it now: nothing before the expiry, the expired rows after', async () => {
        const job = seed()
        // The default dataset's job 7 expired in 2016: its archive, metadata and junit rows go.
        expect(gitlab.artifacts.expire()).toBe(3)
        expect(fileTypes(await entity(7))).toEqual(['trace'])
        expect(stored(gitlab, job.id)?.artifacts).toHaveLength(4)
        expect(gitlab.artifacts.expire()).toBe(0)
        gitlab.clock.set('2030-01-01T12:00:00.001Z')
        expect(stored(gitlab, job.id)?.artifacts).toHaveLength(4)
        expect(gitlab.artifacts.expire()).toBe(3)
        expect(fileTypes(await entity(job.id))).toEqual(['trace'])
        expect(gitlab.artifacts.expire()).toBe(0)
      })

      test('a clock that moves without telling (a function): the due runs happen before the next request', async () => {
        let time = Date.parse(START)
        const fake = createGitLabFake({ now: () => time })
        const { jobs } = fake.seed.pipeline({ project: 1, ref: REF, jobs: [EXPIRING] })
        const id = (jobs[0] as JobRecord).id
        time = Date.parse(RUN)
        expect(fake.store.jobs.get(id)?.artifacts).toHaveLength(4)
        const response = await fake.handle(
          new Request(`${fake.apiUrl}/projects/1/jobs/${id}`, {
            headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
          }),
        )
        expect(fileTypes((await response?.json()) as Record<string, unknown>)).toEqual(['trace'])
      })
    })

    describe('reset()', () => {
      test('puts back what the worker destroyed, exactly, and the worker runs again as before', async () => {
        const job = seed()
        gitlab.commitInitial()
        const snapshot = gitlab.store.snapshot()
        const state = JSON.stringify(gitlab.state())
        gitlab.clock.set(RUN)
        expect(gitlab.artifacts.expire()).toBe(0)
        expect(stored(gitlab, job.id)?.artifacts).toHaveLength(1)

        gitlab.reset()
        expect(gitlab.clock.now()).toBe(Date.parse(START))
        expect(gitlab.store.snapshot()).toEqual(snapshot)
        expect(JSON.stringify(gitlab.state())).toBe(state)
        expect(await reads(job.id)).toMatchObject({ 'download by id': 200, 'file by id': 200 })

        gitlab.clock.set(BEFORE_RUN)
        expect(stored(gitlab, job.id)?.artifacts).toHaveLength(4)
        gitlab.clock.set(RUN)
        expect(stored(gitlab, job.id)?.artifacts).toHaveLength(1)
        gitlab.reset()
        expect(gitlab.store.snapshot()).toEqual(snapshot)
      })

      test('after an on-demand run, a keep and a delete, too', async () => {
        const kept = seed()
        const deleted = seed()
        const expired = seed()
        gitlab.commitInitial()
        const snapshot = gitlab.store.snapshot()
        await post(`/projects/1/jobs/${kept.id}/artifacts/keep`)
        await api(`/projects/1/jobs/${deleted.id}/artifacts`, 'maintainer', { method: 'DELETE' })
        gitlab.clock.set(BEFORE_RUN)
        // `expired`'s archive, metadata and junit, and those of the default dataset's job 7.
        expect(gitlab.artifacts.expire()).toBe(6)
        expect([kept, deleted, expired].map((j) => stored(gitlab, j.id)?.artifacts.length)).toEqual([4, 1, 1])
        gitlab.reset()
        expect(gitlab.store.snapshot()).toEqual(snapshot)
        gitlab.clock.set(RUN)
        expect([kept, deleted, expired].map((j) => stored(gitlab, j.id)?.artifacts.length)).toEqual([1, 1, 1])
      })
    })

    describe('the default dataset', () => {
      test('job 7 (expired 2016-01-23) at creation: the worker has not run yet; its first run destroys the rows', async () => {
        const fake = createGitLabFake({ now: '2026-03-01T12:00:00.000Z' })
        const job7 = () =>
          fake
            .handle(
              new Request(`${fake.apiUrl}/projects/1/jobs/7`, {
                headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
              }),
            )
            .then(async (r) => (await r?.json()) as Record<string, unknown>)
        const before = await job7()
        expect(['artifacts_file' in before, fileTypes(before)]).toEqual([
          false,
          ['archive', 'metadata', 'trace', 'junit'],
        ])
        fake.clock.set('2026-03-01T12:50:00.000Z')
        const after = await job7()
        expect([fileTypes(after), after.artifacts_expire_at]).toEqual([['trace'], '2016-01-23T17:54:27.895Z'])
      })
    })
  },
  { now: START },
)

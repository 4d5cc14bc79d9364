import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ClockError, createGitLabFake, FixtureError, RunnerError } from '../../src/index.js'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'

/** The runner, the clock and reset() at their edges. */

forEachVersion('runner edges', (version) => {
  const START = '2020-06-01T00:00:00.000Z'
  const RUNS = { pipelines: [{ project: 'foo/bar', jobs: [{ name: 'compile-once', run: true }] }] }

  const status = (fake: ReturnType<typeof createGitLabFake>, name: string) =>
    [...fake.store.jobs.values()].find((j) => j.name === name)?.status

  describe('reset() after commitInitial()', () => {
    test('undoes what ran after the commit, for jobs changed before it too', () => {
      const fake = createGitLabFake({ gitlab: version, seed: 1, now: START })
      fake.load(RUNS) // the runner enqueues the job: a change before the commit
      fake.commitInitial()
      fake.clock.advance('1m')
      expect(status(fake, 'compile-once')).toBe('success')
      fake.reset()
      expect(status(fake, 'compile-once')).toBe('pending')
      fake.clock.advance('1m')
      expect(status(fake, 'compile-once')).toBe('success')
    })
  })

  describe('a real clock', () => {
    test('reset() takes it back to where it stood, so the jobs it brings back have not run', async () => {
      const fake = createGitLabFake({ gitlab: version, seed: 1, clock: 'real', fixtures: [RUNS] })
      const startedAt = fake.clock.now()
      await new Promise((resolve) => setTimeout(resolve, 30))
      fake.clock.advance('1m')
      fake.runner.sync()
      expect(status(fake, 'compile-once')).toBe('success')
      fake.reset()
      expect(fake.clock.now() - startedAt).toBeLessThan(30)
      fake.runner.sync()
      expect(status(fake, 'compile-once')).toBe('pending')
    })
  })

  describe('durations and instants', () => {
    const fake = createGitLabFake({ gitlab: version, seed: 1, now: START })

    test.each(['1 constructor', '2 toString', '1 __proto__', '101 years', '1e400s'])(
      'the duration %j is refused, not NaN',
      (text) => {
        expect(() => fake.clock.advance(text)).toThrow(ClockError)
        const error = (() => {
          try {
            fake.load({
              pipelines: [{ project: 'foo/bar', jobs: [{ when: 'delayed', start_in: text, run: true }] }],
            })
          } catch (e) {
            return e
          }
        })()
        expect(error).toBeInstanceOf(FixtureError)
      },
    )

    test('the clock stays within the dates there are', () => {
      const before = fake.clock.now()
      expect(() => fake.clock.set(1e20)).toThrow(ClockError)
      expect(() => fake.clock.advance(1e16)).toThrow(ClockError)
      expect(() => fake.clock.set(8.64e15)).not.toThrow()
      expect(() => fake.clock.advance('1s')).toThrow(ClockError)
      expect(new Date(fake.clock.now()).toISOString()).toBe('+275760-09-13T00:00:00.000Z')
      expect(before).toBeLessThan(fake.clock.now())
    })

    test('a finish expiring "1 constructor" or 1e300 ms later is refused, and nothing changes', () => {
      const other = createGitLabFake({ gitlab: version, seed: 1, now: START })
      const { jobs } = other.seed.pipeline({
        project: 'foo/bar',
        jobs: [{ status: 'running', run: { progress: 'manual' } }],
      })
      const id = jobs[0]?.id as number
      const before = JSON.stringify(other.state())
      expect(() => other.runner.finish(id, { status: 'success', expire_in: '1 constructor' })).toThrow(
        RunnerError,
      )
      expect(() => other.runner.finish(id, { status: 'success', expire_in: 1e300 })).toThrow(RunnerError)
      expect(JSON.stringify(other.state())).toBe(before)
    })
  })

  describe('determinism under a seed', () => {
    test('after reset(), the same seeding gives the same values, whatever ran before', () => {
      const fake = createGitLabFake({ gitlab: version, seed: 1, now: START })
      const first = fake.seed.job({ pipeline: 6 })
      fake.seed.pipeline({ project: 'foo/bar', jobs: [{}, {}, {}] })
      fake.reset()
      const again = fake.seed.job({ pipeline: 6 })
      expect(again).toEqual(first)
    })

    test('a retried job gets the same token in two runs with the same seed', async () => {
      const run = async () => {
        const fake = createGitLabFake({ gitlab: version, seed: 5, now: START })
        await fake.handle(
          new Request(`${fake.apiUrl}/projects/1/jobs/8/retry`, {
            method: 'POST',
            headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
          }),
        )
        return JSON.stringify(fake.state())
      }
      expect(await run()).toBe(await run())
    })
  })

  describe('GitLab 13.0 details', () => {
    test('a scheduled job loses scheduled_at when it is enqueued, played or canceled', async () => {
      const fake = createGitLabFake({ gitlab: version, seed: 1, now: START })
      const { jobs } = fake.seed.pipeline({
        project: 'foo/bar',
        jobs: [
          { name: 'later', when: 'delayed', start_in: '5m', run: true },
          { name: 'played', when: 'delayed', start_in: '5m', run: true },
          { name: 'canceled', when: 'delayed', start_in: '5m', run: true },
        ],
      })
      const [later, played, canceled] = jobs.map((j) => fake.store.jobs.get(j.id))
      expect(later?.scheduled_at).toBe(Date.parse(START) + 300_000)
      const act = (id: number, action: string) =>
        fake.handle(
          new Request(`${fake.apiUrl}/projects/1/jobs/${id}/${action}`, {
            method: 'POST',
            headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
          }),
        )
      expect((await act(played?.id as number, 'play'))?.status).toBe(200)
      expect((await act(canceled?.id as number, 'cancel'))?.status).toBe(201)
      fake.clock.advance('5m')
      expect([later, played, canceled].map((j) => [j?.status, j?.scheduled_at])).toEqual([
        ['pending', null],
        // played at once, it has run since
        ['success', null],
        ['canceled', null],
      ])
    })

    test('uploads without expire_in expire after GitLab’s default 30 days; "never" means no expiry', () => {
      const fake = createGitLabFake({ gitlab: version, seed: 1, now: START })
      const upload = [{ file_type: 'archive', files: { 'a.txt': 'a\n' } }]
      const { jobs } = fake.seed.pipeline({
        project: 'foo/bar',
        jobs: [
          { name: 'default', run: { artifacts: upload } },
          { name: 'never', stage: 'test', run: { artifacts: upload, expire_in: 'never' } },
        ],
      })
      fake.clock.advance('1h')
      const [byDefault, never] = jobs.map((j) => fake.store.jobs.get(j.id))
      expect((byDefault?.artifacts_expire_at as number) - (byDefault?.finished_at as number)).toBe(
        30 * 86_400_000,
      )
      expect(never?.status).toBe('success')
      expect(never?.artifacts_expire_at).toBeNull()
    })

    test('a plan naming a runner that does not exist is refused; log lines given out of order are written in order', () => {
      const fake = createGitLabFake({ gitlab: version, seed: 1, now: START })
      expect(() => fake.seed.pipeline({ project: 'foo/bar', jobs: [{ run: { runner: 999 } }] })).toThrow(
        /pipeline\.jobs\[0\]\.run\.runner: no runner 999/,
      )
      const { jobs } = fake.seed.pipeline({
        project: 'foo/bar',
        jobs: [
          { run: { duration: '10s', log: ['zero', { at: '8s', text: 'three' }, { at: '1s', text: 'one' }] } },
        ],
      })
      fake.clock.advance('1m')
      expect(fake.store.jobs.get(jobs[0]?.id as number)?.trace).toBe('zero\none\nthree\nJob succeeded\n')
    })

    test('a journal filter with a global RegExp counts the same every time', async () => {
      const fake = createGitLabFake({ gitlab: version, seed: 1, now: START })
      for (let i = 0; i < 2; i++)
        await fake.handle(
          new Request(`${fake.apiUrl}/projects/1/jobs`, { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } }),
        )
      const pattern = /jobs/g
      expect([fake.journal.count({ path: pattern }), fake.journal.count({ path: pattern })]).toEqual([2, 2])
    })
  })

  describe('the control API reads a body as data, never as an answer', () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await listen({ gitlab: version, port: 0, clock: 'manual', now: START })
    })
    afterAll(() => server.close())

    test.each([
      ['/clock', { status: 302, headers: { Location: 'https://example.com' }, body: '' }, 'status'],
      ['/runner/jobs/8/finish', { status: 'success', headers: {}, body: '' }, 'headers'],
    ])('POST %s %j: 400 naming %s', async (path, body, field) => {
      const response = await fetch(`${server.url}/__fake${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'manual',
      })
      expect([response.status, ((await response.json()) as { field: string }).field]).toEqual([400, field])
    })
  })
})

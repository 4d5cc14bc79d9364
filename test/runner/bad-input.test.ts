import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ClockError, createGitLabFake, FixtureError, RunnerError } from '../../src/index.js'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'
import { refusal } from '../support/refusal.js'

/** The clock and the runner refuse what they cannot do, naming the field, and change nothing. */

forEachVersion('bad input', (version) => {
  const START = '2020-06-01T00:00:00.000Z'

  /** The support's refusal, the kind first, as these tests read best. */
  const refusalOf = <E extends Error>(kind: new (...args: never[]) => E, run: () => unknown): E =>
    refusal(run, kind)

  describe('in-process', () => {
    const gitlab = createGitLabFake({ gitlab: version, seed: 2, now: START })

    test('the clock only moves forward, by a duration', () => {
      const before = gitlab.clock.now()
      expect(refusalOf(ClockError, () => gitlab.clock.set('2015-12-24T18:00:00Z')).field).toBe('now')
      expect(refusalOf(ClockError, () => gitlab.clock.set('soon')).field).toBe('now')
      for (const bad of ['-5s', 'soon', '5 fortnights', '', -1, Number.NaN]) {
        expect(refusalOf(ClockError, () => gitlab.clock.advance(bad)).field).toBe('advance')
      }
      expect(gitlab.clock.now()).toBe(before)
    })

    test('an unknown progress mode, as an option or in a fixture', () => {
      expect(
        refusalOf(RunnerError, () =>
          createGitLabFake({ gitlab: version, runner: { progress: 'sometimes' as never } }),
        ).field,
      ).toBe('progress')
      expect(
        refusalOf(RunnerError, () => createGitLabFake({ gitlab: version, runner: { reads: 0 } })).field,
      ).toBe('reads')
      const error = refusalOf(FixtureError, () =>
        gitlab.load({ pipelines: [{ project: 'foo/bar', jobs: [{ run: { progress: 'sometimes' } }] }] }),
      )
      expect(error.issues[0]?.path).toBe('pipelines[0].jobs[0].run.progress')
      const duration = refusalOf(FixtureError, () =>
        gitlab.load({ pipelines: [{ project: 'foo/bar', jobs: [{ run: { duration: 'a while' } }] }] }),
      )
      expect(duration.issues[0]?.path).toBe('pipelines[0].jobs[0].run.duration')
    })

    test('driving a job that does not exist, or is not where the step needs it', () => {
      const before = JSON.stringify(gitlab.state())
      expect(refusalOf(RunnerError, () => gitlab.runner.start(9999)).field).toBe('job')
      // Job 8 of the dataset has failed: no runner takes it, it writes nothing, it does not end again.
      expect(refusalOf(RunnerError, () => gitlab.runner.start(8)).message).toBe(
        'status: job 8 is failed; a runner takes pending jobs only',
      )
      expect(refusalOf(RunnerError, () => gitlab.runner.log(8, 'x\n')).field).toBe('status')
      expect(refusalOf(RunnerError, () => gitlab.runner.finish(8, { status: 'success' })).field).toBe(
        'status',
      )
      expect(refusalOf(RunnerError, () => gitlab.runner.finish(8, { status: 'great' as never })).field).toBe(
        'status',
      )
      expect(JSON.stringify(gitlab.state())).toBe(before)
    })
  })

  describe('over the control API', () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await listen({ gitlab: version, port: 0, seed: 2, clock: 'manual', now: START })
    })
    afterAll(() => server.close())

    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}/__fake${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
      return [response.status, await response.json()] as const
    }

    test('GET and POST /__fake/clock', async () => {
      expect(await (await fetch(`${server.url}/__fake/clock`)).json()).toEqual({ now: START, mode: 'manual' })
      expect(await post('/clock', { advance: '90s' })).toEqual([
        200,
        { now: '2020-06-01T00:01:30.000Z', mode: 'manual' },
      ])
      expect(await post('/clock', { now: '2020-06-02T00:00:00Z' })).toEqual([
        200,
        { now: '2020-06-02T00:00:00.000Z', mode: 'manual' },
      ])
    })

    test.each([
      [{ now: '2015-12-24T18:00:00Z' }, 'now'],
      [{ advance: '-5s' }, 'advance'],
      [{ advance: true }, 'advance'],
      [{ advance: '1s', now: '2030-01-01T00:00:00Z' }, '(body)'],
      [{}, '(body)'],
      [{ rewind: '1s' }, 'rewind'],
      ['not json', '(body)'],
    ])('POST /__fake/clock %j: 400 naming %s, the clock unmoved', async (body, field) => {
      const before = await (await fetch(`${server.url}/__fake/clock`)).json()
      const [status, answer] = await post('/clock', body)
      expect([status, answer.field]).toEqual([400, field])
      expect(answer.error).toMatch(new RegExp(`^${field.replace(/[()]/g, '\\$&')}: `))
      expect(await (await fetch(`${server.url}/__fake/clock`)).json()).toEqual(before)
    })

    test.each([
      ['/runner/jobs/9999/start', {}, 'job'],
      ['/runner/jobs/abc/start', {}, 'job'],
      ['/runner/jobs/8/start', {}, 'status'],
      ['/runner/jobs/8/log', { text: 'x\n' }, 'status'],
      ['/runner/jobs/8/finish', { status: 'great' }, 'status'],
      ['/runner/jobs/8/finish', { status: 'success', colour: 'green' }, 'colour'],
      ['/runner/jobs/8/start', 'not json', '(body)'],
    ])('POST %s %j: 400 naming %s, nothing changed', async (path, body, field) => {
      const before = await (await fetch(`${server.url}/__fake/state`)).text()
      const [status, answer] = await post(path, body)
      expect([status, answer.field]).toEqual([400, field])
      expect(await (await fetch(`${server.url}/__fake/state`)).text()).toBe(before)
    })

    test('a job driven by hand over the control API', async () => {
      const [created, { created: ids }] = await post('/fixtures', {
        pipelines: [{ project: 'foo/bar', jobs: [{ name: 'by-hand', status: 'pending' }] }],
      })
      expect(created).toBe(201)
      const id = ids.jobs[0]
      expect(await post(`/runner/jobs/${id}/start`, { runner: 1 })).toMatchObject([
        200,
        { status: 'running', runner: 1 },
      ])
      expect(await post(`/runner/jobs/${id}/log`, { text: 'hello\n' })).toMatchObject([
        200,
        { trace_size: 6 },
      ])
      const [status, job] = await post(`/runner/jobs/${id}/finish`, {
        status: 'failed',
        artifacts: [{ file_type: 'junit', content: '<testsuite/>' }],
        expire_in: '2 days',
      })
      expect([status, job.status, job.artifacts]).toEqual([200, 'failed', ['junit', 'trace']])
      const shown = (await (
        await fetch(`${server.url}/api/v4/projects/1/jobs/${id}`, {
          headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
        })
      ).json()) as Record<string, unknown>
      expect(shown).toMatchObject({ status: 'failed', runner: { id: 1 } })
      expect(Date.parse(shown.artifacts_expire_at as string) - Date.parse(shown.finished_at as string)).toBe(
        2 * 86_400_000,
      )
      const trace = await fetch(`${server.url}/api/v4/projects/1/jobs/${id}/trace`, {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
      })
      expect(await trace.text()).toBe('hello\nERROR: Job failed: exit code 1\n')
    })
  })
})

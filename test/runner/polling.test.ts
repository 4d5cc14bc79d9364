import { Gitlab } from '@gitbeaker/rest'
import JSZip from 'jszip'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createGitLabFake, type GitLabFake } from '../../src/index.js'
import { forEachVersion } from '../support/each-version.js'
import { FAIL_UNHANDLED } from '../support/msw.js'
import { FLAKY_FIXTURE, FLAKY_RUN } from './flaky.js'

/**
 * What an integration does most with the Jobs API: retry a failed job, poll until it finishes,
 * read the trace, download the artifacts the run uploaded. With @gitbeaker/rest in-process,
 * under each progress mode of the runner.
 */

forEachVersion('polling', (version) => {
  const START = '2020-06-01T00:00:00.000Z'
  const fakes = {
    clock: createGitLabFake({
      gitlab: version,
      seed: 4,
      now: START,
      baseUrl: 'https://clock.example',
      fixtures: [FLAKY_FIXTURE],
    }),
    reads: createGitLabFake({
      gitlab: version,
      seed: 4,
      now: START,
      baseUrl: 'https://reads.example',
      fixtures: [FLAKY_FIXTURE],
      runner: { progress: 'reads' },
    }),
    manual: createGitLabFake({
      gitlab: version,
      seed: 4,
      now: START,
      baseUrl: 'https://manual.example',
      fixtures: [FLAKY_FIXTURE],
      runner: { progress: 'manual' },
    }),
  }
  const server = setupServer(...Object.values(fakes).flatMap((f) => f.handlers))
  beforeAll(() => server.listen(FAIL_UNHANDLED))
  afterAll(() => server.close())

  const FINISHED = new Set(['success', 'failed', 'canceled', 'skipped'])

  /** Between two polls: what moves the job in each mode (nothing, for reads). */
  const between: Record<keyof typeof fakes, (fake: GitLabFake, id: number, poll: number) => void> = {
    clock: (fake) => {
      fake.clock.advance('5s')
    },
    reads: () => {},
    manual: (fake, id, poll) => {
      // The test is the runner: it takes the job, writes, and ends it with an upload.
      if (poll === 0) fake.runner.start(id)
      else if (poll === 1) fake.runner.log(id, 'by hand\n')
      else if (poll === 2)
        fake.runner.finish(id, { status: 'success', artifacts: FLAKY_RUN.artifacts, expire_in: '1 week' })
    },
  }

  describe.each(Object.keys(fakes) as (keyof typeof fakes)[])('progress: %s', (mode) => {
    const fake = fakes[mode]
    const api = new Gitlab({ host: fake.baseUrl, token: 'maintainer-token' })
    const flaky = () => [...fake.store.jobs.values()].find((j) => j.name === 'flaky') as { id: number }

    test('retry, poll until finished, read the trace, download the upload', async () => {
      const retried = await api.Jobs.retry('foo/bar', flaky().id)
      expect(retried.status).toBe('pending')
      const seen: string[] = []
      let job = retried
      for (let poll = 0; poll < 20 && !FINISHED.has(job.status as string); poll++) {
        between[mode](fake, retried.id, poll)
        job = await api.Jobs.show('foo/bar', retried.id)
        if (seen.at(-1) !== job.status) seen.push(job.status as string)
      }
      expect(seen).toEqual(['pending', 'running', 'success'].slice(seen[0] === 'pending' ? 0 : 1))
      expect(job.status).toBe('success')
      expect(job.started_at).not.toBeNull()
      expect(job.finished_at).not.toBeNull()

      const trace = await api.Jobs.showLog('foo/bar', retried.id)
      expect(trace).toBe(
        mode === 'manual' ? 'by hand\nJob succeeded\n' : 'compiling\ntesting\nJob succeeded\n',
      )
      expect(job.artifacts_file).toMatchObject({ filename: 'artifacts.zip' })
      const expires = Date.parse(job.artifacts_expire_at as string) - Date.parse(job.finished_at as string)
      expect(expires).toBe(7 * 24 * 3600 * 1000)

      const blob = (await api.JobArtifacts.downloadArchive('foo/bar', { jobId: retried.id })) as Blob
      const zip = await JSZip.loadAsync(await blob.arrayBuffer())
      expect(await zip.file('report.txt')?.async('string')).toBe('all green\n')
      fake.reset()
    })
  })

  describe('the clock, the runner and reset', () => {
    test('the same seed and steps give the same answers, byte for byte', async () => {
      const run = async () => {
        const fake = createGitLabFake({ gitlab: version, seed: 9, now: START, fixtures: [FLAKY_FIXTURE] })
        const id = [...fake.store.jobs.values()].find((j) => j.name === 'flaky')?.id
        const ask = async (path: string, method = 'GET') => {
          const response = await fake.handle(
            new Request(`${fake.apiUrl}${path}`, {
              method,
              headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
            }),
          )
          return `${response?.status} ${[...(response?.headers ?? [])].join(';')} ${Buffer.from((await response?.arrayBuffer()) ?? new ArrayBuffer(0)).toString('base64')}`
        }
        const answers = [await ask(`/projects/1/jobs/${id}/retry`, 'POST')]
        for (const step of ['1s', '3s', '10s', '7s']) {
          fake.clock.advance(step)
          answers.push(
            await ask('/projects/1/jobs?per_page=5'),
            await ask(`/projects/1/jobs/${(id ?? 0) + 1}/trace`),
          )
        }
        answers.push(await ask(`/projects/1/jobs/${(id ?? 0) + 1}/artifacts`))
        return answers
      }
      const first = await run()
      expect(await run()).toEqual(first)
    })

    test('reset() takes the clock, the jobs and the schedule back; the run then repeats', async () => {
      const fake = fakes.clock
      const before = JSON.stringify(fake.state())
      const api = new Gitlab({ host: fake.baseUrl, token: 'maintainer-token' })
      const flaky = [...fake.store.jobs.values()].find((j) => j.name === 'flaky') as { id: number }
      const runOnce = async () => {
        const retried = await api.Jobs.retry('foo/bar', flaky.id)
        fake.clock.advance('10s')
        const midway = await api.Jobs.show('foo/bar', retried.id)
        fake.clock.advance('1m')
        const done = await api.Jobs.show('foo/bar', retried.id)
        return [retried.id, midway.status, done.status, done.finished_at, fake.clock.now()]
      }
      const first = await runOnce()
      fake.reset()
      expect(JSON.stringify(fake.state())).toBe(before)
      expect(await runOnce()).toEqual(first)
      fake.reset()
    })
  })
})

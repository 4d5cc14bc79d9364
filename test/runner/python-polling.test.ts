import { fileURLToPath } from 'node:url'
import { afterEach, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'
import { describeWithTool, pythonGitlab } from '../support/tools.js'
import { FLAKY_FIXTURE, FLAKY_RUN } from './flaky.js'

/** The same polling client in another language: python-gitlab over HTTP, under each progress mode. */

forEachVersion('python polling', (version) => {
  const script = fileURLToPath(new URL('./clients/python_polling.py', import.meta.url))

  const python = (url: string, mode: string, job: number) => pythonGitlab(script, [url, mode, String(job)])

  /** The run made short, for a clock that follows real time. */
  const QUICK = {
    pipelines: [
      {
        ...FLAKY_FIXTURE.pipelines[0],
        jobs: [
          { name: 'flaky', status: 'failed', run: { ...FLAKY_RUN, queued: '100ms', duration: '600ms' } },
        ],
      },
    ],
  }

  describeWithTool('python3-gitlab', 'python-gitlab polling', () => {
    let server: RunningServer | undefined
    afterEach(() => server?.close())

    for (const mode of ['clock', 'reads', 'manual'] as const) {
      test(`retry, poll until finished, trace and artifacts: progress ${mode}`, async () => {
        server = await listen({
          gitlab: version,
          port: 0,
          seed: 4,
          fixtures: [QUICK],
          runner: { progress: mode },
        })
        const flaky = [...server.fake.store.jobs.values()].find((j) => j.name === 'flaky') as { id: number }
        const seen = await python(server.url, mode, flaky.id)
        // Reads: the first read after the retry is the runner's first step, so it reads running.
        const expected = {
          clock: ['pending', 'running', 'success'],
          reads: ['running', 'success'],
          manual: ['pending', 'running', 'success'],
        }
        if (mode === 'clock') expect(seen.statuses).toEqual(expect.arrayContaining(['success']))
        else expect(seen.statuses).toEqual(expected[mode])
        expect((seen.statuses as string[]).at(-1)).toBe('success')
        expect(seen.trace).toBe(
          mode === 'manual' ? 'from python\nJob succeeded\n' : 'compiling\ntesting\nJob succeeded\n',
        )
        expect(seen.files).toEqual(
          mode === 'manual' ? ['report.txt'] : ['coverage/', 'coverage/index.html', 'report.txt'],
        )
        expect(seen.report).toBe('all green\n')
        expect(seen.artifacts_file).toMatchObject({ filename: 'artifacts.zip' })
      })
    }
  })
})

import { describe, expect, test } from 'vitest'
import type { JobInput } from '../../src/data/fixture-schema.js'
import { createGitLabFake, type GitLabFake } from '../../src/index.js'
import { forEachVersion } from '../support/each-version.js'

/**
 * A pipeline run by the simulated runner on the fake's clock, stage by stage as GitLab 13.0
 * processes it (Ci::ProcessPipelineService, Ci::ProcessBuildService): each job's status and the
 * pipeline's at each step.
 */

forEachVersion('pipeline run', (version) => {
  const START = '2020-06-01T00:00:00.000Z'
  const T0 = Date.parse(START)

  const STAGED: JobInput[] = [
    { name: 'compile', stage: 'build', run: { duration: '30s' } },
    { name: 'lint', stage: 'test', allow_failure: true, run: { duration: '20s', status: 'failed' as const } },
    { name: 'rspec', stage: 'test', run: { duration: '60s', log: ['one', 'two', 'three'] } },
    {
      name: 'deploy',
      stage: 'deploy',
      when: 'manual' as const,
      allow_failure: false,
      run: { duration: '10s' },
    },
    { name: 'notify', stage: 'deploy', when: 'delayed' as const, start_in: '5m', run: { duration: '5s' } },
    { name: 'cleanup', stage: 'cleanup', when: 'on_failure' as const, run: true as const },
    { name: 'report', stage: 'cleanup', when: 'always' as const, run: { duration: '2s' } },
  ]

  function staged(fake: GitLabFake, jobs: JobInput[] = STAGED) {
    const { pipeline, jobs: records } = fake.seed.pipeline({ project: 'foo/bar', ref: 'feature', jobs })
    const statuses = () => ({
      pipeline: fake.store.pipelines.get(pipeline.id)?.status,
      ...Object.fromEntries(records.map((j) => [j.name, fake.store.jobs.get(j.id)?.status])),
    })
    const job = (name: string) => records.find((j) => j.name === name) as (typeof records)[number]
    return { pipeline, statuses, job }
  }

  describe('a pipeline with stages, a manual, a delayed, an allow_failure and an on_failure job', () => {
    test('runs to the end, each status as GitLab has it at each step', () => {
      const gitlab = createGitLabFake({ gitlab: version, seed: 1, now: START })
      const { statuses, job } = staged(gitlab)
      expect(statuses()).toEqual({
        pipeline: 'pending',
        compile: 'pending',
        lint: 'created',
        rspec: 'created',
        deploy: 'created',
        notify: 'created',
        cleanup: 'created',
        report: 'created',
      })
      gitlab.clock.advance('1s') // queued for 1s, then a runner takes it
      expect(statuses()).toMatchObject({ pipeline: 'running', compile: 'running' })
      expect(gitlab.store.jobs.get(job('compile').id)?.started_at).toBe(T0 + 1_000)

      gitlab.clock.advance('30s') // compile finishes at 31s; the test stage is enqueued
      expect(statuses()).toMatchObject({ compile: 'success', lint: 'pending', rspec: 'pending' })
      expect(gitlab.store.jobs.get(job('compile').id)?.finished_at).toBe(T0 + 31_000)

      gitlab.clock.advance('21s') // lint (allowed to fail) has failed at 52s; rspec runs
      expect(statuses()).toMatchObject({ pipeline: 'running', lint: 'failed', rspec: 'running' })

      gitlab.clock.advance('40s') // rspec succeeds at 92s: the failure allowed, deploy's stage comes
      expect(statuses()).toEqual({
        pipeline: 'manual',
        compile: 'success',
        lint: 'failed',
        rspec: 'success',
        // a blocking manual job waits for play; the delayed one is scheduled 5 minutes on
        deploy: 'manual',
        notify: 'scheduled',
        cleanup: 'created',
        report: 'created',
      })
      expect(gitlab.store.jobs.get(job('notify').id)?.scheduled_at).toBe(T0 + 92_000 + 300_000)

      gitlab.clock.advance('5m') // notify's time: enqueued, then it runs
      expect(statuses()).toMatchObject({ notify: 'pending' })
      gitlab.clock.advance('6s')
      expect(statuses()).toMatchObject({
        pipeline: 'manual',
        notify: 'success',
        deploy: 'manual',
        report: 'created',
      })
    })

    test('played, the manual job runs, and the last stage follows: on_failure skipped, always run', async () => {
      const gitlab = createGitLabFake({ gitlab: version, seed: 1, now: START })
      const { statuses, job } = staged(gitlab)
      gitlab.clock.advance('10m')
      const played = await gitlab.handle(
        new Request(`${gitlab.apiUrl}/projects/1/jobs/${job('deploy').id}/play`, {
          method: 'POST',
          headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
        }),
      )
      expect(played?.status).toBe(200)
      expect(statuses()).toMatchObject({ pipeline: 'running', deploy: 'pending' })
      gitlab.clock.advance('11s')
      expect(statuses()).toMatchObject({ deploy: 'success', cleanup: 'skipped', report: 'pending' })
      gitlab.clock.advance('3s')
      // lint failed, but it was allowed to: the pipeline succeeds (with warnings, as GitLab shows it)
      expect(statuses()).toMatchObject({ pipeline: 'success', report: 'success', cleanup: 'skipped' })
    })

    test('a failure skips what runs on success and runs what runs on failure or always', () => {
      const gitlab = createGitLabFake({ gitlab: version, seed: 1, now: START })
      const { statuses } = staged(gitlab, [
        { name: 'compile', stage: 'build', run: { duration: '30s', status: 'failed' as const } },
        ...STAGED.slice(1),
      ])
      gitlab.clock.advance('31s') // compile fails at 31s
      expect(statuses()).toMatchObject({
        compile: 'failed',
        lint: 'skipped',
        rspec: 'skipped',
        deploy: 'skipped',
        notify: 'skipped',
        cleanup: 'pending',
        report: 'pending',
      })
      gitlab.clock.advance('1m')
      expect(statuses()).toMatchObject({ pipeline: 'failed', cleanup: 'success', report: 'success' })
    })

    test('the log grows line by line while the job runs; the last line and the trace artifact at the end', () => {
      const gitlab = createGitLabFake({ gitlab: version, seed: 1, now: START })
      const { job } = staged(gitlab)
      const rspec = () => gitlab.store.jobs.get(job('rspec').id)
      gitlab.clock.advance('32s') // rspec starts at 32s; its three lines at 0s, 20s and 40s after
      expect(rspec()?.trace).toBe('one\n')
      gitlab.clock.advance('20s')
      expect(rspec()?.trace).toBe('one\ntwo\n')
      gitlab.clock.advance('40s')
      expect(rspec()?.trace).toBe('one\ntwo\nthree\nJob succeeded\n')
      expect(rspec()?.artifacts.map((a) => [a.file_type, a.size])).toEqual([['trace', 28]])
    })

    test('one clock step or many give the same times', () => {
      const run = (steps: string[]) => {
        const gitlab = createGitLabFake({ gitlab: version, seed: 1, now: START })
        staged(gitlab)
        for (const step of steps) gitlab.clock.advance(step)
        return JSON.stringify(gitlab.state())
      }
      expect(run(['7m'])).toBe(run(['1s', '30s', '1m', '2m', '3m29s']))
    })
  })
})

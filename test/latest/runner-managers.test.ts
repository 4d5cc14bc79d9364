import { describe, expect, test } from 'vitest'
import { gitlab13_0, gitlabLatest } from '../../src/index.js'
import { body, call, useBothVersions } from '../support/versions.js'

/**
 * What the records only today's GitLab has show in its answers: a job's runner manager
 * (lib/api/entities/ci/runner_manager.rb), a runner's creator (`created_by`, UserBasic) and
 * creation time, a pipeline's source, a project's outbound job-token scope. 13.0's answers for
 * the same jobs, from a fixture without those fields, keep its own keys.
 */

function fixture(latest: boolean) {
  return {
    users: [
      { id: 7, username: 'reg', name: 'Reg', tokens: ['reg-token'], created_at: '2020-01-01T00:00:00.000Z' },
    ],
    runners: [
      {
        id: 32,
        description: 'docker',
        ...(latest && {
          created_by: 'reg',
          created_at: '2024-03-01T10:00:00.000Z',
          managers: [
            {
              id: 5,
              system_id: 's_89e5e9956577',
              version: '16.11.1',
              revision: '535ced5f',
              platform: 'linux',
              architecture: 'amd64',
              created_at: '2024-03-01T10:00:00.000Z',
              contacted_at: '2026-01-01T11:59:00.000Z',
              ip_address: '127.0.0.1',
              status: 'online',
            },
            { id: 6, system_id: 's_000000000006' },
          ],
        }),
      },
    ],
    projects: [
      {
        id: 1,
        path: 'grp/one',
        members: [{ user: 'reg', access_level: 'maintainer' }],
        ...(latest && { ci_job_token_scope_enabled: true }),
        pipelines: [
          {
            id: 10,
            commit: null,
            ...(latest && { source: 'schedule' }),
            jobs: [
              {
                id: 100,
                status: 'running',
                runner: 32,
                started_at: '2026-01-01T12:00:00.000Z',
                ...(latest && { runner_manager: 5 }),
              },
              { id: 101, status: 'pending' },
            ],
          },
        ],
      },
    ],
  }
}

const NOW = '2026-01-01T12:00:30.000Z'
const { v13, latest } = useBothVersions({
  v13: { dataset: 'empty', now: NOW, fixtures: [fixture(false)] },
  latest: { dataset: 'empty', now: NOW, fixtures: [fixture(true)] },
})
const REG = { 'PRIVATE-TOKEN': 'reg-token' }

describe('latest', () => {
  test("the job's runner_manager, in GitLab's order; active while it runs the job", async () => {
    const job = (await body(await call(latest, '/projects/1/jobs/100', REG))) as Record<string, unknown>
    expect(job.runner_manager).toEqual({
      id: 5,
      system_id: 's_89e5e9956577',
      version: '16.11.1',
      revision: '535ced5f',
      platform: 'linux',
      architecture: 'amd64',
      created_at: '2024-03-01T10:00:00.000Z',
      contacted_at: '2026-01-01T11:59:00.000Z',
      ip_address: '127.0.0.1',
      status: 'online',
      job_execution_status: 'active',
    })
    expect(Object.keys(job.runner_manager as object)).toEqual(gitlabLatest.entities.runnerManager)
    latest.runner.finish(100, { status: 'success' })
    const done = (await body(await call(latest, '/projects/1/jobs/100', REG))) as {
      runner_manager: { job_execution_status: string }
    }
    expect(done.runner_manager.job_execution_status).toBe('idle')
  })

  test('a job the runner starts is taken by its first manager; a job without a runner has null', async () => {
    expect(
      ((await body(await call(latest, '/projects/1/jobs/101', REG))) as { runner_manager: unknown })
        .runner_manager,
    ).toBeNull()
    latest.runner.start(101, { runner: 32 })
    const started = (await body(await call(latest, '/projects/1/jobs/101', REG))) as {
      runner_manager: { id: number }
    }
    expect(started.runner_manager.id).toBe(5)
  })

  test("the runner's created_by (UserBasic) and created_at; the pipeline's source; the project's scope flag", async () => {
    const job = (await body(await call(latest, '/projects/1/jobs/100', REG))) as {
      runner: Record<string, unknown>
      pipeline: { source: string }
      project: { ci_job_token_scope_enabled: boolean }
    }
    expect(job.runner.created_by).toEqual({
      id: 7,
      username: 'reg',
      name: 'Reg',
      state: 'active',
      locked: false,
      avatar_url: expect.any(String),
      web_url: 'https://latest.example.com/reg',
    })
    expect(Object.keys(job.runner)).toEqual(gitlabLatest.entities.runner)
    expect(job.runner.created_at).toBe('2024-03-01T10:00:00.000Z')
    expect(job.pipeline.source).toBe('schedule')
    expect(job.project.ci_job_token_scope_enabled).toBe(true)
  })
})

test("13.0: the same job in 13.0's keys: no runner_manager, a runner without created_by", async () => {
  const job = (await body(await call(v13, '/projects/1/jobs/100', REG))) as Record<string, unknown>
  expect(Object.keys(job)).toEqual(gitlab13_0.entities.job.filter((k) => k !== 'artifacts_file'))
  expect(Object.keys(job.runner as object)).toEqual(gitlab13_0.entities.runner)
  expect(Object.keys(job.pipeline as object)).toEqual(gitlab13_0.entities.pipelineBasic)
})

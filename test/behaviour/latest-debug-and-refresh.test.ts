import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createGitLabFake, FixtureError, type GitLabFake, type JobRecord } from '../../src/index.js'
import { FAIL_UNHANDLED } from '../support/msw.js'
import { refusal } from '../support/refusal.js'

/**
 * Today's debug-mode logs (Ci::BuildPolicy `rule { debug_mode & ~project_update_build }.prevent
 * :read_build_trace`) and the project stats refresh conflict
 * (lib/api/helpers/project_stats_refresh_conflicts_helpers.rb), both fixture fields of `latest`
 * only; 13.0 refuses them, naming the field.
 */

const latest = createGitLabFake({ gitlab: 'latest', baseUrl: 'https://latest.example.com' })
const v13 = createGitLabFake({ baseUrl: 'https://v13.example.com' })
const server = setupServer(...latest.handlers, ...v13.handlers)
beforeAll(() => server.listen(FAIL_UNHANDLED))
afterEach(() => {
  latest.reset()
  v13.reset()
})
afterAll(() => server.close())

type Token = 'maintainer' | 'developer' | 'reporter' | 'guest'

async function call(path: string, token: Token = 'maintainer', method = 'GET'): Promise<[number, string]> {
  const response = await fetch(`${latest.apiUrl}${path}`, {
    method,
    headers: { 'PRIVATE-TOKEN': `${token}-token` },
  })
  return [response.status, await response.text()]
}

function seed(
  gitlab: GitLabFake,
  job: Record<string, unknown>,
  project: Record<string, unknown> = {},
): JobRecord {
  const created = gitlab.load({
    projects: [
      {
        path: 'group/refresh',
        members: [
          { user: 'maintainer', access_level: 'maintainer' },
          { user: 'developer', access_level: 'developer' },
          { user: 'reporter', access_level: 'reporter' },
        ],
        ...project,
        pipelines: [{ ref: 'feature/x', user: 'developer', jobs: [{ user: 'developer', ...job }] }],
      },
    ],
  })
  return gitlab.store.jobs.get(created.jobs[0] as number) as JobRecord
}

const REFRESHING = JSON.stringify({
  message: 'Action temporarily disabled. The project this pipeline belongs to is undergoing stats refresh.',
})

describe('debug-mode logs (`authorize_read_build_trace!`)', () => {
  test.each([
    ['maintainer', 200],
    ['developer', 200],
    ['reporter', 403],
  ] as const)('%s: %i', async (token, expected) => {
    const job = seed(latest, { status: 'success', trace: 'secret: hunter2\n', debug_trace_enabled: true })
    const [status, body] = await call(`/projects/${job.project_id}/jobs/${job.id}/trace`, token)
    expect(status).toBe(expected)
    expect(body).toBe(expected === 200 ? 'secret: hunter2\n' : '{"message":"403 Forbidden"}')
  })

  test('after the job is found: a missing job is still a 404 for a reporter', async () => {
    const job = seed(latest, { status: 'success', debug_trace_enabled: true })
    expect(await call(`/projects/${job.project_id}/jobs/999999/trace`, 'reporter')).toEqual([
      404,
      '{"message":"404 Not found"}',
    ])
  })

  test('the same job without debug logging: a reporter reads it', async () => {
    const job = seed(latest, { status: 'success', trace: 'ok\n' })
    expect(await call(`/projects/${job.project_id}/jobs/${job.id}/trace`, 'reporter')).toEqual([200, 'ok\n'])
  })

  test('the job itself is still shown to a reporter', async () => {
    const job = seed(latest, { status: 'success', debug_trace_enabled: true })
    expect((await call(`/projects/${job.project_id}/jobs/${job.id}`, 'reporter'))[0]).toBe(200)
  })

  test('a retried debug job stays in debug mode', async () => {
    const job = seed(latest, { status: 'failed', debug_trace_enabled: true })
    const [, body] = await call(`/projects/${job.project_id}/jobs/${job.id}/retry`, 'maintainer', 'POST')
    expect(latest.store.jobs.get((JSON.parse(body) as { id: number }).id)?.debug_trace_enabled).toBe(true)
  })

  test('state() writes it back, and it loads again', () => {
    seed(latest, { status: 'success', debug_trace_enabled: true })
    const state = latest.state()
    const project = state.projects?.find((p) => p.path === 'group/refresh')
    expect(project?.pipelines?.[0]?.jobs?.[0]?.debug_trace_enabled).toBe(true)
  })
})

describe('stats refresh: 409 for erase and artifact deletion', () => {
  test('erase: 409 after the other checks, nothing changes', async () => {
    const job = seed(latest, { status: 'success' }, { refreshing_build_artifacts_size: true })
    const before = structuredClone(job)
    expect(await call(`/projects/${job.project_id}/jobs/${job.id}/erase`, 'maintainer', 'POST')).toEqual([
      409,
      REFRESHING,
    ])
    expect(latest.store.jobs.get(job.id)).toEqual(before)
  })

  test('erase of a job that is not erasable: the 403 comes first', async () => {
    const job = seed(latest, { status: 'running' }, { refreshing_build_artifacts_size: true })
    expect(await call(`/projects/${job.project_id}/jobs/${job.id}/erase`, 'maintainer', 'POST')).toEqual([
      403,
      '{"message":"403 Forbidden - Job is not erasable!"}',
    ])
  })

  test("DELETE a job's artifacts: 409, nothing changes; a developer's 403 comes first", async () => {
    const job = seed(latest, { status: 'success' }, { refreshing_build_artifacts_size: true })
    const before = structuredClone(job)
    expect(
      await call(`/projects/${job.project_id}/jobs/${job.id}/artifacts`, 'maintainer', 'DELETE'),
    ).toEqual([409, REFRESHING])
    expect(
      (await call(`/projects/${job.project_id}/jobs/${job.id}/artifacts`, 'developer', 'DELETE'))[0],
    ).toBe(403)
    expect(latest.store.jobs.get(job.id)).toEqual(before)
  })

  test("DELETE the project's artifacts: 409", async () => {
    const job = seed(latest, { status: 'success' }, { refreshing_build_artifacts_size: true })
    expect(await call(`/projects/${job.project_id}/artifacts`, 'maintainer', 'DELETE')).toEqual([
      409,
      REFRESHING,
    ])
  })

  test('not refreshing: erase and delete go through', async () => {
    const job = seed(latest, { status: 'success' })
    expect((await call(`/projects/${job.project_id}/jobs/${job.id}/erase`, 'maintainer', 'POST'))[0]).toBe(
      201,
    )
  })

  test('retry, cancel and keep are not held back', async () => {
    const job = seed(latest, { status: 'failed' }, { refreshing_build_artifacts_size: true })
    expect((await call(`/projects/${job.project_id}/jobs/${job.id}/retry`, 'maintainer', 'POST'))[0]).toBe(
      201,
    )
  })
})

describe('13.0 has neither', () => {
  test.each([
    [
      { debug_trace_enabled: true },
      {},
      'projects[0].pipelines[0].jobs[0].debug_trace_enabled',
      'debug_trace_enabled',
    ],
    [
      {},
      { refreshing_build_artifacts_size: true },
      'projects[0].refreshing_build_artifacts_size',
      'refreshing_build_artifacts_size',
    ],
  ])('%j %j: refused, naming the field', (job, project, path, field) => {
    const error = refusal(() => seed(v13, job, project), FixtureError)
    expect(error.message).toBe(`Invalid fixture: ${path}: GitLab 13.0 has no ${field}`)
  })
})

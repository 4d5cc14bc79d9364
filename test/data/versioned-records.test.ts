import { describe, expect, test } from 'vitest'
import { createGitLabFake, FixtureError } from '../../src/index.js'
import { refusal } from '../support/refusal.js'

/**
 * The runner, pipeline and project fields only today's GitLab has: a runner's managers, creator
 * and creation time, a job's runner manager, a pipeline's source, a project's job-token settings
 * and allowlist. A fixture gives them to latest, which shows them and writes them back in
 * state(); 13.0 refuses each, naming the field.
 */

const NOW = Date.parse('2026-06-01T12:00:00.000Z')

const RICH = {
  users: [{ id: 7, username: 'registrar', name: 'Reg Istrar', created_at: '2020-01-01T00:00:00.000Z' }],
  runners: [
    {
      id: 32,
      description: 'docker-runner',
      created_by: 'registrar',
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
          contacted_at: '2026-06-01T11:59:00.000Z',
          ip_address: '127.0.0.1',
          status: 'online',
        },
        { id: 6, system_id: 'r_2e9fd7a5ccdd' },
      ],
    },
  ],
  projects: [
    {
      id: 1,
      path: 'v/source',
      members: [{ user: 7, access_level: 'maintainer' }],
      ci_job_token_scope_enabled: true,
      pipelines: [
        {
          id: 10,
          source: 'schedule',
          commit: null,
          jobs: [{ id: 100, status: 'success', runner: 32, runner_manager: 5 }],
        },
      ],
    },
    {
      id: 2,
      path: 'v/target',
      ci_inbound_job_token_scope_enabled: true,
      job_token_allowlist: ['v/source', 3],
    },
    { id: 3, path: 'v/later', ci_inbound_job_token_scope_enabled: false },
  ],
}

describe('13.0: none of them', () => {
  test.each([
    ['runners[0].created_by', { users: [{ username: 'u' }], runners: [{ created_by: 'u' }] }],
    ['runners[0].created_at', { runners: [{ created_at: '2024-01-01T00:00:00Z' }] }],
    ['runners[0].managers', { runners: [{ managers: [{}] }] }],
    ['projects[0].pipelines[0].source', { projects: [{ path: 'a/b', pipelines: [{ source: 'web' }] }] }],
    [
      'projects[0].ci_job_token_scope_enabled',
      { projects: [{ path: 'a/b', ci_job_token_scope_enabled: true }] },
    ],
    [
      'projects[0].ci_inbound_job_token_scope_enabled',
      { projects: [{ path: 'a/b', ci_inbound_job_token_scope_enabled: false }] },
    ],
    ['projects[0].job_token_allowlist', { projects: [{ path: 'a/b', job_token_allowlist: [] }] }],
    [
      'projects[0].pipelines[0].jobs[0].runner_manager',
      {
        runners: [{ id: 1 }],
        projects: [{ path: 'a/b', pipelines: [{ jobs: [{ runner: 1, runner_manager: 1 }] }] }],
      },
    ],
  ])('%s is refused, named', (path, fixture) => {
    const gitlab = createGitLabFake({ dataset: 'empty' })
    const error = refusal(() => gitlab.load(fixture), FixtureError)
    const field = path.slice(path.lastIndexOf('.') + 1)
    expect(error.message).toBe(`Invalid fixture: ${path}: GitLab 13.0 has no ${field}`)
    expect(gitlab.store.runners.size + gitlab.store.projects.size).toBe(0)
  })

  test("state() writes none of them, as before (the default dataset's state loads back equal)", () => {
    const original = createGitLabFake({ now: () => NOW })
    const state = original.state()
    expect(state.runners?.[0]).toEqual({
      id: expect.any(Number),
      description: expect.any(String),
      ip_address: expect.any(String),
      active: true,
      is_shared: expect.any(Boolean),
      name: expect.anything(),
      online: expect.any(Boolean),
      status: expect.any(String),
    })
    for (const project of state.projects ?? []) {
      expect(Object.keys(project)).toEqual([
        'id',
        'path',
        'visibility',
        'public_builds',
        'builds_access_level',
        'archived',
        'members',
        'protected_branches',
        'protected_tags',
        'pipelines',
      ])
      for (const pipeline of project.pipelines ?? []) expect('source' in pipeline).toBe(false)
    }
    const copy = createGitLabFake({ dataset: 'empty', now: () => NOW, fixtures: [state] })
    expect(copy.state()).toEqual(state)
  })
})

describe('latest', () => {
  const latest = () =>
    createGitLabFake({ gitlab: 'latest', dataset: 'empty', now: () => NOW, fixtures: [RICH] })

  test('the records hold them; the allowlist names projects by id, one given later in the document too', () => {
    const gitlab = latest()
    const runner = gitlab.store.runners.get(32)
    expect(runner).toMatchObject({ created_by_id: 7, created_at: Date.parse('2024-03-01T10:00:00.000Z') })
    expect(runner?.managers.map((m) => [m.id, m.system_id, m.status])).toEqual([
      [5, 's_89e5e9956577', 'online'],
      [6, 'r_2e9fd7a5ccdd', 'online'],
    ])
    expect(gitlab.store.jobs.get(100)?.runner_manager_id).toBe(5)
    expect(gitlab.store.pipelines.get(10)?.source).toBe('schedule')
    expect(gitlab.store.projects.get(1)?.ci_job_token_scope_enabled).toBe(true)
    expect(gitlab.store.projects.get(2)).toMatchObject({
      ci_inbound_job_token_scope_enabled: true,
      job_token_allowlist: [1, 3],
    })
    expect(gitlab.store.projects.get(3)?.ci_inbound_job_token_scope_enabled).toBe(false)
  })

  test('state() writes them back, and a fake loaded from it writes the same state', () => {
    const state = latest().state()
    expect(state.runners?.[0]).toMatchObject({ created_by: 7, created_at: '2024-03-01T10:00:00.000Z' })
    expect(state.runners?.[0]?.managers?.[0]).toEqual(RICH.runners[0]?.managers[0])
    expect(state.projects?.[0]?.pipelines?.[0]).toMatchObject({ source: 'schedule' })
    expect(state.projects?.[0]?.pipelines?.[0]?.jobs?.[0]).toMatchObject({ runner: 32, runner_manager: 5 })
    expect(state.projects?.[1]).toMatchObject({ job_token_allowlist: [1, 3] })
    const copy = createGitLabFake({ gitlab: 'latest', dataset: 'empty', now: () => NOW, fixtures: [state] })
    expect(copy.state()).toEqual(state)
  })

  test('bad values are refused, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ projects: [{ path: 'a/b', pipelines: [{ source: 'cron' }] }] }, 'projects[0].pipelines[0].source'],
      [{ runners: [{ managers: [{ status: 'busy' }] }] }, 'runners[0].managers[0].status'],
      [{ runners: [{ created_by: 'nobody' }] }, 'runners[0].created_by: no user "nobody"'],
      [
        {
          runners: [
            { id: 1, managers: [{ id: 4 }] },
            { id: 2, managers: [{ id: 4 }] },
          ],
        },
        'runners[1].managers[0].id: runner manager 4 already exists',
      ],
      [
        {
          runners: [{ id: 1, managers: [{ id: 4 }] }, { id: 2 }],
          projects: [{ path: 'a/b', pipelines: [{ jobs: [{ runner: 2, runner_manager: 4 }] }] }],
        },
        'projects[0].pipelines[0].jobs[0].runner_manager: runner 2 has no runner manager 4',
      ],
      [
        { projects: [{ path: 'a/b', pipelines: [{ jobs: [{ runner_manager: 4 }] }] }] },
        'projects[0].pipelines[0].jobs[0].runner_manager: a job without a runner has no runner manager',
      ],
      [
        { projects: [{ path: 'a/b', job_token_allowlist: ['x/y'] }] },
        'projects[0].job_token_allowlist[0]: no project "x/y"',
      ],
    ]
    for (const [fixture, message] of cases) {
      const gitlab = createGitLabFake({ gitlab: 'latest', dataset: 'empty' })
      const error = refusal(() => gitlab.load(fixture), FixtureError)
      expect(error.message).toContain(message)
      expect(gitlab.store.runners.size + gitlab.store.projects.size).toBe(0)
    }
  })
})

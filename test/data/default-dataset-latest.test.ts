import { describe, expect, test } from 'vitest'
import {
  createGitLabFake,
  defaultDataset,
  defaultDatasetLatest,
  fixtureSchema,
  gitlabLatest,
} from '../../src/index.js'

/**
 * `gitlab: 'latest'` starts from a dataset of its own, the examples of today's doc/api/jobs.md
 * (gitlabhq 41946e65), with the users, tokens and roles of the 13.0 dataset. What each example
 * answers is tested in test/contract/latest/; here, which dataset is chosen, and what it keeps.
 */

const NOW = Date.parse('2015-12-24T18:00:00.000Z')

async function job(gitlab: ReturnType<typeof createGitLabFake>, id: number) {
  const response = await gitlab.handle(
    new Request(`${gitlab.apiUrl}/projects/1/jobs/${id}`, { headers: { 'PRIVATE-TOKEN': 'root-token' } }),
  )
  return { status: response?.status, body: (await response?.json()) as Record<string, unknown> }
}

describe('which dataset', () => {
  test("gitlab: 'latest' loads today's documented jobs: job 7 on main, run by runner 32's manager 1, with its tags", async () => {
    const { status, body } = await job(createGitLabFake({ gitlab: 'latest', now: NOW }), 7)
    expect(status).toBe(200)
    expect(body).toMatchObject({
      ref: 'main',
      failure_reason: 'script_failure',
      tag_list: ['docker runner', 'ubuntu18'],
      runner: { id: 32, description: '', active: true, is_shared: true, name: null, online: false },
      runner_manager: { id: 1, system_id: 's_89e5e9956577', version: '16.11.1', status: 'offline' },
    })
  })

  test('a profile of version latest, given as profile, starts from the same dataset', async () => {
    const { body } = await job(createGitLabFake({ profile: gitlabLatest, now: NOW }), 6)
    expect(body).toMatchObject({ ref: 'main', failure_reason: 'stuck_or_timeout_failure' })
  })

  test("dataset: 'empty' starts latest with nothing", async () => {
    const gitlab = createGitLabFake({ gitlab: 'latest', dataset: 'empty' })
    expect([gitlab.store.users.size, gitlab.store.projects.size, gitlab.store.jobs.size]).toEqual([0, 0, 0])
  })

  test('13.0 keeps its own dataset: master, no runner on job 7', async () => {
    const { body } = await job(createGitLabFake({ now: NOW }), 7)
    expect(body.ref).toBe('master')
    expect(body.runner).toBeNull()
    expect(body).not.toHaveProperty('tag_list')
  })

  test('reset() brings the latest dataset back, not 13.0’s', async () => {
    const gitlab = createGitLabFake({ gitlab: 'latest', now: NOW })
    const erase = await gitlab.handle(
      new Request(`${gitlab.apiUrl}/projects/1/jobs/8/erase`, {
        method: 'POST',
        headers: { 'PRIVATE-TOKEN': 'root-token' },
      }),
    )
    expect(erase?.status).toBe(201)
    expect((await job(gitlab, 8)).body.erased_at).not.toBeNull()
    gitlab.reset()
    expect((await job(gitlab, 8)).body).toMatchObject({
      ref: 'main',
      erased_at: null,
      tag_list: ['docker runner', 'macos-10.15'],
    })
  })
})

describe('what it keeps of the 13.0 dataset', () => {
  test('the same users, with the same tokens', () => {
    expect(defaultDatasetLatest.users).toEqual(defaultDataset.users)
  })

  test('the same projects, members and roles, and the same job ids', () => {
    const shape = (dataset: typeof defaultDataset | typeof defaultDatasetLatest) =>
      dataset.projects.map((p) => ({
        id: p.id,
        path: p.path,
        visibility: p.visibility,
        public_builds: p.public_builds,
        members: p.members,
        pipelines: p.pipelines.map((pipeline) => ({
          id: pipeline.id,
          jobs: pipeline.jobs.map((j) => [j.id, j.name, j.status]),
        })),
      }))
    expect(shape(defaultDatasetLatest)).toEqual(shape(defaultDataset))
  })

  test("main takes master's place, protected as 13.0 protects master", () => {
    const refs = (dataset: typeof defaultDataset | typeof defaultDatasetLatest) =>
      dataset.projects.flatMap((p) => p.pipelines.map((pipeline) => pipeline.ref))
    expect(refs(defaultDataset)).toEqual(['master', 'feature/every-status', 'master', 'main'])
    expect(refs(defaultDatasetLatest)).toEqual(['main', 'feature/every-status', 'main', 'main'])
    expect(defaultDatasetLatest.projects[0]?.protected_branches).toEqual([
      { ...defaultDataset.projects[0]?.protected_branches[0], name: 'main' },
    ])
  })

  test('13.0 refuses the latest dataset, naming a field it does not have', () => {
    expect(() => createGitLabFake({ dataset: 'empty', fixtures: [defaultDatasetLatest] })).toThrow(
      /^Invalid fixture: runners\[1\]\.managers: /,
    )
  })
})

describe('as a fixture', () => {
  test('fits the fixture format (it is loaded without parsing, for speed)', () => {
    expect(fixtureSchema.safeParse(defaultDatasetLatest).success).toBe(true)
  })

  test('loaded as a fixture, through every check, it gives the same data', () => {
    const checked = createGitLabFake({ gitlab: 'latest', dataset: 'empty', seed: 1300, now: NOW })
    checked.load(defaultDatasetLatest)
    expect(checked.store.snapshot()).toEqual(
      createGitLabFake({ gitlab: 'latest', now: NOW }).store.snapshot(),
    )
  })

  test('is the same in every fake, whatever the seed', () => {
    expect(createGitLabFake({ gitlab: 'latest', seed: 5, now: NOW }).store.snapshot()).toEqual(
      createGitLabFake({ gitlab: 'latest', now: NOW }).store.snapshot(),
    )
  })
})

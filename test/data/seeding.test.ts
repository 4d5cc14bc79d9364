import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { createGitLabFake } from '../../src/index.js'
import { byVersion, describeEachVersion } from '../support/each-version.js'
import { api, json } from '../support/gitlab.js'
import { refusal } from '../support/refusal.js'

describeEachVersion('seeding', (version, gitlab) => {
  const exampleFixture = JSON.parse(
    readFileSync(new URL('../../fixtures/example.json', import.meta.url), 'utf8'),
  )

  describe('the seeding API', () => {
    test('seed.pipeline adds what the test names and fills the rest', async () => {
      const { pipeline, jobs } = gitlab.seed.pipeline({
        project: 'foo/bar',
        ref: 'feature/x',
        jobs: [{ name: 'rspec', status: 'failed' }, { name: 'rubocop' }],
      })
      expect(pipeline.status).toBe('failed')
      const response = await api(`/projects/1/pipelines/${pipeline.id}/jobs`)
      const listed = (await json(response)) as Record<string, unknown>[]
      const rows = [
        [jobs[0]?.id, 'rspec', 'failed', 'feature/x'],
        [jobs[1]?.id, 'rubocop', 'success', 'feature/x'],
      ]
      // Pipeline jobs in id order in 13.0, newest first today (gitlab-jobs-latest.md §1 row 14).
      expect(listed.map((j) => [j.id, j.name, j.status, j.ref])).toEqual(
        byVersion(version, { '13.0': rows, latest: [...rows].reverse() }),
      )
      for (const j of listed) {
        expect(typeof j.created_at).toBe('string')
        expect(typeof j.finished_at).toBe('string')
        expect((j.commit as { id: string }).id).toBe(pipeline.sha)
      }
    })

    test('new ids follow the dataset', () => {
      const { pipeline, jobs } = gitlab.seed.pipeline({ project: 1, jobs: [{}, {}] })
      expect(pipeline.id).toBe(10)
      expect(jobs.map((j) => j.id)).toEqual([22, 23])
    })

    test('the same seed gives the same values; another seed other values', () => {
      const fill = (seed: number) => {
        const fake = createGitLabFake({ gitlab: version, seed, dataset: 'empty' })
        const project = fake.seed.project({})
        fake.seed.pipeline({ project: project.id, jobs: [{}, {}, {}] })
        fake.seed.user({})
        return fake.store.snapshot()
      }
      expect(fill(42)).toEqual(fill(42))
      expect(fill(42)).not.toEqual(fill(43))
    })

    test('a pipeline status is computed from its jobs as GitLab does', () => {
      const status = (
        jobs: { status: 'success' | 'failed' | 'running' | 'manual' | 'skipped'; allow_failure?: boolean }[],
      ) => gitlab.seed.pipeline({ project: 1, jobs }).pipeline.status
      expect(status([{ status: 'success' }, { status: 'failed' }])).toBe('failed')
      expect(status([{ status: 'success' }, { status: 'failed', allow_failure: true }])).toBe('success')
      expect(status([{ status: 'success' }, { status: 'running' }])).toBe('running')
      // A manual job may fail by default (`allow_failure: true`), so it does not hold the pipeline.
      expect(status([{ status: 'success' }, { status: 'manual' }])).toBe('success')
      expect(status([{ status: 'success' }, { status: 'manual', allow_failure: false }])).toBe('manual')
      expect(status([{ status: 'skipped' }])).toBe('skipped')
    })

    test('a seeding call with a bad field is refused and names it', () => {
      const before = gitlab.store.snapshot()
      const error = refusal(() =>
        gitlab.seed.pipeline({ project: 1, jobs: [{ name: 'a' }, { status: 'sucess' as 'success' }] }),
      )
      expect(error.issues[0]?.path).toBe('jobs[1].status')
      expect(error.message).toMatch(/jobs\[1\]\.status/)
      expect(gitlab.store.snapshot()).toEqual(before)
    })
  })

  describe('fixtures', () => {
    test('the README example loads and answers through the API', async () => {
      const created = gitlab.load(exampleFixture)
      expect(created.projects).toHaveLength(1)
      expect(created.jobs).toHaveLength(2)
      const response = await api(`/projects/group%2Fapp/jobs`, 'none', {
        headers: { 'PRIVATE-TOKEN': 'alice-token' },
      })
      expect(response.status).toBe(200)
      const jobs = (await json(response)) as { name: string; status: string; runner: { id: number } | null }[]
      expect(jobs.map((j) => [j.name, j.status])).toEqual([
        ['deploy', 'manual'],
        ['rspec', 'failed'],
      ])
      expect(jobs[1]?.runner?.id).toBe(7)
      const trace = await api(`/projects/group%2Fapp/jobs/${created.jobs[0]}/trace`, 'none', {
        headers: { 'PRIVATE-TOKEN': 'alice-token' },
      })
      expect(await trace.text()).toBe('1 example, 1 failure\n')
    })

    test.each([
      [
        { projects: [{ path: 'a/b', pipelines: [{ jobs: [{ status: 'done' }] }] }] },
        'projects[0].pipelines[0].jobs[0].status',
      ],
      [{ projects: [{ path: 'no-namespace' }] }, 'projects[0].path'],
      [{ projects: [{ path: 'a/b', visbility: 'public' }] }, 'projects[0]'],
      [{ users: [{ username: 'x', tokens: 'abc' }] }, 'users[0].tokens'],
      [
        { projects: [{ path: 'a/b', members: [{ user: 'ghost', access_level: 'developer' }] }] },
        'projects[0].members[0].user',
      ],
      [
        { projects: [{ path: 'a/b', members: [{ user: 'root', access_level: 'boss' }] }] },
        'projects[0].members[0].access_level',
      ],
      [{ projects: [{ id: 1, path: 'a/b' }] }, 'projects[0].id'],
      [{ projects: [{ path: 'Foo/Bar' }] }, 'projects[0].path'],
      [{ users: [{ username: 'new', tokens: ['maintainer-token'] }] }, 'users[0].tokens[0]'],
      [
        { projects: [{ path: 'a/b', pipelines: [{ jobs: [{ id: 8 }] }] }] },
        'projects[0].pipelines[0].jobs[0].id',
      ],
      [
        { projects: [{ path: 'a/b', pipelines: [{ jobs: [{ runner: 99 }] }] }] },
        'projects[0].pipelines[0].jobs[0].runner',
      ],
      [
        { projects: [{ path: 'a/b', pipelines: [{ jobs: [{ created_at: 'yesterday' }] }] }] },
        'projects[0].pipelines[0].jobs[0].created_at',
      ],
      [
        {
          projects: [
            {
              path: 'a/b',
              pipelines: [{ jobs: [{ trace: 'abc', artifacts: [{ file_type: 'trace', size: 10 }] }] }],
            },
          ],
        },
        'projects[0].pipelines[0].jobs[0].artifacts[0].size',
      ],
      [{ jobs: [] }, '(document)'],
      [{ pipelines: [{ project: 'no/such', jobs: [{}] }] }, 'pipelines[0].project'],
      [{ pipelines: [{ jobs: [{}] }] }, 'pipelines[0].project'],
    ])('a bad fixture is refused whole, naming the field: %j', (fixture, path) => {
      const before = gitlab.store.snapshot()
      const error = refusal(() => gitlab.load(fixture))
      expect(error.issues.map((i) => i.path)).toContain(path)
      expect(error.message).toContain(path)
      expect(gitlab.store.snapshot()).toEqual(before)
    })

    test('the reason is said too', () => {
      const error = refusal(() => gitlab.load({ projects: [{ path: 'a/b', visbility: 'public' }] }))
      expect(error.message).toBe('Invalid fixture: projects[0]: unknown field(s) "visbility"')
      const taken = refusal(() => gitlab.load({ projects: [{ path: 'FOO/bar' }] }))
      expect(taken.message).toBe('Invalid fixture: projects[0].path: "FOO/bar" is taken')
    })

    test('top-level pipelines go into an existing project, or one the same document adds', () => {
      const created = gitlab.load({
        projects: [{ path: 'new/one' }],
        pipelines: [
          { project: 'foo/bar', ref: 'hotfix', jobs: [{ name: 'a' }] },
          { project: 'new/one', jobs: [{ name: 'b' }] },
        ],
      })
      const [first, second] = created.pipelines.map((id) => gitlab.store.pipelines.get(id))
      expect(first).toMatchObject({ project_id: 1, ref: 'hotfix', user_id: 2 })
      expect(second?.project_id).toBe(created.projects[0])
    })

    test('fixtures given at creation are part of what reset() restores', () => {
      const fake = createGitLabFake({ gitlab: version, dataset: 'empty', fixtures: [exampleFixture] })
      expect(fake.store.projects.size).toBe(1)
      fake.seed.project({})
      fake.reset()
      expect([...fake.store.projects.values()].map((p) => p.path_with_namespace)).toEqual(['group/app'])
    })
  })

  describe('reset and isolation', () => {
    test('reset() restores the initial dataset exactly, ids included', async () => {
      const fake = createGitLabFake({ gitlab: version })
      const initial = fake.store.snapshot()
      const firstNewJob = fake.seed.pipeline({ project: 1, jobs: [{}] }).jobs[0]?.id
      fake.load(exampleFixture)
      const job = fake.store.jobs.get(10)
      if (job) fake.store.updateJob(job, { status: 'success' })
      fake.reset()
      expect(fake.store.snapshot()).toEqual(initial)
      expect(fake.seed.pipeline({ project: 1, jobs: [{}] }).jobs[0]?.id).toBe(firstNewJob)
      // The status index follows the reset too.
      const response = await fake.handle(
        new Request('https://gitlab.example.com/api/v4/projects/1/jobs?scope=failed', {
          headers: { 'PRIVATE-TOKEN': 'root-token' },
        }),
      )
      const listed = (await (response as Response).json()) as { id: number }[]
      expect(listed.map((j) => j.id)).toEqual([10, 8, 7, 6])
    })

    test('two fakes share nothing', () => {
      const a = createGitLabFake({ gitlab: version, seed: 1 })
      const b = createGitLabFake({ gitlab: version, seed: 1 })
      a.seed.pipeline({ project: 1, jobs: [{}] })
      expect(a.store.jobs.size).toBe(b.store.jobs.size + 1)
      expect(b.store.snapshot()).toEqual(createGitLabFake({ gitlab: version, seed: 1 }).store.snapshot())
    })

    test('the default dataset is the same in every fake', () => {
      expect(createGitLabFake({ gitlab: version, seed: 5 }).store.snapshot()).toEqual(
        createGitLabFake({ gitlab: version }).store.snapshot(),
      )
    })
  })

  describe('the default dataset', () => {
    test('fits the fixture format (it is loaded without parsing, for speed)', async () => {
      const { defaultDataset, fixtureSchema } = await import('../../src/index.js')
      expect(fixtureSchema.safeParse(defaultDataset).success).toBe(true)
    })
  })
})

import { describe, expect, test } from 'vitest'
import { createGitLabFake, type FixtureDocument } from '../../src/index.js'
import { defaultBranch, describeEachVersion, forbidden } from '../support/each-version.js'
import { API, api, json, type Token } from '../support/gitlab.js'
import { refusal } from '../support/refusal.js'

/**
 * What GitLab answers, in 13.0 and today alike, for the flags a fixture sets: a project whose
 * CI/CD feature is off or private (ProjectPolicy `builds_disabled`), an archived project
 * (`archived`), a blocked or an external user, a pipeline whose commit is gone, and protected refs
 * changed on a project that exists already.
 */

const NOW = Date.parse('2026-03-01T12:00:00.000Z')
describeEachVersion(
  'project flags',
  (version, gitlab) => {
    const FORBIDDEN = { message: '403 Forbidden' }
    const NO_PROJECT = { message: '404 Project Not Found' }
    const BLOCKED = forbidden(version, 'Your account has been blocked.')

    const MEMBERS = [
      { user: 'maintainer', access_level: 'maintainer' },
      { user: 'developer', access_level: 'developer' },
      { user: 'reporter', access_level: 'reporter' },
      { user: 'guest', access_level: 'guest' },
    ] as const

    /** A project with a finished job that has an archive, and a manual one, on an unprotected branch. */
    function project(path: string, flags: Record<string, unknown> = {}) {
      const created = gitlab.load({
        projects: [
          {
            path,
            visibility: 'private',
            members: [...MEMBERS],
            protected_branches: [],
            ...flags,
            pipelines: [
              {
                ref: 'feature/x',
                status: 'success',
                user: 'developer',
                jobs: [
                  {
                    name: 'build',
                    status: 'success',
                    artifacts: [{ file_type: 'archive', files: { 'a.txt': 'hello\n' } }],
                    artifacts_expire_at: '2030-01-01T00:00:00.000Z',
                  },
                  { name: 'deploy', status: 'manual' },
                ],
              },
            ],
          },
        ],
      })
      const [build, deploy] = created.jobs as [number, number]
      return { id: created.projects[0] as number, pipeline: created.pipelines[0] as number, build, deploy }
    }

    type Request = readonly [method: string, path: string]

    /** Every Jobs API request on the project's jobs: reads first, then actions. */
    function reads(p: ReturnType<typeof project>): Request[] {
      return [
        ['GET', `/projects/${p.id}/jobs`],
        ['GET', `/projects/${p.id}/pipelines/${p.pipeline}/jobs`],
        ['GET', `/projects/${p.id}/jobs/${p.build}`],
        ['GET', `/projects/${p.id}/jobs/${p.build}/trace`],
        ['GET', `/projects/${p.id}/jobs/${p.build}/artifacts`],
        ['GET', `/projects/${p.id}/jobs/artifacts/feature/x/download?job=build`],
        ['GET', `/projects/${p.id}/jobs/${p.build}/artifacts/a.txt`],
        ['GET', `/projects/${p.id}/jobs/artifacts/feature/x/raw/a.txt?job=build`],
      ]
    }

    function actions(p: ReturnType<typeof project>): Request[] {
      return [
        ['POST', `/projects/${p.id}/jobs/${p.deploy}/cancel`],
        ['POST', `/projects/${p.id}/jobs/${p.build}/retry`],
        ['POST', `/projects/${p.id}/jobs/${p.build}/erase`],
        ['POST', `/projects/${p.id}/jobs/${p.deploy}/play`],
        ['POST', `/projects/${p.id}/jobs/${p.build}/artifacts/keep`],
      ]
    }

    /** The request, which must be refused with `body` and change nothing. */
    async function expectRefused(
      [method, path]: Request,
      token: Token | string,
      status: number,
      body: unknown,
    ): Promise<void> {
      const before = gitlab.store.snapshot()
      const response = await as(token, method, path)
      expect([response.status, await json(response)], `${token} ${method} ${path}`).toEqual([status, body])
      expect(gitlab.store.snapshot(), `${method} ${path} changed nothing`).toEqual(before)
    }

    function as(token: Token | string, method: string, path: string, headers: Record<string, string> = {}) {
      return fetch(`${API}${path}`, {
        method,
        headers: token === 'none' ? headers : { 'PRIVATE-TOKEN': `${token}-token`, ...headers },
      })
    }

    describe('builds_access_level: disabled (the CI/CD feature off)', () => {
      test('every job read and action is a 403, for Maintainers and admins alike', async () => {
        const p = project('flags/no-ci', { builds_access_level: 'disabled' })
        for (const token of ['maintainer', 'root'] as const) {
          // The pipeline stays readable (internal_builds_disabled), its jobs do not: 13.0's
          // 403, today's empty list (gitlab-jobs-latest.md §1 row 14).
          for (const request of [...reads(p), ...actions(p)])
            if (version === 'latest' && request[1].includes('/pipelines/'))
              await expectRefused(request, token, 200, [])
            else await expectRefused(request, token, 403, FORBIDDEN)
        }
      })

      test('the pipeline is still read (internal_builds_disabled): an unknown one is a 404 first', async () => {
        const p = project('flags/no-ci', { builds_access_level: 'disabled' })
        await expectRefused(['GET', `/projects/${p.id}/pipelines/999/jobs`], 'maintainer', 404, {
          message: '404 Not found',
        })
      })

      test('the project is still found: a non-member gets the 404 of a private project', async () => {
        const p = project('flags/no-ci', { builds_access_level: 'disabled' })
        await expectRefused(['GET', `/projects/${p.id}/jobs`], 'outsider', 404, NO_PROJECT)
      })

      test('a Maintainer still deletes artifacts: no rule prevents destroy_artifacts', async () => {
        const p = project('flags/no-ci', { builds_access_level: 'disabled' })
        const response = await as('maintainer', 'DELETE', `/projects/${p.id}/jobs/${p.build}/artifacts`)
        expect(response.status).toBe(204)
        expect(gitlab.store.jobs.get(p.build)?.artifacts.map((a) => a.file_type)).toEqual([])
      })
    })

    describe('builds_access_level: private (CI/CD for project members only)', () => {
      test('members read as before; a non-member of a public project with public pipelines gets 403', async () => {
        const p = project('flags/members-ci', {
          visibility: 'public',
          public_builds: true,
          builds_access_level: 'private',
        })
        for (const [, path] of reads(p)) {
          expect((await as('guest', 'GET', path)).status, `guest ${path}`).toBe(200)
          expect((await as('root', 'GET', path)).status, `root ${path}`).toBe(200)
        }
        for (const request of reads(p)) await expectRefused(request, 'outsider', 403, FORBIDDEN)
        // Anonymous callers reach the artifact downloads' checks: refused the same way.
        await expectRefused(['GET', `/projects/${p.id}/jobs/${p.build}/artifacts`], 'none', 403, FORBIDDEN)
        // Here the pipeline is hidden too: 403 before it is looked up.
        await expectRefused(['GET', `/projects/${p.id}/pipelines/999/jobs`], 'outsider', 403, FORBIDDEN)
      })

      test('the same project with the feature enabled lets the non-member read its jobs', async () => {
        const p = project('flags/open-ci', { visibility: 'public', public_builds: true })
        for (const [, path] of reads(p)) expect((await as('outsider', 'GET', path)).status, path).toBe(200)
      })
    })

    describe('archived: true', () => {
      test('jobs, logs and artifacts are read and downloaded', async () => {
        const p = project('flags/archived', { archived: true })
        for (const [, path] of reads(p)) expect((await as('maintainer', 'GET', path)).status, path).toBe(200)
      })

      test('cancel, retry, erase, play and keep are 403, admins included', async () => {
        const p = project('flags/archived', { archived: true })
        for (const token of ['maintainer', 'developer', 'root'] as const) {
          for (const request of actions(p)) await expectRefused(request, token, 403, FORBIDDEN)
        }
      })

      test('a Maintainer still deletes artifacts', async () => {
        const p = project('flags/archived', { archived: true })
        expect((await as('maintainer', 'DELETE', `/projects/${p.id}/jobs/${p.build}/artifacts`)).status).toBe(
          204,
        )
      })
    })

    describe('a blocked user', () => {
      test('is refused before anything else, with the reason: 403, and nothing changes', async () => {
        gitlab.load({ users: [{ username: 'blocked', state: 'blocked', tokens: ['blocked-token'] }] })
        const p = project('flags/blocked', {
          members: [...MEMBERS, { user: 'blocked', access_level: 'maintainer' }],
        })
        for (const request of [...reads(p).slice(0, 5), ...actions(p)]) {
          await expectRefused(request, 'blocked', 403, BLOCKED)
        }
      })

      test('the CI job token of a job they triggered is refused the same way', async () => {
        gitlab.load({ users: [{ username: 'blocked', state: 'blocked', tokens: ['blocked-token'] }] })
        gitlab.load({
          pipelines: [
            {
              project: 'foo/bar',
              ref: 'feature/blocked',
              user: 'blocked',
              jobs: [{ status: 'running', user: 'blocked', token: 'blocked-job-token' }],
            },
          ],
        })
        const response = await as('none', 'GET', '/projects/1/jobs/18/artifacts', {
          'JOB-TOKEN': 'blocked-job-token',
        })
        expect([response.status, await json(response)]).toEqual([403, BLOCKED])
      })
    })

    describe('an external user', () => {
      test('sees no internal project they are not a member of; members and public projects as before', async () => {
        gitlab.load({
          users: [
            { username: 'contractor', external: true, tokens: ['contractor-token'] },
            { username: 'employee', tokens: ['employee-token'] },
          ],
        })
        const closed = project('corp/internal', { visibility: 'internal', members: [] })
        const shared = project('corp/shared', {
          visibility: 'internal',
          members: [{ user: 'contractor', access_level: 'reporter' }],
        })
        for (const [, path] of reads(closed)) {
          expect((await as('employee', 'GET', path)).status, `employee ${path}`).toBe(200)
          await expectRefused(['GET', path], 'contractor', 404, NO_PROJECT)
        }
        for (const [, path] of reads(shared))
          expect((await as('contractor', 'GET', path)).status, path).toBe(200)
        expect((await as('contractor', 'GET', '/projects/2/jobs')).status).toBe(200)
        expect(gitlab.store.userByUsername('contractor')?.external).toBe(true)
        expect(gitlab.store.userByUsername('employee')?.external).toBe(false)
      })
    })

    describe('a pipeline whose commit is gone from the repository (commit: null)', () => {
      test('its jobs show "commit": null; a retry works and shows none either', async () => {
        const { jobs } = gitlab.seed.pipeline({
          project: 'foo/bar',
          ref: 'feature/force-pushed',
          commit: null,
          jobs: [{ name: 'lost', status: 'failed' }],
        })
        const job = (await json(await api(`/projects/1/jobs/${jobs[0]?.id}`))) as {
          commit: unknown
          pipeline: { sha: string }
        }
        expect(job.commit).toBeNull()
        expect(job.pipeline.sha).toMatch(/^[0-9a-f]{40}$/)
        const retry = await api(`/projects/1/jobs/${jobs[0]?.id}/retry`, 'developer', { method: 'POST' })
        expect(retry.status).toBe(201)
        expect(((await json(retry)) as { commit: unknown }).commit).toBeNull()
      })

      test('a commit that is in the repository cannot be gone: the load is refused, naming the field', () => {
        const before = gitlab.store.snapshot()
        const sha = gitlab.store.pipelines.get(6)?.sha as string
        const error = refusal(() =>
          gitlab.load({ pipelines: [{ project: 'foo/bar', sha, commit: null, jobs: [{ name: 'x' }] }] }),
        )
        expect(error.issues).toEqual([
          { path: 'pipelines[0].commit', message: `commit ${sha} is in the repository` },
        ])
        expect(gitlab.store.snapshot()).toEqual(before)
      })
    })

    describe('protected refs of a project that exists already', () => {
      // The default dataset's branch: master in 13.0's, main in latest's.
      const branch = defaultBranch(version)

      test('a top-level rule replaces the one of that name: Developers then act on the default branch', async () => {
        const retry = () => api('/projects/1/jobs/8/retry', 'developer', { method: 'POST' })
        await expectRefused(['POST', '/projects/1/jobs/8/retry'], 'developer', 403, FORBIDDEN)
        gitlab.load({
          protected_branches: [
            {
              project: 'foo/bar',
              name: branch,
              push_access_level: 'developer',
              merge_access_level: 'developer',
            },
          ],
        })
        expect(gitlab.store.projects.get(1)?.protected_branches).toEqual([
          { name: branch, push_access_level: 30, merge_access_level: 30 },
        ])
        expect((await retry()).status).toBe(201)
        gitlab.reset()
        expect(gitlab.store.projects.get(1)?.protected_branches).toEqual([
          { name: branch, push_access_level: 40, merge_access_level: 40 },
        ])
        expect((await retry()).status).toBe(403)
      })

      test('a new name is added (Maintainers by default); tags too; by id or path', async () => {
        gitlab.load({
          protected_branches: [{ project: 1, name: 'feature/*' }],
          protected_tags: [{ project: 'FOO/bar', name: 'v*', create_access_level: 'no_one' }],
        })
        const project = gitlab.store.projects.get(1)
        expect(project?.protected_branches.map((b) => b.name)).toEqual([branch, 'feature/*'])
        expect(project?.protected_tags).toEqual([{ name: 'v*', create_access_level: 0 }])
        // Job 10 failed on feature/every-status, now protected for Maintainers.
        await expectRefused(['POST', '/projects/1/jobs/10/retry'], 'developer', 403, FORBIDDEN)
        expect((await api('/projects/1/jobs/10/retry', 'maintainer', { method: 'POST' })).status).toBe(201)
      })

      test('a project the same document adds', () => {
        const { projects } = gitlab.load({
          projects: [{ path: 'new/protected', protected_branches: [] }],
          protected_branches: [{ project: 'new/protected', name: 'main', merge_access_level: 'developer' }],
        })
        expect(gitlab.store.projects.get(projects[0] as number)?.protected_branches).toEqual([
          { name: 'main', push_access_level: 40, merge_access_level: 30 },
        ])
      })

      test('an unknown project refuses the whole load, naming the field', () => {
        const before = gitlab.store.snapshot()
        const error = refusal(() =>
          gitlab.load({
            users: [{ username: 'someone' }],
            protected_branches: [
              { project: 'foo/bar', name: 'a' },
              { project: 'nope/nope', name: 'b' },
            ],
          }),
        )
        expect(error.issues).toEqual([
          { path: 'protected_branches[1].project', message: 'no project "nope/nope"' },
        ])
        expect(gitlab.store.snapshot()).toEqual(before)
        expect(
          refusal(() => gitlab.load({ protected_branches: [{ project: 'foo/bar' }] })).issues[0]?.path,
        ).toBe('protected_branches[0].name')
      })
    })

    describe('state() round-trips every flag', () => {
      test('loaded into an empty fake, it gives the same state and the same answers', async () => {
        const fixture: FixtureDocument = {
          users: [{ username: 'contractor', external: true, tokens: ['contractor-token'] }],
          projects: [
            {
              path: 'flags/no-ci',
              builds_access_level: 'disabled',
              members: [{ user: 'maintainer', access_level: 40 }],
            },
            { path: 'flags/members-ci', visibility: 'public', builds_access_level: 'private' },
            {
              path: 'flags/archived',
              archived: true,
              pipelines: [{ commit: null, jobs: [{ status: 'failed' }] }],
            },
          ],
          pipelines: [
            { project: 'foo/bar', sha: 'a'.repeat(40), commit: null, jobs: [{ status: 'success' }] },
            { project: 'foo/bar', sha: 'a'.repeat(40), commit: null, jobs: [{ status: 'failed' }] },
            // Two pipelines of one commit that is there: it is described once.
            { project: 'foo/bar', sha: 'b'.repeat(40), jobs: [{ status: 'success' }] },
            { project: 'foo/bar', sha: 'b'.repeat(40), jobs: [{ status: 'failed' }] },
          ],
          protected_branches: [{ project: 'foo/bar', name: 'release/*', push_access_level: 'no_one' }],
        }
        const original = createGitLabFake({ gitlab: version, seed: 4, now: () => NOW, fixtures: [fixture] })
        const state = original.state()
        const copy = createGitLabFake({
          gitlab: version,
          dataset: 'empty',
          now: () => NOW,
          fixtures: [state],
        })
        expect(copy.state()).toEqual(state)
        const exported = state.projects?.find((p) => p.path === 'flags/archived')
        expect(exported).toMatchObject({ archived: true, builds_access_level: 'enabled' })
        expect(exported?.pipelines?.[0]?.commit).toBeNull()

        const paths = [
          '/projects/1/jobs?per_page=100',
          ...[...original.store.jobs.keys()].map(
            (id) => `/projects/${original.store.jobs.get(id)?.project_id}/jobs/${id}`,
          ),
        ]
        for (const token of ['maintainer', 'contractor']) {
          for (const path of paths) {
            const request = () =>
              new Request(`${API}${path}`, { headers: { 'PRIVATE-TOKEN': `${token}-token` } })
            const a = (await original.handle(request())) as Response
            const b = (await copy.handle(request())) as Response
            expect([b.status, await b.text()], `${token} ${path}`).toEqual([a.status, await a.text()])
          }
        }
      })
    })
  },
  { now: () => NOW },
)

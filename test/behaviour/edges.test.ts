import { describe, expect, test } from 'vitest'
import type { JobInput, JobRecord, ProjectInput, ProjectRecord } from '../../src/index.js'
import { byVersion, describeEachVersion } from '../support/each-version.js'
import { API, api, json, type Token } from '../support/gitlab.js'

/**
 * GitLab's edges, the same in 13.0 and today, each read from its source: who may erase on a protected ref
 * (app/policies/ci/build_policy.rb), "No one" and admins (app/models/concerns/protected_branch_access.rb),
 * the job token of a job without a user (lib/gitlab/auth/auth_finders.rb) and the 100 newest
 * pipelines of a ref (app/models/ci/pipeline.rb). A refused request changes nothing. The count
 * headers above 10,000 rows: test/behaviour/pagination.test.ts (the default) and
 * test/server/feature-flags.test.ts (the flag on).
 */

describeEachVersion(
  'edges',
  (version, gitlab) => {
    const FORBIDDEN = { message: '403 Forbidden' }

    /** A project of its own where `developer` is a Developer and `maintainer` a Maintainer. */
    function seedProject(input: ProjectInput = {}): ProjectRecord {
      return gitlab.seed.project({
        visibility: 'private',
        members: [
          { user: 'developer', access_level: 'developer' },
          { user: 'maintainer', access_level: 'maintainer' },
        ],
        ...input,
      })
    }

    /** A job triggered by the developer on `ref`; unless told otherwise, failed with a log (erasable). */
    function seedJob(project: ProjectRecord, ref: string, job: JobInput = {}, tag = false): JobRecord {
      const erasable: JobInput = job.status === undefined ? { status: 'failed', trace: 'boom\n' } : {}
      const { jobs } = gitlab.seed.pipeline({
        project,
        ref,
        tag,
        user: 'developer',
        jobs: [{ user: 'developer', ...erasable, ...job }],
      })
      return jobs[0] as JobRecord
    }

    type Action = 'cancel' | 'retry' | 'erase' | 'play' | 'keep'

    const JOB: Record<Action, JobInput> = {
      cancel: { status: 'running' },
      retry: { status: 'failed' },
      erase: { status: 'failed', trace: 'boom\n' },
      play: { status: 'manual', when: 'manual' },
      keep: {
        status: 'success',
        artifacts: [{ file_type: 'archive', files: { 'out.txt': 'out' } }],
        artifacts_expire_at: '2027-01-01T00:00:00.000Z',
      },
    }

    const OK: Record<Action, number> = { cancel: 201, retry: 201, erase: 201, play: 200, keep: 200 }

    async function act(action: Action, token: Token, project: ProjectRecord, job: JobRecord) {
      const path = action === 'keep' ? 'artifacts/keep' : action
      return api(`/projects/${project.id}/jobs/${job.id}/${path}`, token, { method: 'POST' })
    }

    /** The action is refused with GitLab's 403 and the data is left as it was. */
    async function expectRefused(action: Action, token: Token, project: ProjectRecord, job: JobRecord) {
      const before = gitlab.store.snapshot()
      const response = await act(action, token, project, job)
      expect([response.status, await json(response)], `${token} ${action}`).toEqual([403, FORBIDDEN])
      expect(gitlab.store.snapshot(), `${token} ${action}`).toEqual(before)
    }

    describe('erase_build: a Developer erases what they triggered only on an unprotected ref', () => {
      // `rule { can?(:admin_build) | (can?(:update_build) & owner_of_job & unprotected_ref) }.enable :erase_build`
      const DEVELOPERS_PUSH = {
        name: 'release/*',
        push_access_level: 'developer',
        merge_access_level: 'developer',
      } as const

      test('on a branch protected with Developers allowed to push: the owner may cancel and retry, not erase', async () => {
        const project = seedProject({ protected_branches: [DEVELOPERS_PUSH] })
        await expectRefused('erase', 'developer', project, seedJob(project, 'release/1.0'))
        expect((await act('retry', 'developer', project, seedJob(project, 'release/1.0'))).status).toBe(201)
        const running = seedJob(project, 'release/1.0', { status: 'running' })
        expect((await act('cancel', 'developer', project, running)).status).toBe(201)
      })

      test('a Maintainer (admin_build) still erases there, and the owner on an unprotected branch', async () => {
        const project = seedProject({ protected_branches: [DEVELOPERS_PUSH] })
        expect((await act('erase', 'maintainer', project, seedJob(project, 'release/1.0'))).status).toBe(201)
        expect((await act('erase', 'developer', project, seedJob(project, 'feature/x'))).status).toBe(201)
      })

      test('on a tag protected with Developers allowed to create it: the owner may not erase', async () => {
        const project = seedProject({ protected_tags: [{ name: 'v*', create_access_level: 'developer' }] })
        await expectRefused('erase', 'developer', project, seedJob(project, 'v1.0.0', {}, true))
        expect((await act('retry', 'developer', project, seedJob(project, 'v1.0.1', {}, true))).status).toBe(
          201,
        )
        expect((await act('erase', 'developer', project, seedJob(project, 'nightly', {}, true))).status).toBe(
          201,
        )
      })
    })

    describe('"No one" binds admins: NO_ACCESS is refused before `return true if user.admin?`', () => {
      const ACTIONS: Action[] = ['cancel', 'retry', 'erase', 'play', 'keep']

      test.each(ACTIONS)('a branch no one may push or merge to: an admin may not %s', async (action) => {
        const project = seedProject({
          protected_branches: [{ name: 'frozen', push_access_level: 'no_one', merge_access_level: 'no_one' }],
        })
        await expectRefused(action, 'root', project, seedJob(project, 'frozen', JOB[action]))
      })

      test.each(ACTIONS)('no one may push, Maintainers may merge: an admin may %s', async (action) => {
        const project = seedProject({
          protected_branches: [
            { name: 'stable', push_access_level: 'no_one', merge_access_level: 'maintainer' },
          ],
        })
        expect((await act(action, 'root', project, seedJob(project, 'stable', JOB[action]))).status).toBe(
          OK[action],
        )
      })

      test('a tag no one may create: refused to admins too', async () => {
        const project = seedProject({ protected_tags: [{ name: 'v*', create_access_level: 'no_one' }] })
        await expectRefused('retry', 'root', project, seedJob(project, 'v2.0.0', {}, true))
        await expectRefused('erase', 'root', project, seedJob(project, 'v2.0.1', {}, true))
      })

      test('deleting artifacts asks the project only (destroy_artifacts): an admin may', async () => {
        const project = seedProject({
          protected_branches: [{ name: 'frozen', push_access_level: 'no_one', merge_access_level: 'no_one' }],
        })
        const job = seedJob(project, 'frozen', JOB.keep)
        const response = await api(`/projects/${project.id}/jobs/${job.id}/artifacts`, 'root', {
          method: 'DELETE',
        })
        expect(response.status).toBe(204)
      })
    })

    describe('the CI job token of a job without a user: the caller is anonymous', () => {
      // `find_user_from_job_token` answers `job.user`, nil here; `find_current_user!` then has no user.
      function jobWithoutUser(project: ProjectRecord, token: string): JobRecord {
        const { jobs } = gitlab.seed.pipeline({
          project,
          ref: 'main',
          user: null,
          // Today only a running job's token authenticates (gitlab-jobs-latest.md §1 row 27).
          jobs: [
            {
              status: byVersion(version, { '13.0': 'success', latest: 'running' } as const),
              user: null,
              token,
              artifacts: [{ file_type: 'archive' }],
            },
          ],
        })
        return jobs[0] as JobRecord
      }

      test('a private project: 404 Project Not Found, as for anyone anonymous', async () => {
        const project = seedProject()
        const job = jobWithoutUser(project, 'userless-private')
        for (const init of [
          { url: `/projects/${project.id}/jobs/${job.id}/artifacts?job_token=userless-private` },
          {
            url: `/projects/${project.id}/jobs/${job.id}/artifacts`,
            headers: { 'JOB-TOKEN': 'userless-private' },
          },
        ]) {
          const response = await fetch(`${API}${init.url}`, { headers: init.headers ?? {} })
          expect([response.status, await json(response)]).toEqual([404, { message: '404 Project Not Found' }])
        }
      })

      test('a public project: its public pipelines decide (200 with them, 403 without)', async () => {
        const open = seedProject({ visibility: 'public', public_builds: true })
        const openJob = jobWithoutUser(open, 'userless-open')
        const ok = await fetch(
          `${API}/projects/${open.id}/jobs/${openJob.id}/artifacts?job_token=userless-open`,
        )
        expect(ok.status).toBe(200)
        const closed = seedProject({ visibility: 'public', public_builds: false })
        const closedJob = jobWithoutUser(closed, 'userless-closed')
        const refused = await fetch(
          `${API}/projects/${closed.id}/jobs/artifacts/main/download?job=${closedJob.name}`,
          {
            headers: { 'JOB-TOKEN': 'userless-closed' },
          },
        )
        expect([refused.status, await json(refused)]).toEqual([403, FORBIDDEN])
      })

      test('an unknown job token is still 401', async () => {
        const response = await fetch(`${API}/projects/1/jobs/18/artifacts?job_token=nobody-has-this`)
        expect([response.status, await json(response)]).toEqual([401, { message: '401 Unauthorized' }])
      })
    })

    describe('artifacts by ref look among the ref’s 100 newest pipelines only', () => {
      /** A successful pipeline with a `build` archive on `main`, then `newer` failed pipelines. */
      function seedHistory(newer: number): ProjectRecord {
        const project = seedProject()
        gitlab.seed.pipeline({
          project,
          ref: 'main',
          user: null,
          jobs: [
            {
              name: 'build',
              status: 'success',
              artifacts: [{ file_type: 'archive', files: { 'a.txt': 'a' } }],
            },
          ],
        })
        for (let i = 0; i < newer; i++) {
          gitlab.seed.pipeline({
            project,
            ref: 'main',
            user: null,
            jobs: [{ name: 'build', status: 'failed' }],
          })
        }
        // Other refs' pipelines do not count.
        for (let i = 0; i < 5; i++) {
          gitlab.seed.pipeline({
            project,
            ref: 'other',
            user: null,
            jobs: [{ name: 'build', status: 'failed' }],
          })
        }
        return project
      }

      test('99 newer pipelines: the successful one is the 100th newest, and downloads', async () => {
        const project = seedHistory(99)
        const response = await api(
          `/projects/${project.id}/jobs/artifacts/main/download?job=build`,
          'maintainer',
        )
        expect(response.status).toBe(200)
      })

      test('100 newer pipelines: it is out of reach, 404 Not found, by download and by raw file', async () => {
        const project = seedHistory(100)
        for (const path of ['download?job=build', 'raw/a.txt?job=build']) {
          const response = await api(`/projects/${project.id}/jobs/artifacts/main/${path}`, 'maintainer')
          expect([response.status, await json(response)], path).toEqual([404, { message: '404 Not found' }])
        }
      })
    })
  },
  { now: () => Date.parse('2026-03-01T12:00:00.000Z') },
)

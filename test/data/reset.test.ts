import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, test } from 'vitest'
import { createGitLabFake, type GitLabFake } from '../../src/index.js'
import { byVersion, describeEachVersion } from '../support/each-version.js'
import { API } from '../support/gitlab.js'

/** reset() undoes what changed since the initial state: exactly, and at the cost of the changes. */

// A clock that stands still, so that a running job's duration reads the same twice.
const NOW = Date.parse('2020-06-01T00:00:00Z')
describeEachVersion(
  'reset',
  (version, gitlab) => {
    const as = (token: string, method = 'GET') => ({ method, headers: { 'PRIVATE-TOKEN': `${token}-token` } })

    /** Everything a client can read of project 1, byte for byte. */
    async function reads(fake: GitLabFake): Promise<string[]> {
      const out: string[] = []
      for (const path of [
        '/projects/1/jobs?per_page=100',
        '/projects/1/pipelines/6/jobs',
        '/projects/1/jobs/7',
        '/projects/1/jobs/7/trace',
        '/projects/1/jobs/7/artifacts',
        '/projects/1/jobs/18/artifacts',
      ]) {
        const response = await fetch(`${API}${path}`, as('maintainer'))
        out.push(`${path} ${response.status} ${[...response.headers].join(';')}`)
        out.push(Buffer.from(await response.arrayBuffer()).toString('base64'))
      }
      out.push(JSON.stringify(fake.state()))
      return out
    }

    describe('reset()', () => {
      test('after every kind of change, the store, the state and every answer are as they were', async () => {
        const snapshot = gitlab.store.snapshot()
        const before = await reads(gitlab)
        // A job retried already: retried again in 13.0; today it is not retryable, so another job is
        // (gitlab-jobs-latest.md §1 row 5).
        const again = byVersion(version, {
          '13.0': '/projects/1/jobs/8/retry',
          latest: '/projects/1/jobs/10/retry',
        })
        for (const [path, method] of [
          ['/projects/1/jobs/8/retry', 'POST'],
          [again, 'POST'],
          ['/projects/1/jobs/6/cancel', 'POST'],
          ['/projects/1/jobs/18/artifacts/keep', 'POST'],
          ['/projects/1/jobs/18/artifacts', 'DELETE'],
          ['/projects/1/jobs/7/erase', 'POST'],
        ] as const) {
          const response = await fetch(`${API}${path}`, as('maintainer', method))
          expect(response.status, path).toBeLessThan(300)
        }
        gitlab.load({
          users: [{ username: 'newcomer', tokens: ['newcomer-token'] }],
          projects: [
            { path: 'new/project', pipelines: [{ jobs: [{ artifacts: [{ file_type: 'archive' }] }] }] },
          ],
          pipelines: [{ project: 'foo/bar', jobs: [{ status: 'running' }, { status: 'failed' }] }],
        })
        gitlab.seed.job({ pipeline: 6, status: 'pending' })
        expect(await reads(gitlab)).not.toEqual(before)

        gitlab.reset()
        expect(gitlab.store.snapshot()).toEqual(snapshot)
        expect(await reads(gitlab)).toEqual(before)
        expect(gitlab.store.userByToken('newcomer-token')).toBeUndefined()
        expect(gitlab.store.projectByPath('new/project')).toBeUndefined()
        // Ids taken since are free again.
        expect(gitlab.seed.job({ pipeline: 6 }).id).toBe(
          createGitLabFake({ gitlab: version, seed: 3 }).seed.job({ pipeline: 6 }).id,
        )
      })

      test('twice in a row, and again after more changes', async () => {
        const snapshot = gitlab.store.snapshot()
        gitlab.reset()
        expect(gitlab.store.snapshot()).toEqual(snapshot)
        await fetch(`${API}/projects/1/jobs/8/retry`, as('maintainer', 'POST'))
        gitlab.reset()
        await fetch(`${API}/projects/1/jobs/6/cancel`, as('maintainer', 'POST'))
        gitlab.reset()
        expect(gitlab.store.snapshot()).toEqual(snapshot)
      })

      test('commitInitial() makes the data as it is now what reset() returns to', async () => {
        const fake = createGitLabFake({ gitlab: version, seed: 3 })
        await fake.handle(new Request(`${API}/projects/1/jobs/8/retry`, as('maintainer', 'POST')))
        fake.commitInitial()
        const committed = fake.store.snapshot()
        await fake.handle(new Request(`${API}/projects/1/jobs/6/cancel`, as('maintainer', 'POST')))
        fake.load({ pipelines: [{ project: 1, jobs: [{}] }] })
        fake.reset()
        expect(fake.store.snapshot()).toEqual(committed)
      })

      test('a refused request logs nothing to undo', async () => {
        const response = await fetch(`${API}/projects/1/jobs/8/retry`, as('guest', 'POST'))
        expect(response.status).toBe(403)
        expect(gitlab.store.changesSinceInitial).toBe(0)
      })

      test('what reset() undoes is what changed, whatever the size of the dataset', async () => {
        const changesOfOneRetry = async (jobs: number) => {
          const fake = createGitLabFake({ gitlab: version, seed: 1 })
          fake.seed.pipeline({
            project: 1,
            jobs: Array.from({ length: jobs }, () => ({ status: 'success' as const })),
          })
          fake.commitInitial()
          const response = await fake.handle(
            new Request(`${API}/projects/1/jobs/8/retry`, as('maintainer', 'POST')),
          )
          expect(response?.status).toBe(201)
          return fake.store.changesSinceInitial
        }
        const small = await changesOfOneRetry(10)
        expect(small).toBeGreaterThan(0)
        expect(await changesOfOneRetry(10_000)).toBe(small)
      })
    })

    describe('reset() frees what it drops', () => {
      test('six cycles of loading a 20 MB report and resetting leave memory where it was', () => {
        setFlagsFromString('--expose-gc')
        const gc = runInNewContext('gc') as () => void
        const fake = createGitLabFake({ gitlab: version, seed: 1 })
        const held = () => {
          gc()
          gc()
          const { heapUsed, arrayBuffers } = process.memoryUsage()
          return heapUsed + arrayBuffers
        }
        const baseline = held()
        for (let i = 0; i < 6; i++) {
          fake.load({
            pipelines: [
              { project: 'foo/bar', jobs: [{ artifacts: [{ file_type: 'junit', size: 20_000_000 }] }] },
            ],
          })
          fake.reset()
        }
        expect(held() - baseline).toBeLessThan(30_000_000)
      })
    })
  },
  { seed: 3, now: () => NOW },
)

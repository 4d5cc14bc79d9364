import { describe, expect, test } from 'vitest'
import type { JobInput } from '../../src/index.js'
import { defaultBranch, describeEachVersion } from '../support/each-version.js'
import { api, json, type Token } from '../support/gitlab.js'
import { seedJob } from '../support/jobs.js'

/**
 * Who may act on a job (§4.3: ProjectPolicy and Ci::BuildPolicy, in 13.0 and today alike), role
 * by role, on an unprotected branch, on the default branch (protected: Maintainers push and merge),
 * and on a branch no one may push to. A refused request changes nothing.
 */

describeEachVersion(
  'who may act on a job',
  (version, gitlab) => {
    type Action = 'cancel' | 'retry' | 'erase' | 'play' | 'keep' | 'delete'
    type Expected = number | 'forbidden' | 'no-project' | 'unauthorized'

    const ARCHIVE = {
      artifacts: [{ file_type: 'archive', files: { 'out.txt': 'out' } }, { file_type: 'trace' }],
      artifacts_expire_at: '2027-01-01T00:00:00.000Z',
    } satisfies JobInput

    /** A job each action accepts, triggered by the developer. */
    const JOBS: Record<Action, JobInput> = {
      cancel: { status: 'running' },
      retry: { status: 'failed' },
      erase: { status: 'failed', ...ARCHIVE },
      play: { status: 'manual', when: 'manual' },
      keep: { status: 'success', ...ARCHIVE },
      delete: { status: 'success', ...ARCHIVE },
    }

    const REQUEST: Record<Action, [string, string]> = {
      cancel: ['POST', 'cancel'],
      retry: ['POST', 'retry'],
      erase: ['POST', 'erase'],
      play: ['POST', 'play'],
      keep: ['POST', 'artifacts/keep'],
      delete: ['DELETE', 'artifacts'],
    }

    const OK: Record<Action, number> = {
      cancel: 201,
      retry: 201,
      erase: 201,
      play: 200,
      keep: 200,
      delete: 204,
    }

    async function expectAction(
      action: Action,
      token: Token,
      expected: Expected,
      ref: string,
      job: JobInput = {},
    ) {
      const seeded = seedJob(gitlab, { ...JOBS[action], ...job }, ref)
      const before = gitlab.store.snapshot()
      const [method, path] = REQUEST[action]
      const response = await api(`/projects/1/jobs/${seeded.id}/${path}`, token, { method })
      const label = `${token} ${action} on ${ref}`
      if (typeof expected === 'number') {
        expect(response.status, label).toBe(expected)
        return
      }
      const body = {
        forbidden: { message: '403 Forbidden' },
        'no-project': { message: '404 Project Not Found' },
        unauthorized: { message: '401 Unauthorized' },
      }[expected]
      const status = { forbidden: 403, 'no-project': 404, unauthorized: 401 }[expected]
      expect([response.status, await json(response)], label).toEqual([status, body])
      expect(gitlab.store.snapshot(), label).toEqual(before)
    }

    const ACTIONS: Action[] = ['cancel', 'retry', 'erase', 'play', 'keep', 'delete']

    // Expected answers on an unprotected branch, per role.
    const UNPROTECTED: Record<Token, Record<Action, Expected>> = {
      root: { ...OK },
      maintainer: { ...OK },
      developer: { ...OK, delete: 'forbidden' },
      reporter: {
        cancel: 'forbidden',
        retry: 'forbidden',
        erase: 'forbidden',
        play: 'forbidden',
        keep: 'forbidden',
        delete: 'forbidden',
      },
      // Project 1 has public pipelines off: a guest cannot even read jobs (play checks read_build first).
      guest: {
        cancel: 'forbidden',
        retry: 'forbidden',
        erase: 'forbidden',
        play: 'forbidden',
        keep: 'forbidden',
        delete: 'forbidden',
      },
      outsider: {
        cancel: 'no-project',
        retry: 'no-project',
        erase: 'no-project',
        play: 'no-project',
        keep: 'no-project',
        delete: 'no-project',
      },
      none: {
        cancel: 'unauthorized',
        retry: 'unauthorized',
        erase: 'unauthorized',
        play: 'unauthorized',
        keep: 'unauthorized',
        delete: 'unauthorized',
      },
    }

    describe('on an unprotected branch', () => {
      for (const [token, expected] of Object.entries(UNPROTECTED) as [Token, Record<Action, Expected>][]) {
        test.each(ACTIONS)(`${token}: %s`, (action) =>
          expectAction(action, token, expected[action], 'feature/roles'),
        )
      }

      test('a Developer erases only the jobs they triggered', async () => {
        await expectAction('erase', 'developer', 'forbidden', 'feature/roles', { user: 'maintainer' })
        await expectAction('erase', 'developer', 201, 'feature/roles', { user: 'developer' })
        await expectAction('erase', 'maintainer', 201, 'feature/roles', { user: 'developer' })
      })
    })

    // The default dataset's branch, protected for Maintainers: master in 13.0's, main in latest's.
    const master = defaultBranch(version)

    describe(`on ${master}, protected for Maintainers (protected_ref)`, () => {
      test.each(['cancel', 'retry', 'erase', 'play', 'keep'] as Action[])(
        'a Developer may not %s',
        (action) => expectAction(action, 'developer', 'forbidden', master),
      )
      test.each(ACTIONS)('a Maintainer may %s', (action) =>
        expectAction(action, 'maintainer', OK[action], master),
      )
    })

    describe('on a branch no one may push or merge to', () => {
      test.each(['cancel', 'retry', 'erase', 'play', 'keep'] as Action[])(
        'neither a Maintainer nor an admin may %s',
        async (action) => {
          const project = gitlab.store.projects.get(1)
          project?.protected_branches.push({ name: 'release/*', push_access_level: 0, merge_access_level: 0 })
          await expectAction(action, 'maintainer', 'forbidden', 'release/1.0')
          await expectAction(action, 'root', 'forbidden', 'release/2.0')
        },
      )

      test('deleting artifacts needs Maintainer on the project only', () =>
        expectAction('delete', 'maintainer', 204, 'release/1.0'))
    })

    describe('tags', () => {
      test('a protected tag is refused to whoever may not create it', async () => {
        const project = gitlab.store.projects.get(1)
        project?.protected_tags.push({ name: 'v*', create_access_level: 40 })
        const tagJob = (action: Action) => ({ ...JOBS[action], tag: true })
        await expectAction('retry', 'developer', 'forbidden', 'v1.0.0', tagJob('retry'))
        await expectAction('retry', 'maintainer', 201, 'v1.0.1', tagJob('retry'))
        await expectAction('retry', 'developer', 201, 'nightly', tagJob('retry'))
      })
    })
  },
  { now: () => Date.parse('2026-03-01T12:00:00.000Z') },
)

import { describe, expect, test } from 'vitest'
import { createGitLabFake } from '../../src/index.js'
import { forEachVersion } from '../support/each-version.js'

/**
 * `replace(state)`: a saved state in place of all the data (what `gitlab-fake/browser` does with
 * `persist` on a reload), while `reset()` still returns to the dataset.
 */

forEachVersion('replacing the data', (version) => {
  const headers = { 'PRIVATE-TOKEN': 'maintainer-token' }

  async function ids(gitlab: ReturnType<typeof createGitLabFake>): Promise<number[]> {
    const response = await gitlab.handle(
      new Request(`${gitlab.apiUrl}/projects/1/jobs?per_page=100`, { headers }),
    )
    return ((await (response as Response).json()) as { id: number }[]).map((job) => job.id)
  }

  describe('replace()', () => {
    test('a state saved from one fake answers the same in another; reset() returns to the dataset', async () => {
      const first = createGitLabFake({ gitlab: version, seed: 1 })
      const retried = await first.handle(
        new Request(`${first.apiUrl}/projects/1/jobs/8/retry`, { method: 'POST', headers }),
      )
      const newId = ((await (retried as Response).json()) as { id: number }).id
      const saved = JSON.parse(JSON.stringify(first.state()))

      const second = createGitLabFake({ gitlab: version, seed: 2 })
      const dataset = second.store.snapshot()
      const datasetIds = await ids(second)
      expect(datasetIds).not.toContain(newId)
      second.replace(saved)
      expect(second.state()).toEqual(first.state())
      expect(await ids(second)).toEqual(await ids(first))
      expect(await ids(second)).toContain(newId)

      second.reset()
      expect(second.store.snapshot()).toEqual(dataset)
      expect(await ids(second)).toEqual(datasetIds)
    })

    test('what the saved state holds replaces the dataset: nothing of the dataset is left beside it', async () => {
      const gitlab = createGitLabFake({ gitlab: version })
      gitlab.replace({
        users: [{ id: 5, username: 'solo', tokens: ['solo-token'], admin: true }],
        projects: [{ id: 1, path: 'solo/app', pipelines: [{ id: 3, jobs: [{ id: 4, name: 'only' }] }] }],
      })
      expect([...gitlab.store.jobs.keys()]).toEqual([4])
      expect(gitlab.store.userByToken('maintainer-token')).toBeUndefined()
      const response = await gitlab.handle(
        new Request(`${gitlab.apiUrl}/projects/1/jobs`, { headers: { 'PRIVATE-TOKEN': 'solo-token' } }),
      )
      expect(((await (response as Response).json()) as { name: string }[]).map((job) => job.name)).toEqual([
        'only',
      ])
    })

    test('a document that does not load is refused whole: the data stays as it was', () => {
      const gitlab = createGitLabFake({ gitlab: version })
      const before = gitlab.store.snapshot()
      expect(() => gitlab.replace({ projects: [{ path: 'x/y', pipelines: [{ user: 'nobody' }] }] })).toThrow(
        'Invalid fixture: projects[0].pipelines[0].user: no user "nobody"',
      )
      expect(() => gitlab.replace({ projects: 'nope' })).toThrow(/Invalid fixture: projects/)
      expect(gitlab.store.snapshot()).toEqual(before)
      expect(gitlab.store.changesSinceInitial).toBe(0)
    })
  })
})

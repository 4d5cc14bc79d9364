import { describe, expect, test } from 'vitest'
import { createGitLabFake } from '../../src/index.js'
import { SavedState } from '../../src/saved-state.js'
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

  describe("persist's saved state (startWorker's, here over a Storage of its own)", () => {
    function memoryStorage(): Storage {
      const items = new Map<string, string>()
      return {
        get length() {
          return items.size
        },
        clear: () => items.clear(),
        getItem: (key) => items.get(key) ?? null,
        key: (index) => [...items.keys()][index] ?? null,
        removeItem: (key) => {
          items.delete(key)
        },
        setItem: (key, value) => {
          items.set(key, value)
        },
      }
    }
    const options = { gitlab: version, seed: 1, now: '2020-05-22T12:00:00Z' } as const
    const KEY = 'gitlab-fake:https://gitlab.example.com'

    /** A page started again with the same options over the same storage. */
    function reload(storage: Storage) {
      const gitlab = createGitLabFake(options)
      new SavedState(gitlab, undefined, storage).restore()
      return gitlab
    }

    test('after load() and commitInitial(), a save keeps the data, and a reload comes back to it', async () => {
      const storage = memoryStorage()
      const gitlab = createGitLabFake(options)
      const saved = new SavedState(gitlab, undefined, storage)
      saved.restore()
      const dataset = gitlab.state()
      gitlab.load({
        projects: [{ id: 7, path: 'committed/app', pipelines: [{ jobs: [{ name: 'committed' }] }] }],
      })
      gitlab.commitInitial()
      const committed = gitlab.state()
      expect(committed).not.toEqual(dataset)
      saved.save()
      expect(storage.getItem(KEY)).not.toBeNull()
      const again = reload(storage)
      expect(again.state()).toEqual(committed)
      expect(await ids(again)).toEqual(await ids(gitlab))

      // Changes after the commit: kept, and reset() (before or after a reload) returns to the commit.
      gitlab.seed.pipeline({ project: 1, jobs: [{ name: 'later' }] })
      saved.save()
      const later = reload(storage)
      expect(later.state()).toEqual(gitlab.state())
      later.reset()
      expect(later.state()).toEqual(committed)
      gitlab.reset()
      expect(gitlab.state()).toEqual(committed)
      saved.save()
      expect(reload(storage).state()).toEqual(committed)
    })

    test('without a commit, the dataset itself is not kept: reset() forgets the state', () => {
      const storage = memoryStorage()
      const gitlab = createGitLabFake(options)
      const saved = new SavedState(gitlab, undefined, storage)
      const dataset = gitlab.state()
      gitlab.seed.pipeline({ project: 1, jobs: [{ name: 'kept' }] })
      saved.save()
      expect(reload(storage).state()).toEqual(gitlab.state())
      gitlab.reset()
      expect(storage.getItem(KEY)).toBeNull()
      saved.save()
      expect(storage.getItem(KEY)).toBeNull()
      expect(reload(storage).state()).toEqual(dataset)
    })

    test('changed(true) (a control route) saves soon what the change count alone would not', async () => {
      const storage = memoryStorage()
      const gitlab = createGitLabFake(options)
      const saved = new SavedState(gitlab, undefined, storage)
      gitlab.seed.pipeline({ project: 1, jobs: [{ name: 'seeded' }] })
      saved.changed(true)
      expect(storage.getItem(KEY)).toBeNull()
      await new Promise((resolve) => setTimeout(resolve, 0))
      expect(reload(storage).state()).toEqual(gitlab.state())
    })
  })
})

import { describe, expect, test } from 'vitest'
import { createGitLabFake } from '../../src/index.js'
import { forEachVersion } from '../support/each-version.js'
import { refusal } from '../support/refusal.js'

/** A `size` is a promise to build that many bytes: refused, naming the field, before any is built. */

forEachVersion('fixture limits', (version) => {
  const MB = 1024 * 1024

  const jobsWith = (artifacts: object[][]) => ({
    pipelines: [{ project: 'foo/bar', jobs: artifacts.map((a) => ({ status: 'success', artifacts: a })) }],
  })

  describe('artifact sizes in fixtures', () => {
    test("a size over GitLab's max_artifacts_size (100 MB) is refused at once, naming the field", () => {
      const gitlab = createGitLabFake({ gitlab: version, seed: 1 })
      const before = gitlab.store.snapshot()
      const heapBefore = process.memoryUsage().heapUsed
      const started = performance.now()
      const error = refusal(() =>
        gitlab.load(jobsWith(Array.from({ length: 10 }, () => [{ file_type: 'trace', size: 500_000_000 }]))),
      )
      expect(performance.now() - started).toBeLessThan(500)
      expect(error.issues).toEqual([
        {
          path: 'pipelines[0].jobs[0].artifacts[0].size',
          message: `is 500000000 bytes, over the maximum artifacts size of ${100 * MB} bytes`,
        },
      ])
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * MB)
      expect(gitlab.store.snapshot()).toEqual(before)
    })

    test('1e9 bytes: the same refusal, no RangeError', () => {
      const gitlab = createGitLabFake({ gitlab: version, seed: 1 })
      const error = refusal(() => gitlab.load(jobsWith([[{ file_type: 'junit', size: 1e9 }]])))
      expect(error.message).toContain(
        'pipelines[0].jobs[0].artifacts[0].size: is 1000000000 bytes, over the maximum',
      )
    })

    test('exactly the maximum is built; one byte more is refused', () => {
      const gitlab = createGitLabFake({ gitlab: version, seed: 1, dataset: 'empty', maxArtifactsSize: 1 })
      gitlab.load({ projects: [{ path: 'a/b' }] })
      const { jobs } = gitlab.seed.pipeline({
        project: 'a/b',
        jobs: [{ status: 'success', artifacts: [{ file_type: 'trace', size: MB }] }],
      })
      expect(jobs[0]?.artifacts[0]?.size).toBe(MB)
      const error = refusal(() =>
        gitlab.seed.pipeline({
          project: 'a/b',
          jobs: [{ status: 'success', artifacts: [{ file_type: 'trace', size: MB + 1 }] }],
        }),
      )
      expect(error.issues[0]?.path).toBe('pipeline.jobs[0].artifacts[0].size')
      const single = refusal(() =>
        gitlab.seed.job({
          pipeline: jobs[0]?.pipeline_id as number,
          artifacts: [{ file_type: 'junit', size: MB + 1 }],
        }),
      )
      expect(single.issues[0]?.path).toBe('job.artifacts[0].size')
    })

    test('what one load asks for in all is bounded too, and the refusal names the field that crosses it', () => {
      const gitlab = createGitLabFake({ gitlab: version, seed: 1, maxLoadSize: 2 })
      const before = gitlab.store.snapshot()
      const error = refusal(() =>
        gitlab.load({
          projects: [
            {
              path: 'big/one',
              pipelines: [
                {
                  jobs: [
                    { status: 'success', artifacts: [{ file_type: 'junit', size: MB }] },
                    { status: 'success', artifacts: [{ file_type: 'metadata', size: MB }] },
                    { status: 'success', artifacts: [{ file_type: 'archive', size: 1 + 0 * MB }] },
                  ],
                },
              ],
            },
          ],
        }),
      )
      expect(error.issues[0]?.path).toBe('projects[0].pipelines[0].jobs[2].artifacts[0].size')
      expect(error.issues[0]?.message).toBe(
        `makes the sizes of this load add up to ${2 * MB + 1} bytes, over its limit of ${2 * MB}`,
      )
      expect(gitlab.store.snapshot()).toEqual(before)
    })

    test('the limits must be positive numbers', () => {
      expect(() => createGitLabFake({ gitlab: version, maxArtifactsSize: 0 })).toThrow(
        /positive number of megabytes/,
      )
      expect(() => createGitLabFake({ gitlab: version, maxLoadSize: Number.NaN })).toThrow(
        /positive number of megabytes/,
      )
    })
  })

  describe('a refused load leaves the seeded generator where it was', () => {
    const good = { projects: [{ path: 'g/p', pipelines: [{ jobs: [{}, {}, { status: 'failed' }] }] }] }
    const bad = {
      projects: [{ path: 'x/y', pipelines: [{ jobs: [{}, {}, {}, { user: 'nobody-such' }] }] }],
    }

    test('the next good load gets the values it would have had', () => {
      const plain = createGitLabFake({ gitlab: version, seed: 7, dataset: 'empty' })
      plain.load(good)
      const refusedFirst = createGitLabFake({ gitlab: version, seed: 7, dataset: 'empty' })
      refusal(() => refusedFirst.load(bad))
      refusal(() => refusedFirst.seed.pipeline({ project: 'nowhere/at-all', jobs: [{}] }))
      refusedFirst.load(good)
      expect(refusedFirst.state()).toEqual(plain.state())
    })
  })
})

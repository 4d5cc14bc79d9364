import { Gitlab } from '@gitbeaker/rest'
import { describe, expect, test } from 'vitest'
import { byVersion, describeEachVersion } from '../support/each-version.js'
import { BASE } from '../support/gitlab.js'

describeEachVersion('gitbeaker', (version) => {
  const client = (token = 'maintainer-token') => new Gitlab({ host: BASE, token })

  describe('@gitbeaker/rest 43 in-process', () => {
    test('Jobs.all follows every page', async () => {
      const jobs = await client().Jobs.all('foo/bar', { perPage: 4 })
      expect(jobs.map((j) => j.id)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6])
    })

    test('Jobs.all with a scope array (scope[]=…)', async () => {
      const jobs = await client().Jobs.all(1, { scope: ['failed', 'canceled'] as never, perPage: 2 })
      expect(jobs.map((j) => [j.id, j.status])).toEqual([
        [13, 'canceled'],
        [10, 'failed'],
        [8, 'failed'],
        [7, 'failed'],
        [6, 'failed'],
      ])
    })

    test('Jobs.all with one scope, one page, and the pagination info', async () => {
      const { data, paginationInfo } = await client().Jobs.all(1, {
        scope: 'success',
        perPage: 2,
        page: 1,
        showExpanded: true,
      })
      expect(data.map((j) => j.id)).toEqual([19, 18])
      // No count headers on the project jobs list today (gitlab-jobs-latest.md §1 row 11): gitbeaker
      // reads the missing X-Total and X-Total-Pages as NaN.
      expect(paginationInfo).toEqual({
        total: byVersion(version, { '13.0': 3, latest: Number.NaN }),
        next: 2,
        current: 1,
        previous: null,
        perPage: 2,
        totalPages: byVersion(version, { '13.0': 2, latest: Number.NaN }),
      })
    })

    // id ASC in 13.0, id DESC today (gitlab-jobs-latest.md §1 row 14).
    test("Jobs.all of a pipeline, in the version's id order", async () => {
      const jobs = await client().Jobs.all(1, { pipelineId: 6 })
      const names = ['rspec:other', 'teaspoon', 'rubocop']
      expect(jobs.map((j) => j.name)).toEqual(
        byVersion(version, { '13.0': names, latest: [...names].reverse() }),
      )
    })

    test('Jobs.show and Jobs.showLog', async () => {
      const job = await client().Jobs.show('foo/bar', 8)
      expect(job).toMatchObject({ id: 8, name: 'rubocop', status: 'failed', pipeline: { id: 6 } })
      const log = await client().Jobs.showLog('foo/bar', 8)
      expect(typeof log).toBe('string')
      expect(log).toContain('bundle exec rubocop')
    })

    test("GitLab's errors reach the client with their message", async () => {
      await expect(client().Jobs.show(1, 9999)).rejects.toMatchObject({
        cause: { description: '404 Not found' },
      })
      await expect(client('guest-token').Jobs.show(1, 8)).rejects.toMatchObject({
        cause: { description: '403 Forbidden' },
      })
      await expect(client('wrong').Jobs.all(1)).rejects.toMatchObject({
        cause: { description: '401 Unauthorized' },
      })
    })
  })
})

import { describe, expect, test } from 'vitest'
import { byVersion, describeEachVersion } from '../support/each-version.js'
import { API, api, json, links, useGitLab } from '../support/gitlab.js'

const ALL_DESC = [19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6]
const JOBS = `${API}/projects/1/jobs`

async function page(path: string) {
  const response = await api(path)
  expect(response.status, path).toBe(200)
  const h = (name: string) => response.headers.get(name)
  return {
    ids: ((await json(response)) as { id: number }[]).map((j) => j.id),
    headers: {
      perPage: h('x-per-page'),
      page: h('x-page'),
      next: h('x-next-page'),
      prev: h('x-prev-page'),
      total: h('x-total'),
      totalPages: h('x-total-pages'),
    },
    link: response.headers.get('link'),
    links: links(response),
  }
}

// The project jobs list is paged without counts today (`without_count: true`, gitlab-jobs-latest.md
// §1 row 11 and §5.1): no X-Total, no X-Total-Pages, no rel="last"; Kaminari looks one row ahead
// for the next page. 13.0 counts. Pipeline jobs count in both.
describeEachVersion(
  'offset pagination (lib/gitlab/pagination/offset_pagination.rb, Kaminari)',
  (version, gitlab) => {
    /** X-Total and X-Total-Pages of the project jobs list: 13.0's count, none today. */
    const counts = (total: string, totalPages: string) =>
      byVersion(version, { '13.0': { total, totalPages }, latest: { total: null, totalPages: null } })

    test('defaults: 20 a page, newest first, every header', async () => {
      const p = await page('/projects/1/jobs')
      expect(p.ids).toEqual(ALL_DESC)
      expect(p.headers).toEqual({ perPage: '20', page: '1', next: '', prev: '', ...counts('14', '1') })
      expect(p.link).toBe(
        byVersion(version, {
          '13.0': `<${JOBS}?id=1&page=1&per_page=20>; rel="first", <${JOBS}?id=1&page=1&per_page=20>; rel="last"`,
          latest: `<${JOBS}?id=1&page=1&per_page=20>; rel="first"`,
        }),
      )
    })

    test('a middle page links prev, next, first and last, in that order', async () => {
      const p = await page('/projects/1/jobs?per_page=5&page=2')
      expect(p.ids).toEqual(ALL_DESC.slice(5, 10))
      expect(p.headers).toEqual({ perPage: '5', page: '2', next: '3', prev: '1', ...counts('14', '3') })
      const link = [
        `<${JOBS}?id=1&page=1&per_page=5>; rel="prev"`,
        `<${JOBS}?id=1&page=3&per_page=5>; rel="next"`,
        `<${JOBS}?id=1&page=1&per_page=5>; rel="first"`,
      ]
      expect(p.link).toBe(
        byVersion(version, {
          '13.0': [...link, `<${JOBS}?id=1&page=3&per_page=5>; rel="last"`],
          latest: link,
        }).join(', '),
      )
    })

    test('the last page has no next', async () => {
      const p = await page('/projects/1/jobs?per_page=5&page=3')
      expect(p.ids).toEqual(ALL_DESC.slice(10))
      expect(p.headers).toMatchObject({ page: '3', next: '', prev: '2' })
      expect(Object.keys(p.links)).toEqual(
        byVersion(version, { '13.0': ['prev', 'first', 'last'], latest: ['prev', 'first'] }),
      )
    })

    test('past the end: [], the page asked for, no next and no prev, real totals', async () => {
      const p = await page('/projects/1/jobs?per_page=5&page=9')
      expect(p.ids).toEqual([])
      expect(p.headers).toEqual({ perPage: '5', page: '9', next: '', prev: '', ...counts('14', '3') })
      expect(Object.keys(p.links)).toEqual(
        byVersion(version, { '13.0': ['first', 'last'], latest: ['first'] }),
      )
    })

    test('per_page over 100 is capped at 100; the Link echoes what was asked', async () => {
      const p = await page('/projects/1/jobs?per_page=500')
      expect(p.headers.perPage).toBe('100')
      expect(p.links.first).toBe(`${JOBS}?id=1&page=1&per_page=500`)
    })

    // gitlab-jobs-latest.md §1 row 16: 13.0 reads per_page=0 as 20 (`nonzero?`); today
    // `except_values: [0]` refuses it.
    test('per_page=0: 20 in 13.0, with an empty per_page in the Link; refused today', async () => {
      if (version === '13.0') {
        const p = await page('/projects/1/jobs?per_page=0')
        expect(p.ids).toEqual(ALL_DESC)
        expect(p.headers.perPage).toBe('20')
        expect(p.links.first).toBe(`${JOBS}?id=1&page=1&per_page=`)
      } else {
        const response = await api('/projects/1/jobs?per_page=0')
        expect([response.status, await json(response)]).toEqual([
          400,
          { error: 'per_page has a value not allowed' },
        ])
      }
    })

    test('a negative per_page is ignored by Kaminari; the Link echoes it', async () => {
      const p = await page('/projects/1/jobs?per_page=-5')
      expect(p.headers.perPage).toBe('20')
      expect(p.links.first).toBe(`${JOBS}?id=1&page=1&per_page=-5`)
    })

    test.each(['0', '-3'])('page=%s is page 1', async (n) => {
      const p = await page(`/projects/1/jobs?per_page=5&page=${n}`)
      expect(p.ids).toEqual(ALL_DESC.slice(0, 5))
      expect(p.headers).toMatchObject({ page: '1', prev: '', next: '2' })
    })

    test('Link keeps every other param, sorted as Rails to_query sorts them, with the path id', async () => {
      const p = await page(
        '/projects/foo%2Fbar/jobs?scope[]=success&scope[]=failed&per_page=2&zeta=1&alpha=a%20b',
      )
      expect(p.links.next).toBe(
        `${API}/projects/foo%2Fbar/jobs?alpha=a+b&id=foo%2Fbar&page=2&per_page=2&scope%5B%5D=success&scope%5B%5D=failed&zeta=1`,
      )
    })

    test('an empty list: total 0, one page, first and last both page 1', async () => {
      const project = gitlab.seed.project({
        path: 'empty/project',
        members: [{ user: 'maintainer', access_level: 40 }],
      })
      const p = await page(`/projects/${project.id}/jobs`)
      expect(p.ids).toEqual([])
      expect(p.headers).toEqual({ perPage: '20', page: '1', next: '', prev: '', ...counts('0', '1') })
      expect(Object.keys(p.links)).toEqual(
        byVersion(version, { '13.0': ['first', 'last'], latest: ['first'] }),
      )
    })

    // Pipeline jobs: id ASC in 13.0, id DESC today (gitlab-jobs-latest.md §1 row 14); counted in both.
    test('pipeline jobs: id order, with pipeline_id in the Link', async () => {
      const p = await page('/projects/1/pipelines/7/jobs?per_page=4&page=2')
      expect(p.ids).toEqual(byVersion(version, { '13.0': [13, 14, 15, 16], latest: [13, 12, 11, 10] }))
      expect(p.headers).toEqual({
        perPage: '4',
        page: '2',
        next: '3',
        prev: '1',
        total: '9',
        totalPages: '3',
      })
      // Today's include_retried has a default, which Grape writes into params, so into the Link.
      expect(p.links.next).toBe(
        byVersion(version, {
          '13.0': `${API}/projects/1/pipelines/7/jobs?id=1&page=3&per_page=4&pipeline_id=7`,
          latest: `${API}/projects/1/pipelines/7/jobs?id=1&include_retried=false&page=3&per_page=4&pipeline_id=7`,
        }),
      )
    })

    test('following rel="next" visits every job once', async () => {
      const seen: number[] = []
      let url: string | undefined = `${JOBS}?per_page=3`
      while (url) {
        const response: Response = await fetch(url, { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } })
        seen.push(...((await json(response)) as { id: number }[]).map((j) => j.id))
        url = links(response).next
      }
      expect(seen).toEqual(ALL_DESC)
    })

    test('the Link uses the configured URL, whatever host the request named', async () => {
      const p = await page('/projects/1/jobs?per_page=1')
      expect(p.links.next?.startsWith('https://gitlab.example.com/api/v4/projects/1/jobs?')).toBe(true)
    })
  },
)

// 13.0 only, by nature: the rest of this file is 13.0's rules (gitlab-jobs-latest.md §1 rows 10,
// 11, 14 and §5.1: today the project jobs list never counts, `ref` filters, pipeline jobs leave out
// retried jobs unless include_retried=true; test/behaviour/gitlab-latest.test.ts has that side).
describe('13.0', () => {
  const gitlab = useGitLab()

  describe('above 10,000 rows (api_kaminari_count_with_limit, off on a self-managed install)', () => {
    test('the count is still taken: X-Total, X-Total-Pages and rel="last"', async () => {
      const project = gitlab.seed.project({
        path: 'big/monorepo',
        members: [{ user: 'maintainer', access_level: 40 }],
      })
      gitlab.seed.pipeline({
        project: project.id,
        jobs: Array.from({ length: 10_001 }, () => ({
          name: 'shard',
          status: 'success' as const,
          trace: null,
        })),
      })
      const first = await page(`/projects/${project.id}/jobs?per_page=100`)
      expect(first.ids).toHaveLength(100)
      expect(first.headers).toEqual({
        perPage: '100',
        page: '1',
        next: '2',
        prev: '',
        total: '10001',
        totalPages: '101',
      })
      expect(Object.keys(first.links)).toEqual(['next', 'first', 'last'])
      const last = await page(`/projects/${project.id}/jobs?per_page=100&page=101`)
      expect(last.ids).toHaveLength(1)
      expect(last.headers).toMatchObject({ next: '', prev: '100' })
      const beyond = await page(`/projects/${project.id}/jobs?per_page=100&page=102`)
      expect(beyond.headers).toMatchObject({ next: '', prev: '' })
    })
  })

  describe('pipeline jobs in 13.0: `pipeline.builds`, retried jobs included', () => {
    test('a retried job is listed beside its clone, in id order; include_retried is no param', async () => {
      const { pipeline, jobs } = gitlab.seed.pipeline({
        project: 1,
        ref: 'feature/retries',
        user: 'developer',
        jobs: [
          { name: 'rspec', status: 'failed' },
          { name: 'lint', status: 'success' },
        ],
      })
      const [rspec, lint] = jobs.map((j) => j.id)
      const retry = await api(`/projects/1/jobs/${rspec}/retry`, 'maintainer', { method: 'POST' })
      const clone = ((await json(retry)) as { id: number }).id
      for (const query of ['', '?include_retried=false', '?include_retried=maybe']) {
        const p = await page(`/projects/1/pipelines/${pipeline.id}/jobs${query}`)
        expect(p.ids, query).toEqual([rspec, lint, clone])
      }
    })
  })

  test('13.0 declares no ref: ?ref= filters nothing', async () => {
    expect((await page('/projects/1/jobs?ref=no-such-ref')).ids).toEqual(ALL_DESC)
    expect((await page('/projects/1/jobs?ref[]=x')).ids).toEqual(ALL_DESC)
  })
})

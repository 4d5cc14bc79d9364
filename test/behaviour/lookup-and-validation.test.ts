import { describe, expect, test } from 'vitest'
import { byVersion, describeEachVersion } from '../support/each-version.js'
import { API, api, json } from '../support/gitlab.js'

describeEachVersion('lookup and validation', (version, gitlab) => {
  const NOT_FOUND_RECORD = { message: '404 Not found' }
  const NO_PROJECT = { message: '404 Project Not Found' }
  const NO_ROUTE = { error: '404 Not Found' }

  async function expectAnswer(path: string, status: number, body: unknown, method = 'GET'): Promise<void> {
    const before = gitlab.store.snapshot()
    const response = await api(path, 'maintainer', { method })
    expect(response.status, path).toBe(status)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await json(response), path).toEqual(body)
    // A refused request changes nothing.
    expect(gitlab.store.snapshot()).toEqual(before)
  }

  describe('project lookup (find_project!)', () => {
    test.each([
      ['/projects/1/jobs/8', 'numeric id'],
      ['/projects/foo%2Fbar/jobs/8', 'URL-encoded path'],
      ['/projects/FOO%2FBar/jobs/8', 'path in another case'],
      ['/projects/01/jobs/8', 'id with a leading zero'],
    ])('%s (%s) finds project 1', async (path) => {
      const response = await api(path)
      expect(response.status).toBe(200)
      expect(((await json(response)) as { id: number }).id).toBe(8)
    })

    test.each([
      ['/projects/999/jobs', 'unknown id'],
      ['/projects/nope%2Fnope/jobs', 'unknown path'],
      ['/projects/bar/jobs', 'a name without a namespace is not looked up'],
      ['/projects/1abc/jobs', 'neither digits nor a path'],
    ])('%s (%s) is 404 Project Not Found', (path) => expectAnswer(path, 404, NO_PROJECT))

    test('a raw slash in :id matches no route: the catch-all 404', () =>
      expectAnswer('/projects/foo/bar/jobs', 404, NO_ROUTE))
  })

  describe('job and pipeline lookup (find_build!, ci_pipelines.find)', () => {
    test('an unknown job is 404 Not found (lowercase f)', () =>
      expectAnswer('/projects/1/jobs/9999', 404, NOT_FOUND_RECORD))
    test('a job of another project is 404 Not found', () =>
      expectAnswer('/projects/1/jobs/20', 404, NOT_FOUND_RECORD))
    test('the trace of an unknown job is 404 Not found', () =>
      expectAnswer('/projects/1/jobs/9999/trace', 404, NOT_FOUND_RECORD))
    test('an unknown pipeline is 404 Not found', () =>
      expectAnswer('/projects/1/pipelines/999/jobs', 404, NOT_FOUND_RECORD))
    test('a pipeline of another project is 404 Not found', () =>
      expectAnswer('/projects/1/pipelines/9/jobs', 404, NOT_FOUND_RECORD))
    test('a negative job id is a valid integer that finds nothing', () =>
      expectAnswer('/projects/1/jobs/-1', 404, NOT_FOUND_RECORD))
  })

  describe('parameter validation (Grape)', () => {
    test.each([
      ['/projects/1/jobs/abc', 'job_id is invalid'],
      ['/projects/1/jobs/1.5', 'job_id is invalid'],
      ['/projects/1/jobs/abc/trace', 'job_id is invalid'],
      ['/projects/1/pipelines/x/jobs', 'pipeline_id is invalid'],
      ['/projects/1/jobs?page=abc', 'page is invalid'],
      ['/projects/1/jobs?per_page=ten', 'per_page is invalid'],
      ['/projects/1/jobs?page[]=1', 'page is invalid'],
      ['/projects/1/jobs?scope=bogus', 'scope does not have a valid value'],
      [
        '/projects/1/jobs?scope=bogus&page=x&per_page=y',
        'scope does not have a valid value, page is invalid, per_page is invalid',
      ],
      [
        '/projects/1/pipelines/x/jobs?scope=bogus&page=x',
        'pipeline_id is invalid, scope does not have a valid value, page is invalid',
      ],
    ])('%s is 400 "%s"', (path, error) => expectAnswer(path, 400, { error }))

    test('validation runs before the project lookup', () =>
      expectAnswer('/projects/999/jobs/abc', 400, { error: 'job_id is invalid' }))

    test('integers as Ruby reads them: signs, spaces and underscores', async () => {
      for (const path of [
        '/projects/1/jobs/+8',
        '/projects/1/jobs/0_8',
        '/projects/1/jobs?page=%201%20&per_page=1_0',
      ]) {
        expect((await api(path)).status, path).toBe(200)
      }
    })
  })

  describe('routes', () => {
    test.each([
      ['/projects/1/jobs', 'POST'],
      ['/projects/1/jobs/8', 'DELETE'],
      ['/projects/1/jobs/8/trace', 'PUT'],
    ])('%s with %s is the catch-all 404', (path, method) => expectAnswer(path, 404, NO_ROUTE, method))

    test.each(['/nope', '/projects', '/projects/1/jobs/8/unknown', '/'])('%s is the catch-all 404', (path) =>
      expectAnswer(path, 404, NO_ROUTE),
    )

    test('HEAD answers like GET, without a body', async () => {
      const response = await api('/projects/1/jobs?per_page=2', 'maintainer', { method: 'HEAD' })
      expect(response.status).toBe(200)
      // The project jobs list counts in 13.0, never today (gitlab-jobs-latest.md §1 row 11).
      expect(response.headers.get('x-total')).toBe(byVersion(version, { '13.0': '14', latest: null }))
      expect(response.headers.get('x-per-page')).toBe('2')
      expect(await response.text()).toBe('')
    })

    test('a trailing slash is accepted', async () => {
      expect((await api('/projects/1/jobs/8/')).status).toBe(200)
    })

    test('a malformed query string is a 400, not a crash', async () => {
      const response = await fetch(`${API}/projects/1/jobs?scope=%E0%A4%A`, {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
      })
      expect(response.status).toBe(400)
      expect(await json(response)).toEqual({ error: '400 Bad Request' })
    })
  })

  describe('malformed percent-encoding in the path', () => {
    test.each(['/projects/foo%ZZbar/jobs', '/projects/1/jobs/%E0%A4%A/trace'])(
      '%s is a 400, never a 500',
      async (path) => {
        const response = await api(path)
        expect([response.status, await json(response)]).toEqual([400, { error: '400 Bad Request' }])
      },
    )
  })
})

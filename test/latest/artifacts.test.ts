import { describe, expect, test } from 'vitest'
import { body, call, useBothVersions } from '../support/versions.js'
import { both, latest as latestFixture } from './fixtures.js'

/**
 * The job artifacts routes only today's GitLab has (lib/api/ci/job_artifacts.rb): the archive's
 * tree, and the expiry of a project's artifacts. 13.0 answers neither.
 */

const { v13, latest } = useBothVersions({
  v13: { dataset: 'empty', fixtures: [both()] },
  latest: { dataset: 'empty', fixtures: [latestFixture()] },
})

const ALICE = { 'PRIVATE-TOKEN': 'alice-token' }
const DAVE = { 'PRIVATE-TOKEN': 'dave-token' }

type Entry = { name: string; path: string; type: string; size?: number; mode: string | null }

async function tree(query = '', headers: Record<string, string> = ALICE, job = 101) {
  const response = await call(latest, `/projects/1/jobs/${job}/artifacts/tree${query}`, headers)
  return { response, text: await response.text() }
}

describe('GET /projects/:id/jobs/:job_id/artifacts/tree', () => {
  test('the root: its folders first, then its files; JobArtifactEntry keys, a folder without size', async () => {
    const { response, text } = await tree()
    expect(response.status).toBe(200)
    const entries = JSON.parse(text) as Entry[]
    expect(entries.map((e) => e.path)).toEqual(['coverage/', 'dist/', 'README.md'])
    expect(
      text.startsWith('[{"name":"coverage","path":"coverage/","type":"directory","mode":"040755"},'),
    ).toBe(true)
    expect(entries[2]).toEqual({
      name: 'README.md',
      path: 'README.md',
      type: 'file',
      size: 10,
      mode: '100644',
    })
    // Kaminari.paginate_array: counted pages.
    expect(response.headers.get('x-total')).toBe('3')
    expect(response.headers.get('x-total-pages')).toBe('1')
  })

  test('a folder, with or without its slash; recursive lists everything below, in the archive order', async () => {
    for (const path of ['coverage', 'coverage/']) {
      const { text } = await tree(`?path=${path}`)
      expect((JSON.parse(text) as Entry[]).map((e) => [e.name, e.type])).toEqual([
        ['lcov', 'directory'],
        ['index.html', 'file'],
      ])
    }
    const { text } = await tree('?recursive=true')
    expect((JSON.parse(text) as Entry[]).map((e) => e.path)).toEqual([
      'README.md',
      'coverage/',
      'coverage/index.html',
      'coverage/lcov/',
      'coverage/lcov/info.txt',
      'dist/',
      'dist/app.js',
    ])
    const blank = await tree('?path=%20')
    expect((JSON.parse(blank.text) as Entry[]).length).toBe(3)
  })

  test('pages of entries, with their Link', async () => {
    const { response, text } = await tree('?recursive=true&per_page=3&page=2')
    expect((JSON.parse(text) as Entry[]).map((e) => e.path)).toEqual([
      'coverage/lcov/',
      'coverage/lcov/info.txt',
      'dist/',
    ])
    expect(response.headers.get('x-next-page')).toBe('3')
    expect(response.headers.get('link')).toContain(
      '/api/v4/projects/1/jobs/101/artifacts/tree?id=1&job_id=101&page=3&path=&per_page=3&recursive=true>; rel="next"',
    )
  })

  test('its 404s: no path, no metadata, no archive (or an expired one), no job', async () => {
    const cases: [string, number, string][] = [
      ['?path=nowhere', 101, '{"message":"404 Path Not Found"}'],
      ['?path=README.md', 101, '{"message":"404 Path Not Found"}'],
      ['', 102, '{"message":"404 Artifacts metadata Not Found"}'],
      ['', 103, '{"message":"404 Artifacts Not Found"}'],
      ['', 999, '{"message":"404 Not found"}'],
    ]
    for (const [query, job, expected] of cases) {
      const { response, text } = await tree(query, ALICE, job)
      expect(response.status, `${job}${query}`).toBe(404)
      expect(text).toBe(expected)
    }
    const job = latest.store.jobs.get(101)
    if (!job) throw new Error('no job 101')
    latest.store.updateJob(job, { artifacts_expire_at: latest.clock.now() - 1000 })
    expect((await tree()).text).toBe('{"message":"404 Artifacts Not Found"}')
  })

  test("bad params: Grape's 400, all of them, job_id first", async () => {
    const cases: [string, string][] = [
      ['?recursive=maybe', '{"error":"recursive is invalid"}'],
      ['?per_page=0', '{"error":"per_page has a value not allowed"}'],
      ['?page=x', '{"error":"page is invalid"}'],
      ['?path[]=a', '{"error":"path is invalid"}'],
      ['?recursive=2&per_page=0', '{"error":"recursive is invalid, per_page has a value not allowed"}'],
    ]
    for (const [query, expected] of cases) {
      const { response, text } = await tree(query)
      expect(response.status, query).toBe(400)
      expect(text).toBe(expected)
    }
    const badJob = await call(latest, '/projects/1/jobs/x/artifacts/tree?recursive=maybe', ALICE)
    expect(await badJob.text()).toBe('{"error":"job_id is invalid, recursive is invalid"}')
  })

  test('anonymous on a private project: 404 Project Not Found (GET needs no login); a job token of the project reads it', async () => {
    expect((await tree('', {})).text).toBe('{"message":"404 Project Not Found"}')
    expect((await tree('', { 'JOB-TOKEN': 'tok-running' })).response.status).toBe(200)
  })

  test('13.0: `tree` is a file of the archive, as any other name is', async () => {
    const asFile = await call(v13, '/projects/1/jobs/101/artifacts/tree', ALICE)
    const other = await call(v13, '/projects/1/jobs/101/artifacts/no-such-file', ALICE)
    expect(asFile.status).toBe(other.status)
    expect(await asFile.text()).toBe(await other.text())
    expect(asFile.status).toBe(404)
  })
})

describe('DELETE /projects/:id/artifacts', () => {
  /** A ref with three pipelines: an old success, the latest success, and a newer failure. */
  function seedRef(fake: typeof latest) {
    const at = (h: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + h * 3_600_000).toISOString()
    const make = (id: number, status: string) =>
      fake.seed.pipeline({
        project: 1,
        id,
        ref: 'release',
        commit: null,
        created_at: at(id),
        jobs: [
          {
            id: id * 10,
            name: 'build',
            status,
            artifacts: [{ file_type: 'archive' }, { file_type: 'trace' }],
          },
        ],
      })
    make(50, 'success')
    make(51, 'success')
    make(52, 'failed')
  }

  test('latest: 202 Accepted; the unlocked rows expire now and go at the next expiry run, the trace and the locked pipelines stay', async () => {
    seedRef(latest)
    const response = await call(latest, '/projects/1/artifacts', ALICE, { method: 'DELETE' })
    expect(response.status).toBe(202)
    expect(await response.text()).toBe('{"message":"202 Accepted"}')
    const now = latest.clock.now()
    expect(latest.store.jobs.get(500)?.artifacts.map((a) => [a.file_type, a.expire_at])).toEqual([
      ['archive', now],
      ['trace', undefined],
    ])
    // The build's column is left as it was.
    const before = (await body(await call(latest, '/projects/1/jobs/500', ALICE))) as Record<string, unknown>
    expect(before.artifacts_expire_at).toBeNull()
    latest.clock.advance('1h')
    latest.artifacts.expire()
    const types = (id: number) => latest.store.jobs.get(id)?.artifacts.map((a) => a.file_type)
    expect(types(500)).toEqual(['trace'])
    expect(types(510)).toEqual(['archive', 'trace'])
    expect(types(520)).toEqual(['archive', 'trace'])
    // Pipeline 10 (main) never succeeded: its artifacts stay locked.
    expect(types(101)).toEqual(['archive', 'metadata'])
    const after = (await body(await call(latest, '/projects/1/jobs/500', ALICE))) as Record<string, unknown>
    expect(after.artifacts).toEqual([
      { file_type: 'trace', size: expect.any(Number), filename: 'job.log', file_format: 'raw' },
    ])
  })

  test('latest: state() keeps the rows’ own expiry; a fake loaded from it answers alike', async () => {
    seedRef(latest)
    await call(latest, '/projects/1/artifacts', ALICE, { method: 'DELETE' })
    const state = latest.state()
    const { createGitLabFake } = await import('../../src/index.js')
    const copy = createGitLabFake({
      gitlab: 'latest',
      dataset: 'empty',
      now: latest.clock.now(),
      fixtures: [state],
    })
    expect(copy.state()).toEqual(state)
    copy.clock.advance('1h')
    copy.artifacts.expire()
    expect(copy.store.jobs.get(500)?.artifacts.map((a) => a.file_type)).toEqual(['trace'])
  })

  test('latest: who may not: anonymous 401, a Developer 403, an unknown project 404; nothing changes', async () => {
    seedRef(latest)
    const cases: [Record<string, string>, string, number, string][] = [
      [{}, '/projects/1/artifacts', 401, '{"message":"401 Unauthorized"}'],
      [DAVE, '/projects/1/artifacts', 403, '{"message":"403 Forbidden"}'],
      [ALICE, '/projects/77/artifacts', 404, '{"message":"404 Project Not Found"}'],
      [{ 'JOB-TOKEN': 'tok-running' }, '/projects/1/artifacts', 401, '{"message":"401 Unauthorized"}'],
    ]
    for (const [headers, path, status, text] of cases) {
      const response = await call(latest, path, headers, { method: 'DELETE' })
      expect(response.status).toBe(status)
      expect(await response.text()).toBe(text)
    }
    expect(latest.store.jobs.get(500)?.artifacts.every((a) => a.expire_at === undefined)).toBe(true)
  })

  test('13.0: the catch-all 404, and nothing expires', async () => {
    seedRef(v13)
    const response = await call(v13, '/projects/1/artifacts', ALICE, { method: 'DELETE' })
    expect(response.status).toBe(404)
    expect(await response.text()).toBe('{"error":"404 Not Found"}')
    expect(v13.store.jobs.get(500)?.artifacts.every((a) => a.expire_at === undefined)).toBe(true)
  })
})

import { describe, expect, test } from 'vitest'
import type { JobRecord } from '../../src/index.js'
import { createGitLabFake, gitlab13_0, gitlabLatest, gitlabVersions } from '../../src/index.js'
import { COMMIT_KEYS, JOB_KEYS, USER_KEYS } from '../contract/latest/entity-keys.js'
import { API, api, json, useGitLab } from '../support/gitlab.js'
import { seedJob, stored } from '../support/jobs.js'
import { refusal } from '../support/refusal.js'

/**
 * `gitlab: 'latest'` answers as today's GitLab does (lib/api/ci/jobs.rb, lib/api/ci/pipelines.rb
 * at gitlabhq 41946e65), beside 13.0, the default. The 13.0 side of each difference is asserted
 * where 13.0 is tested.
 */

const gitlab = useGitLab({ gitlab: 'latest' })

describe('choosing the version', () => {
  test('13.0 and latest are the versions there are; 13.0 is the default', () => {
    expect(gitlabVersions).toEqual(['13.0', 'latest'])
    expect(createGitLabFake().store).toBeDefined()
  })

  test('an unknown version is refused, naming the versions there are', () => {
    const error = refusal(() => createGitLabFake({ gitlab: '16.0' as 'latest' }), Error)
    expect(error.message).toBe(
      'gitlab-fake: unknown GitLab version "16.0"; the versions the fake answers as: 13.0, latest',
    )
  })

  test('gitlab and profile together are refused; profile alone still works', async () => {
    const error = refusal(() => createGitLabFake({ gitlab: 'latest', profile: gitlab13_0 }), TypeError)
    expect(error.message).toBe('gitlab-fake: give either gitlab or profile, not both')
    expect(createGitLabFake({ profile: gitlabLatest }).store).toBeDefined()
  })

  test("latest's one feature flag is the downloads' ETag: naming another throws", () => {
    const error = refusal(
      () => createGitLabFake({ gitlab: 'latest', featureFlags: { api_kaminari_count_with_limit: true } }),
      TypeError,
    )
    expect(error.message).toBe(
      'gitlab-fake: unknown feature flag "api_kaminari_count_with_limit"; GitLab latest flags the fake knows: workhorse_download_etag_caching',
    )
  })
})

describe('statuses (app/models/concerns/ci/has_status.rb)', () => {
  test.each(['canceling', 'waiting_for_callback'])(
    'scope=%s is a status today (none is seeded)',
    async (scope) => {
      const response = await api(`/projects/1/jobs?scope=${scope}`)
      expect(response.status).toBe(200)
      expect(await json(response)).toEqual([])
    },
  )

  test('an unknown scope is still a 400', async () => {
    const response = await api('/projects/1/jobs?scope=bogus')
    expect(response.status).toBe(400)
    expect(await json(response)).toEqual({ error: 'scope does not have a valid value' })
  })
})

describe('token scopes (lib/api/api.rb)', () => {
  test('read_api reads with HEAD too (`request.get? || request.head?`), and still may not act', async () => {
    const headers = { 'PRIVATE-TOKEN': 'read-api-token' }
    expect((await fetch(`${API}/projects/1/jobs/8`, { method: 'HEAD', headers })).status).toBe(200)
    const retry = await fetch(`${API}/projects/1/jobs/8/retry`, { method: 'POST', headers })
    expect(retry.status).toBe(403)
  })
})

describe('error messages (lib/api/helpers.rb `render_api_error_with_reason!`: one space)', () => {
  async function post(id: number, action: string, token: 'maintainer' | 'reporter' = 'maintainer') {
    const response = await api(`/projects/1/jobs/${id}/${action}`, token, { method: 'POST' })
    return [response.status, await json(response)]
  }

  test('retry of a job that is not retryable: 403 Forbidden - Job is not retryable', async () => {
    const job = seedJob(gitlab, { status: 'pending' })
    expect(await post(job.id, 'retry')).toEqual([403, { message: '403 Forbidden - Job is not retryable' }])
    expect(stored(gitlab, job.id)).toEqual(job)
  })

  test('erase of a job with nothing to erase: 403 Forbidden - Job is not erasable!', async () => {
    const job = seedJob(gitlab, { status: 'success', trace: null })
    expect(await post(job.id, 'erase')).toEqual([403, { message: '403 Forbidden - Job is not erasable!' }])
    expect(stored(gitlab, job.id)).toEqual(job)
  })

  test('play of a job that is no action: 400 Bad request - Unplayable Job', async () => {
    const job = seedJob(gitlab, { status: 'success' })
    expect(await post(job.id, 'play')).toEqual([400, { message: '400 Bad request - Unplayable Job' }])
    expect(stored(gitlab, job.id)).toEqual(job)
  })

  test('a blocked user, and sudo by a non-admin', async () => {
    gitlab.seed.user({ username: 'blocked', state: 'blocked', tokens: ['blocked-token'], admin: true })
    const blocked = await fetch(`${API}/projects/1/jobs`, { headers: { 'PRIVATE-TOKEN': 'blocked-token' } })
    expect([blocked.status, await json(blocked)]).toEqual([
      403,
      { message: '403 Forbidden - Your account has been blocked.' },
    ])
    const sudo = await fetch(`${API}/projects/1/jobs`, {
      headers: { 'PRIVATE-TOKEN': 'developer-token', Sudo: 'root' },
    })
    expect([sudo.status, await json(sudo)]).toEqual([
      403,
      { message: '403 Forbidden - Must be admin to use sudo' },
    ])
  })

  test("the messages without a reason are 13.0's", async () => {
    const job = seedJob(gitlab, { status: 'success' })
    expect(await post(job.id, 'retry', 'reporter')).toEqual([403, { message: '403 Forbidden' }])
    const raw = await api('/projects/1/jobs/18/artifacts/dist/app%00.js')
    expect([raw.status, await json(raw)]).toEqual([400, { message: '400 Bad request' }])
  })
})

describe('per_page=0 (lib/api/pagination_params.rb: `except_values: [0]`)', () => {
  test.each(['/projects/1/jobs', '/projects/1/pipelines/7/jobs'])('%s?per_page=0: 400', async (path) => {
    const response = await api(`${path}?per_page=0`)
    expect([response.status, await json(response)]).toEqual([
      400,
      { error: 'per_page has a value not allowed' },
    ])
  })

  test('with the other params, in declaration order; a negative per_page is still let through', async () => {
    const response = await api('/projects/1/jobs?per_page=0&scope=bogus&page=x')
    expect([response.status, await json(response)]).toEqual([
      400,
      { error: 'scope does not have a valid value, page is invalid, per_page has a value not allowed' },
    ])
    const negative = await api('/projects/1/jobs?per_page=-5')
    expect(negative.status).toBe(200)
    expect(negative.headers.get('x-per-page')).toBe('20')
  })
})

describe('the project jobs list, without counts (lib/api/ci/jobs.rb: `without_count: true`)', () => {
  const JOBS = `${API}/projects/1/jobs`

  async function page(path: string) {
    const response = await api(path)
    expect(response.status).toBe(200)
    const names = ['x-per-page', 'x-page', 'x-next-page', 'x-prev-page', 'x-total', 'x-total-pages']
    return {
      ids: ((await json(response)) as { id: number }[]).map((j) => j.id),
      headers: Object.fromEntries(names.map((n) => [n, response.headers.get(n)])),
      link: response.headers.get('link'),
    }
  }

  test('the first page: no X-Total, no X-Total-Pages, no rel="last"', async () => {
    const p = await page('/projects/1/jobs?per_page=5')
    expect(p.ids).toEqual([19, 18, 17, 16, 15])
    expect(p.headers).toEqual({
      'x-per-page': '5',
      'x-page': '1',
      'x-next-page': '2',
      'x-prev-page': '',
      'x-total': null,
      'x-total-pages': null,
    })
    expect(p.link).toBe(
      `<${JOBS}?id=1&page=2&per_page=5>; rel="next", <${JOBS}?id=1&page=1&per_page=5>; rel="first"`,
    )
  })

  test('the last page has no next; past the end, [] and no prev', async () => {
    const last = await page('/projects/1/jobs?per_page=5&page=3')
    expect(last.ids).toEqual([9, 8, 7, 6])
    expect(last.headers).toMatchObject({
      'x-page': '3',
      'x-next-page': '',
      'x-prev-page': '2',
      'x-total': null,
    })
    expect(last.link).toBe(
      `<${JOBS}?id=1&page=2&per_page=5>; rel="prev", <${JOBS}?id=1&page=1&per_page=5>; rel="first"`,
    )
    const past = await page('/projects/1/jobs?per_page=5&page=9')
    expect(past.ids).toEqual([])
    expect(past.headers).toMatchObject({ 'x-page': '9', 'x-next-page': '', 'x-prev-page': '' })
    expect(past.link).toBe(`<${JOBS}?id=1&page=1&per_page=5>; rel="first"`)
  })

  test('a page that ends exactly at the last job has no next', async () => {
    const p = await page('/projects/1/jobs?per_page=7&page=2')
    expect(p.ids).toEqual([12, 11, 10, 9, 8, 7, 6])
    expect(p.headers['x-next-page']).toBe('')
  })
})

describe('the count limit always applies (the api_kaminari_count_with_limit flag is gone)', () => {
  test('a pipeline of 10,001 jobs lists without counts; one of 10,000 with them', async () => {
    gitlab.load({
      users: [{ username: 'big', tokens: ['big-token'] }],
      projects: [
        {
          path: 'big/monorepo',
          members: [{ user: 'big', access_level: 'maintainer' }],
          pipelines: [10_001, 10_000].map((n) => ({
            ref: 'main',
            user: null,
            jobs: Array.from({ length: n }, () => ({ name: 'shard', status: 'success', trace: null })),
          })),
        },
      ],
    })
    const [big, small] = [...gitlab.store.pipelines.values()].filter((p) => p.ref === 'main').slice(-2)
    const totals = []
    for (const pipeline of [big, small]) {
      const response = await fetch(
        `${API}/projects/big%2Fmonorepo/pipelines/${pipeline?.id}/jobs?per_page=1`,
        {
          headers: { 'PRIVATE-TOKEN': 'big-token' },
        },
      )
      await response.arrayBuffer()
      totals.push([response.headers.get('x-total'), response.headers.get('x-next-page')])
    }
    expect(totals).toEqual([
      [null, '2'],
      ['10000', '2'],
    ])
  })
})

describe('pipeline jobs (lib/api/ci/pipelines.rb, Ci::JobsFinder): newest first, retried jobs left out', () => {
  async function list(path: string, token: 'maintainer' | 'outsider' = 'maintainer') {
    const response = await api(path, token)
    const body = await json(response)
    return {
      status: response.status,
      body,
      ids: Array.isArray(body) ? (body as { id: number }[]).map((j) => j.id) : [],
      total: response.headers.get('x-total'),
      links: response.headers.get('link'),
    }
  }

  function pipelineWithRetry() {
    const { pipeline, jobs } = gitlab.seed.pipeline({
      project: 1,
      ref: 'feature/retries',
      user: 'developer',
      jobs: [
        { name: 'rspec', status: 'failed' },
        { name: 'lint', status: 'success' },
      ],
    })
    return { pipeline, rspec: jobs[0]?.id as number, lint: jobs[1]?.id as number }
  }

  test('id DESC, with the counts; the Link carries include_retried=false', async () => {
    const p = await list('/projects/1/pipelines/7/jobs?per_page=4&page=2')
    expect(p.ids).toEqual([13, 12, 11, 10])
    expect(p.total).toBe('9')
    expect(p.links).toContain(
      `<${API}/projects/1/pipelines/7/jobs?id=1&include_retried=false&page=3&per_page=4&pipeline_id=7>; rel="next"`,
    )
  })

  test('a retried job is left out; include_retried=true lists it, still newest first', async () => {
    const { pipeline, rspec, lint } = pipelineWithRetry()
    const retry = await api(`/projects/1/jobs/${rspec}/retry`, 'maintainer', { method: 'POST' })
    const clone = ((await json(retry)) as { id: number }).id
    expect((await list(`/projects/1/pipelines/${pipeline.id}/jobs`)).ids).toEqual([clone, lint])
    const all = await list(`/projects/1/pipelines/${pipeline.id}/jobs?include_retried=true`)
    expect([all.ids, all.total]).toEqual([[clone, lint, rspec], '3'])
    expect((await list(`/projects/1/pipelines/${pipeline.id}/jobs?include_retried=0`)).ids).toEqual([
      clone,
      lint,
    ])
    // The project's list is every build, retried ones included.
    expect((await list('/projects/1/jobs?per_page=3')).ids).toEqual([clone, lint, rspec])
  })

  test.each(['maybe', 'TRUE ', '2'])('include_retried=%s: 400 include_retried is invalid', async (value) => {
    const p = await list(`/projects/1/pipelines/7/jobs?include_retried=${encodeURIComponent(value)}&page=x`)
    expect([p.status, p.body]).toEqual([400, { error: 'include_retried is invalid, page is invalid' }])
  })

  test('who may read the pipeline but not its jobs gets 200 [] (13.0: 403)', async () => {
    const project = gitlab.seed.project({
      path: 'acme/closed-ci',
      visibility: 'public',
      public_builds: false,
    })
    const { pipeline } = gitlab.seed.pipeline({ project: project.id, jobs: [{ name: 'rspec' }] })
    const p = await list(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`, 'outsider')
    expect([p.status, p.body, p.total]).toEqual([200, [], '0'])
    // The pipeline is still looked for first.
    const missing = await list(`/projects/${project.id}/pipelines/999/jobs`, 'outsider')
    expect([missing.status, missing.body]).toEqual([404, { message: '404 Not found' }])
  })
})

describe('the trace, a byte window at a time (`byte_offset`, `byte_limit`)', () => {
  const TRACE = 'héllo\nworld\n'

  async function trace(query: string, id?: number) {
    const jobId = id ?? seedJob(gitlab, { status: 'failed', trace: TRACE }).id
    const response = await api(`/projects/1/jobs/${jobId}/trace${query}`)
    const bytes = new Uint8Array(await response.arrayBuffer())
    return [response.status, response.status === 200 ? bytes : JSON.parse(new TextDecoder().decode(bytes))]
  }
  const utf8 = (s: string) => new TextEncoder().encode(s)

  test.each([
    ['', TRACE],
    ['?byte_offset=1&byte_limit=2', 'é'],
    ['?byte_limit=3', 'hé'],
    ['?byte_offset=7', 'world\n'],
    ['?byte_offset=13', ''],
    ['?byte_offset=99&byte_limit=512000', ''],
  ])('%s', async (query, body) => {
    expect(await trace(query)).toEqual([200, utf8(body)])
  })

  test('the window is in bytes: it may cut a character in two', async () => {
    expect(await trace('?byte_offset=2&byte_limit=2')).toEqual([200, new Uint8Array([0xa9, 0x6c])])
  })

  test('a job with no log: empty, whatever the window', async () => {
    const id = seedJob(gitlab, { status: 'success', trace: null }).id
    expect(await trace('?byte_offset=0&byte_limit=10', id)).toEqual([200, utf8('')])
  })

  test.each([
    ['?byte_offset=-1', 'byte_offset does not have a valid value'],
    ['?byte_limit=0', 'byte_limit does not have a valid value'],
    ['?byte_limit=512001', 'byte_limit does not have a valid value'],
    ['?byte_offset=x&byte_limit=y', 'byte_offset is invalid, byte_limit is invalid'],
  ])('%s: 400', async (query, error) => {
    expect(await trace(query)).toEqual([400, { error }])
  })

  test('job_id is declared first', async () => {
    const response = await api('/projects/1/jobs/x/trace?byte_offset=-1')
    expect([response.status, await json(response)]).toEqual([
      400,
      { error: 'job_id is invalid, byte_offset does not have a valid value' },
    ])
  })
})

describe('retry and play (app/models/ci/processable.rb `retryable?`, Ci::PlayBuildService)', () => {
  async function post(id: number, action: string) {
    const response = await api(`/projects/1/jobs/${id}/${action}`, 'maintainer', { method: 'POST' })
    return { status: response.status, body: (await json(response)) as Record<string, unknown> }
  }

  test('a job retried already is not retryable; its clone, once finished, is', async () => {
    const job = seedJob(gitlab, { status: 'failed' })
    const first = await post(job.id, 'retry')
    expect(first.status).toBe(201)
    const before = stored(gitlab, job.id)
    const jobs = gitlab.store.jobs.size
    expect(await post(job.id, 'retry')).toEqual({
      status: 403,
      body: { message: '403 Forbidden - Job is not retryable' },
    })
    expect([stored(gitlab, job.id), gitlab.store.jobs.size]).toEqual([before, jobs])
    const clone = first.body.id as number
    gitlab.runner.start(clone)
    gitlab.runner.finish(clone, { status: 'failed' })
    expect((await post(clone, 'retry')).status).toBe(201)
  })

  test('play of a finished action answers the new job', async () => {
    const job = seedJob(gitlab, { status: 'success', when: 'manual' })
    const { status, body } = await post(job.id, 'play')
    const newest = Math.max(...gitlab.store.jobs.keys())
    expect(status).toBe(200)
    expect(body).toMatchObject({ id: newest, status: 'pending', user: { username: 'maintainer' } })
    expect(stored(gitlab, job.id)).toMatchObject({ status: 'success', retried: true })
  })

  test('play of a manual job answers the same job; a retried action is no longer playable', async () => {
    const manual = seedJob(gitlab, { status: 'manual', when: 'manual' })
    expect((await post(manual.id, 'play')).body).toMatchObject({ id: manual.id, status: 'pending' })
    const done = seedJob(gitlab, { status: 'success', when: 'manual' })
    expect((await post(done.id, 'play')).status).toBe(200)
    expect(await post(done.id, 'play')).toEqual({
      status: 400,
      body: { message: '400 Bad request - Unplayable Job' },
    })
  })
})

describe('the project jobs list by ref (`optional :ref`, `builds.with_ref`)', () => {
  function idsOfRef(ref: string) {
    return [...gitlab.store.jobs.values()]
      .filter((j) => j.project_id === 1 && j.ref === ref)
      .map((j) => j.id)
      .sort((a, b) => b - a)
  }

  test('ref=main lists that ref only, newest first; the Link keeps the ref', async () => {
    const response = await api('/projects/1/jobs?ref=main&per_page=2')
    const ids = ((await json(response)) as { id: number }[]).map((j) => j.id)
    const expected = idsOfRef('main')
    expect(expected.length).toBeGreaterThan(2)
    expect(ids).toEqual(expected.slice(0, 2))
    expect(response.headers.get('link')).toContain(
      `${API}/projects/1/jobs?id=1&page=2&per_page=2&ref=main>; rel="next"`,
    )
  })

  test('an exact match: a ref no job has lists nothing; a blank ref lists every job', async () => {
    expect(await json(await api('/projects/1/jobs?ref=mai'))).toEqual([])
    const all = (await json(await api('/projects/1/jobs?ref=%20'))) as unknown[]
    expect(all).toHaveLength(14)
  })

  test('with scope; a ref that is no String is invalid', async () => {
    const response = await api('/projects/1/jobs?ref=main&scope=failed')
    const jobs = (await json(response)) as { ref: string; status: string }[]
    expect(jobs.length).toBeGreaterThan(0)
    expect(jobs.every((j) => j.ref === 'main' && j.status === 'failed')).toBe(true)
    const bad = await api('/projects/1/jobs?ref[]=main&page=x')
    expect([bad.status, await json(bad)]).toEqual([400, { error: 'ref is invalid, page is invalid' }])
  })
})

describe('retry, erase and keep look for the job before asking the ability on it', () => {
  test.each([
    ['POST', 'retry'],
    ['POST', 'erase'],
    ['POST', 'artifacts/keep'],
  ])(
    '%s %s: a Reporter asking for a job that is not there gets 404, one that is there 403',
    async (method, action) => {
      const missing = await api(`/projects/1/jobs/999/${action}`, 'reporter', { method })
      expect([missing.status, await json(missing)]).toEqual([404, { message: '404 Not found' }])
      const there = await api(`/projects/1/jobs/8/${action}`, 'reporter', { method })
      expect([there.status, await json(there)]).toEqual([403, { message: '403 Forbidden' }])
    },
  )

  test.each([
    ['POST', 'cancel', 'reporter'],
    ['POST', 'play', 'guest'],
    // lib/api/ci/job_artifacts.rb: `authorize_delete_job_artifact!` before `find_build!`.
    ['DELETE', 'artifacts', 'reporter'],
  ] as const)(
    '%s %s still asks the project first: a %s gets 403 for a job that is not there',
    async (method, action, token) => {
      const response = await api(`/projects/1/jobs/999/${action}`, token, { method })
      expect([response.status, await json(response)]).toEqual([403, { message: '403 Forbidden' }])
    },
  )

  test('deleting artifacts: a Maintainer asking for a job that is not there gets 404', async () => {
    const response = await api('/projects/1/jobs/999/artifacts', 'maintainer', { method: 'DELETE' })
    expect([response.status, await json(response)]).toEqual([404, { message: '404 Not found' }])
  })
})

describe('entities (lib/api/entities/commit.rb)', () => {
  test('the commit adds trailers, extended_trailers and web_url', async () => {
    const job = (await json(await api('/projects/1/jobs/8'))) as { commit: Record<string, unknown> }
    expect(Object.keys(job.commit)).toEqual(COMMIT_KEYS)
    expect(job.commit).toMatchObject({
      trailers: {},
      extended_trailers: {},
      web_url: `https://gitlab.example.com/foo/bar/-/commit/${job.commit.id}`,
    })
  })
})

describe('the Job entity (lib/api/entities/ci/job_basic.rb, job.rb): 27 keys', () => {
  type Job = Record<string, unknown>
  const KEYS = JOB_KEYS
  const read = async (id: number) => (await json(await api(`/projects/1/jobs/${id}`))) as Job

  test('in expose order; failure_reason only on a failed job', async () => {
    const failed = seedJob(gitlab, {
      status: 'failed',
      created_at: '2026-01-01T10:00:00.000Z',
      started_at: '2026-01-01T10:00:04.500Z',
      finished_at: '2026-01-01T10:01:00.000Z',
    })
    const job = await read(failed.id)
    expect(Object.keys(job)).toEqual(KEYS.filter((k) => k !== 'artifacts_file'))
    expect(job).toMatchObject({
      erased_at: null,
      duration: 55.5,
      // queued when created, started 4.5 s later
      queued_duration: 4.5,
      failure_reason: 'script_failure',
      project: { ci_job_token_scope_enabled: false },
      runner_manager: null,
      archived: false,
      tag_list: [],
    })
    expect(Object.keys(await read(9))).toEqual(KEYS.filter((k) => k !== 'failure_reason'))
  })

  test('a job that was never queued has no queued_duration; a queued one counts it to now', async () => {
    const manual = seedJob(gitlab, { status: 'manual' })
    expect((await read(manual.id)).queued_duration).toBeNull()
    const pending = seedJob(gitlab, { status: 'pending', created_at: '2026-01-01T10:00:00.000Z' })
    const first = (await read(pending.id)).queued_duration as number
    gitlab.clock.advance('10s')
    const later = (await read(pending.id)).queued_duration as number
    expect(later - first).toBeGreaterThanOrEqual(10)
    expect(later - first).toBeLessThan(11)
  })

  test('playing a manual job queues it now; a failed run says script_failure', async () => {
    const manual = seedJob(gitlab, {
      status: 'manual',
      run: { status: 'failed', queued: '2s', duration: '1s' },
    })
    const played = await api(`/projects/1/jobs/${manual.id}/play`, 'maintainer', { method: 'POST' })
    expect(played.status).toBe(200)
    const queued = (await json(played)) as Job
    expect(queued.queued_duration).toBeGreaterThanOrEqual(0)
    expect(queued.queued_duration).toBeLessThan(1)
    gitlab.clock.advance('1m')
    const job = await read(manual.id)
    expect(job).toMatchObject({ status: 'failed', failure_reason: 'script_failure', queued_duration: 2 })
  })

  test('tag_list is sorted by name; archived and the project come from the records', async () => {
    const seeded = seedJob(gitlab, {})
    gitlab.store.updateJob(gitlab.store.jobs.get(seeded.id) as JobRecord, {
      tag_list: ['linux', 'docker'],
      archived: true,
    })
    expect(await read(seeded.id)).toMatchObject({ tag_list: ['docker', 'linux'], archived: true })
  })
})

describe('the pipeline, user and runner entities today', () => {
  type Entity = Record<string, unknown>
  type Job = { pipeline: Entity; user: Entity; runner: Entity }
  const read = async (id: number) => (await json(await api(`/projects/1/jobs/${id}`))) as Job

  test('PipelineBasic adds iid, project_id and source', async () => {
    const { pipeline } = await read(8)
    expect(Object.keys(pipeline)).toEqual([
      'id',
      'iid',
      'project_id',
      'sha',
      'ref',
      'status',
      'source',
      'created_at',
      'updated_at',
      'web_url',
    ])
    expect(pipeline).toMatchObject({ project_id: 1, source: 'push' })
    expect(pipeline.iid).toBeGreaterThan(0)
    const { jobs } = gitlab.seed.pipeline({ project: 1, jobs: [{}] })
    const next = (await read(jobs[0]?.id as number)).pipeline
    expect(next.iid).toBe(gitlab.store.pipelinesOf(1).length)
  })

  test('the user: id, username, name first; locked, discord, job_title, … after; no is_followed', async () => {
    const { user } = await read(8)
    expect(Object.keys(user)).toEqual(USER_KEYS)
    expect(user).toMatchObject({
      locked: false,
      discord: '',
      job_title: '',
      pronouns: null,
      bot: false,
      work_information: user.organization || null,
      followers: 0,
      following: 0,
      local_time: null,
    })
  })

  test('the runner: paused, runner_type, created_at, job_execution_status; ip_address is null', async () => {
    const { runner } = await read(11)
    expect(Object.keys(runner)).toEqual([
      'id',
      'description',
      'ip_address',
      'active',
      'paused',
      'is_shared',
      'runner_type',
      'name',
      'online',
      'created_at',
      'status',
      'job_execution_status',
    ])
    expect(runner).toMatchObject({
      id: 1,
      ip_address: null,
      active: true,
      paused: false,
      is_shared: true,
      runner_type: 'instance_type',
      job_execution_status: 'active',
    })
  })

  test("a finished job's runner turns idle when its running job ends (the kept JSON follows)", async () => {
    const finished = seedJob(gitlab, { status: 'success', runner: 1 })
    expect((await read(finished.id)).runner.job_execution_status).toBe('active')
    gitlab.store.updateJob(gitlab.store.jobs.get(11) as JobRecord, {
      status: 'success',
      finished_at: Date.now(),
    })
    expect((await read(finished.id)).runner.job_execution_status).toBe('idle')
  })
})

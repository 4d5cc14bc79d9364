import { readFileSync } from 'node:fs'
import { beforeEach, describe, expect, test } from 'vitest'
import { createGitLabFake, defaultDatasetLatest, type JobInput } from '../../../src/index.js'
import { API, api, BASE, useGitLab } from '../../support/gitlab.js'
import {
  ARTIFACT_ENTRY_KEYS,
  BRIDGE_KEYS,
  COMMIT_KEYS,
  JOB_KEYS,
  PIPELINE_KEYS,
  RUNNER_KEYS,
  RUNNER_MANAGER_KEYS,
  USER_KEYS,
} from './entity-keys.js'

/**
 * Each example response of today's doc/api/jobs.md and doc/api/job_artifacts.md (gitlabhq
 * 41946e65) that the fake answers, against the latest default dataset or a job seeded in the state
 * the example implies. Where GitLab's code differs from its doc, the expected value is the doc's
 * example with the drifts of ../drift-latest.md applied by id; nothing else of the example is
 * changed. The examples the fake cannot answer yet are pending rows of that table.
 */

type Json = Record<string, unknown>
const example = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./examples/${name}.json`, import.meta.url), 'utf8'))
const table = () => readFileSync(new URL('../drift-latest.md', import.meta.url), 'utf8')

/** The documented moment (L14): the artifacts of jobs 6 to 8 have not expired yet. */
const DOCUMENTED_NOW = Date.parse('2015-12-24T18:00:00.000Z')
let clock = DOCUMENTED_NOW
const gitlab = useGitLab({ gitlab: 'latest', now: () => clock })
beforeEach(() => {
  clock = DOCUMENTED_NOW
})

const SHA = '0ff3ae198f8601a285adcf5c0fff204ee6fba5fd'

function order(object: Json, keys: readonly string[]): Json {
  const extra = Object.keys(object).filter((k) => !keys.includes(k))
  if (extra.length) throw new Error(`unexpected keys ${extra.join(', ')}`)
  return Object.fromEntries(keys.filter((k) => k in object).map((k) => [k, object[k]]))
}

const nested = (job: Json, key: string, f: (value: Json) => Json): Json =>
  job[key] === null || job[key] === undefined ? job : { ...job, [key]: f(job[key] as Json) }

/** The commit of pipeline 6, as the latest dataset gives it beyond the doc's seven keys. */
const COMMIT_REST = {
  parent_ids: ['ae73cb07c9eeaf35924a10f713b364d32b2dd34f'],
  authored_date: '2015-12-24T16:51:14.000+01:00',
  committer_name: 'Administrator',
  committer_email: 'admin@example.com',
  committed_date: '2015-12-24T16:51:14.000+01:00',
}

const drifts = {
  L1: (job: Json): Json => {
    let ordered = order(job, JOB_KEYS)
    ordered = nested(ordered, 'user', (u) => order(u, USER_KEYS))
    ordered = nested(ordered, 'commit', (c) => order(c, COMMIT_KEYS))
    ordered = nested(ordered, 'pipeline', (p) => order(p, PIPELINE_KEYS))
    ordered = nested(ordered, 'runner_manager', (m) => order(m, RUNNER_MANAGER_KEYS))
    return nested(ordered, 'runner', (r) => order(r, RUNNER_KEYS))
  },
  L3: (job: Json): Json =>
    nested(
      { ...job, web_url: (job.web_url as string).replace('https://example.com', BASE) },
      'user',
      (u) => ({ ...u, web_url: (u.web_url as string).replace('http://gitlab.dev', BASE) }),
    ),
  L4: ({ source: _source, ...job }: Json): Json => job,
  // Pipeline 6's other PipelineBasic values: iid 1 (project 1's first pipeline), pushed; its
  // times are the doc's own, from the trigger jobs example.
  L5: (job: Json): Json =>
    nested(job, 'pipeline', (p) => ({
      ...p,
      iid: 1,
      source: 'push',
      created_at: '2015-12-24T15:50:16.123Z',
      updated_at: '2015-12-24T18:00:44.432Z',
      web_url: `${BASE}/foo/bar/-/pipelines/${p.id}`,
    })),
  L6: (job: Json): Json =>
    nested(job, 'commit', (c) => ({
      ...c,
      ...COMMIT_REST,
      trailers: {},
      extended_trailers: {},
      web_url: `${BASE}/foo/bar/-/commit/${c.id}`,
    })),
  // A user who set none of them: GitLab's column defaults.
  L7: (job: Json): Json =>
    nested(job, 'user', (u) => ({
      ...u,
      locked: false,
      skype: '',
      discord: '',
      job_title: '',
      pronouns: null,
      bot: false,
      work_information: null,
      followers: 0,
      following: 0,
      local_time: null,
    })),
  L8: (job: Json): Json =>
    nested(job, 'runner', (r) => ({
      ...r,
      created_at: '2015-01-01T00:00:00.000Z',
      job_execution_status: 'idle',
    })),
  // Job 7 as the list of project jobs shows it: runner 32 and its manager, tags, queued 10 ms.
  L9: (job: Json): Json => {
    const projectList = (example('list-project-jobs') as Json[]).find((j) => j.id === job.id) as Json
    return {
      ...job,
      runner: projectList.runner,
      runner_manager: projectList.runner_manager,
      tag_list: projectList.tag_list,
      queued_duration: projectList.queued_duration,
    }
  },
  L12: (job: Json): Json => ({ ...job, failure_reason: 'script_failure' }),
  // Runner manager 1 runs no job.
  L23: (job: Json): Json => nested(job, 'runner_manager', (m) => ({ ...m, job_execution_status: 'idle' })),
}

function asGitLab(job: Json): Json {
  return drifts.L1(drifts.L8(drifts.L7(drifts.L6(drifts.L5(drifts.L4(drifts.L3(drifts.L23(job))))))))
}

/** Same values and the same key order, everywhere in the tree. */
async function expectSameJson(response: Response, expected: unknown): Promise<void> {
  const text = await response.text()
  expect(JSON.parse(text)).toEqual(expected)
  expect(JSON.stringify(JSON.parse(text))).toBe(JSON.stringify(expected))
}

describe('documented examples (doc/api/jobs.md at gitlabhq 41946e65)', () => {
  test('List all jobs for a project: L11 asks scope[]=failed, page 2 at 2 a page', async () => {
    const documented = example('list-project-jobs') as Json[]
    expect(documented.map((j) => j.id)).toEqual([7, 6])
    const response = await api('/projects/1/jobs?scope[]=failed&per_page=2&page=2')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    await expectSameJson(response, documented.map(asGitLab))
  })

  test('List all jobs by pipeline: newest first (L10), as the project list shows them (L9)', async () => {
    const documented = example('list-pipeline-jobs') as Json[]
    expect(documented.map((j) => j.id)).toEqual([6, 7])
    const response = await api('/projects/1/pipelines/6/jobs?scope[]=failed')
    expect(response.status).toBe(200)
    // L10: job 8 comes first, then the documented two.
    const [first, ...rest] = JSON.parse(await response.text()) as Json[]
    expect(first?.id).toBe(8)
    const expected = documented.map((j) => asGitLab(drifts.L9(j))).reverse()
    expect(rest).toEqual(expected)
    expect(JSON.stringify(rest)).toBe(JSON.stringify(expected))
  })

  test('Retrieve a job by job ID: job 8 (L12)', async () => {
    const response = await api('/projects/1/jobs/8')
    expect(response.status).toBe(200)
    await expectSameJson(response, asGitLab(drifts.L12(example('get-job') as Json)))
  })

  test('Retrieve a log file for a job: job 8 as text/plain', async () => {
    const response = await api('/projects/1/jobs/8/trace')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect(response.headers.get('content-disposition')).toBe('infile; filename="8.log"')
    expect(await response.text()).toContain('bundle exec rubocop')
  })
})

/** The action examples are about job 1 (job 42 for keep), in pipeline 42 of foo/bar on main. */
const PIPELINE_CREATED = '2016-01-11T10:13:30.000Z'
const PIPELINE_UPDATED = '2016-01-11T10:13:33.506Z'
const MAINTAINER = {
  id: 2,
  username: 'maintainer',
  name: 'Morgan Maintainer',
  state: 'active',
  locked: false,
  avatar_url: 'https://www.gravatar.com/avatar/7f3a1d2ec5b0e4b8a9d6c1f0e2b3a4c5?s=80&d=identicon',
  web_url: `${BASE}/maintainer`,
  created_at: '2016-03-02T09:12:44.512Z',
  bio: null,
  location: null,
  public_email: '',
  skype: '',
  linkedin: '',
  twitter: '',
  discord: '',
  website_url: '',
  organization: '',
  job_title: '',
  pronouns: null,
  bot: false,
  work_information: null,
  followers: 0,
  following: 0,
  local_time: null,
}

function seed(id: number, pipelineStatus: string, job: JobInput): void {
  gitlab.seed.pipeline({
    project: 1,
    id: 42,
    ref: 'main',
    sha: SHA,
    status: pipelineStatus as 'failed',
    user: null,
    created_at: PIPELINE_CREATED,
    updated_at: PIPELINE_UPDATED,
    jobs: [
      {
        id,
        name: 'rubocop',
        stage: 'test',
        user: null,
        runner: null,
        created_at: '2016-01-11T10:13:33.506Z',
        ...job,
      },
    ],
  })
}

function pipeline42(status: string, updatedAt = PIPELINE_UPDATED): Json {
  return {
    id: 42,
    iid: 4,
    project_id: 1,
    sha: SHA,
    ref: 'main',
    status,
    source: 'push',
    created_at: PIPELINE_CREATED,
    updated_at: updatedAt,
    web_url: `${BASE}/foo/bar/-/pipelines/42`,
  }
}

/** L3 (web_url), L4 (no job source), L6 (the commit's other fields), L15 (always exposed). */
function action(name: string, pipeline: Json): Json {
  const doc = drifts.L6(drifts.L4(drifts.L3(example(name) as Json)))
  return { ...doc, pipeline, artifacts_expire_at: null, tag_list: [] }
}

const post = (path: string) => api(path, 'maintainer', { method: 'POST' })

describe('documented status codes (doc/api/jobs.md at 41946e65)', () => {
  test('Retrieve a log file for a job: L22, a job with no log answers 200 and nothing', async () => {
    const response = await api('/projects/1/jobs/12/trace')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
  })
})

describe('documented action examples (doc/api/jobs.md, doc/api/job_artifacts.md at 41946e65)', () => {
  test('Cancel a job: L15, L16', async () => {
    clock = Date.parse('2016-01-11T10:14:09.526Z')
    seed(1, 'running', {
      status: 'running',
      started_at: '2016-01-11T10:14:09.526Z',
      finished_at: null,
      queued_duration: 0.01,
      trace: null,
    })
    clock = Date.parse('2016-01-11T10:14:17.526Z')
    const response = await post('/projects/1/jobs/1/cancel')
    expect(response.status).toBe(201)
    const expected = {
      ...action('cancel-job', pipeline42('canceled', '2016-01-11T10:14:17.526Z')),
      finished_at: '2016-01-11T10:14:17.526Z', // L16
    }
    await expectSameJson(response, drifts.L1(expected))
  })

  test('Retry a job: L15, L17', async () => {
    seed(1, 'failed', {
      status: 'failed',
      started_at: '2016-01-11T10:13:40.000Z',
      finished_at: '2016-01-11T10:14:00.000Z',
      created_at: '2016-01-11T10:13:31.000Z',
    })
    clock = Date.parse('2016-01-11T10:13:33.506Z')
    const response = await post('/projects/1/jobs/1/retry')
    expect(response.status).toBe(201)
    const expected = {
      ...action('retry-job', pipeline42('pending', '2016-01-11T10:13:33.506Z')),
      // L17: the new job, the next id after the dataset's 21 jobs, the caller's, queued just now
      id: 22,
      web_url: `${BASE}/foo/bar/-/jobs/22`,
      user: MAINTAINER,
      queued_duration: 0,
    }
    await expectSameJson(response, drifts.L1(expected))
  })

  test('Retry a job: the param is inputs, not the documented job_inputs (L29)', async () => {
    seed(1, 'failed', { status: 'failed' })
    const retry = (body: unknown) =>
      api('/projects/1/jobs/1/retry', 'maintainer', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
      })
    // Not a Hash: as `inputs`, Grape refuses it; as `job_inputs`, an undeclared param, it is ignored.
    const refused = await retry({ inputs: 'production' })
    expect([refused.status, await refused.json()]).toEqual([400, { error: 'inputs is invalid' }])
    const ignored = await retry({ job_inputs: 'production' })
    expect(ignored.status).toBe(201)
  })

  test('Erase a job: L13, L15, L18', async () => {
    seed(1, 'failed', {
      status: 'failed',
      started_at: '2016-01-11T10:13:33.506Z',
      finished_at: '2016-01-11T10:15:10.506Z',
      queued_duration: 0.01,
      trace: 'Running rubocop\n',
    })
    clock = Date.parse('2016-01-11T11:30:19.914Z')
    const response = await post('/projects/1/jobs/1/erase')
    expect(response.status).toBe(201)
    const { download_url: _l18, ...doc } = action('erase-job', pipeline42('failed'))
    const expected = { ...doc, failure_reason: 'script_failure' } // L13
    await expectSameJson(response, drifts.L1(expected))
  })

  test('Run a job: L15, L19', async () => {
    clock = Date.parse('2016-01-11T10:20:00.000Z')
    seed(1, 'manual', {
      status: 'manual',
      when: 'manual',
      allow_failure: false,
      started_at: null,
      finished_at: null,
      trace: null,
    })
    const response = await post('/projects/1/jobs/1/play')
    expect(response.status).toBe(200)
    const expected = {
      ...action('play-job', pipeline42('pending', '2016-01-11T10:20:00.000Z')),
      user: MAINTAINER, // L19
      queued_duration: 0, // L19
    }
    await expectSameJson(response, drifts.L1(expected))
  })

  test('Keep job artifacts: job 42 (L18, L20)', async () => {
    clock = Date.parse('2016-01-11T10:20:00.000Z')
    seed(42, 'failed', {
      status: 'failed',
      started_at: '2016-01-11T10:13:33.506Z',
      finished_at: '2016-01-11T10:15:10.506Z',
      trace: null,
      artifacts: [{ file_type: 'archive', size: 1000, files: { 'rubocop/report.txt': 'no offenses\n' } }],
      artifacts_expire_at: '2016-02-10T10:15:10.506Z',
    })
    const response = await post('/projects/1/jobs/42/artifacts/keep')
    expect(response.status).toBe(200)
    const { download_url: _l18, ...doc } = drifts.L6(drifts.L3(example('keep-artifacts') as Json))
    const expected = {
      ...doc,
      // L20: every key of today's entity
      erased_at: null,
      // queued when it was created, and it started then: the example's created_at is its started_at
      queued_duration: 0,
      pipeline: pipeline42('failed'),
      project: { ci_job_token_scope_enabled: false },
      artifacts_file: { filename: 'artifacts.zip', size: 1000 },
      artifacts: [{ file_type: 'archive', size: 1000, filename: 'artifacts.zip', file_format: 'zip' }],
      runner_manager: null,
      artifacts_expire_at: null,
      archived: false,
      tag_list: [],
    }
    await expectSameJson(response, drifts.L1(expected))
  })
})

describe("documented examples of today's new routes", () => {
  test('Retrieve a job by job token: job 8 has finished, so its token is refused (L24)', async () => {
    const response = await fetch(`${API}/job`, { headers: { 'JOB-TOKEN': 'job-token-8' } })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ message: '401 Unauthorized' })
  })

  test('Retrieve a job by job token: a running job’s token answers it, as Retrieve a job by job ID does (L24)', async () => {
    const byToken = await fetch(`${API}/job`, { headers: { 'JOB-TOKEN': 'job-token-11' } })
    expect(byToken.status).toBe(200)
    const byId = await api('/projects/1/jobs/11')
    expect(await byToken.text()).toBe(await byId.text())
  })

  test('List all trigger jobs by pipeline: the example’s trigger job in pipeline 6 (L5, L25 to L27)', async () => {
    // The latest dataset, with the trigger job the example shows and its downstream pipeline.
    const dataset = structuredClone(defaultDatasetLatest) as unknown as {
      projects: { pipelines: { id: number; trigger_jobs?: unknown[] }[] }[]
    }
    const pipeline6 = dataset.projects[0]?.pipelines.find((p) => p.id === 6)
    if (!pipeline6) throw new Error('pipeline 6')
    pipeline6.trigger_jobs = [
      {
        id: 22, // L25
        name: 'teaspoon',
        stage: 'test',
        status: 'pending',
        user: 'root',
        allow_failure: false,
        created_at: '2015-12-24T15:51:21.802Z',
        started_at: '2015-12-24T17:54:27.722Z',
        finished_at: '2015-12-24T17:58:27.895Z',
        queued_at: '2015-12-24T17:54:27.599Z', // 0.123 s before it started
        downstream_pipeline: 5,
      },
    ]
    dataset.projects.unshift({
      id: 3,
      path: 'diaspora/diaspora-client',
      pipelines: [
        {
          id: 5,
          ref: 'main',
          sha: 'f62a4b2fb89754372a346f24659212eb8da13601',
          status: 'pending',
          user: 'root',
          created_at: '2015-12-24T17:54:27.722Z',
          updated_at: '2015-12-24T17:58:27.896Z',
        },
      ],
    } as never)
    const fake = createGitLabFake({
      gitlab: 'latest',
      dataset: 'empty',
      now: DOCUMENTED_NOW,
      fixtures: [dataset],
    })
    const response = await fake.handle(
      new Request(`${fake.apiUrl}/projects/1/pipelines/6/trigger_jobs?scope[]=pending&scope[]=running`, {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
      }),
    )
    expect(response?.status).toBe(200)
    const [documented] = example('list-trigger-jobs') as Json[]
    const bridge = drifts.L7(drifts.L6(drifts.L5(drifts.L4(drifts.L3(documented as Json)))))
    const { archived: _l26, ...expected }: Json = {
      ...bridge,
      id: 22,
      web_url: `${BASE}/foo/bar/-/jobs/22`,
      duration: 240.173, // L27
      downstream_pipeline: {
        ...(bridge.downstream_pipeline as Json),
        iid: 1,
        project_id: 3,
        source: 'push',
        web_url: `${BASE}/diaspora/diaspora-client/-/pipelines/5`,
      },
    }
    let ordered = order(expected, BRIDGE_KEYS)
    ordered = nested(ordered, 'user', (u) => order(u, USER_KEYS))
    ordered = nested(ordered, 'commit', (c) => order(c, COMMIT_KEYS))
    ordered = nested(ordered, 'pipeline', (p) => order(p, PIPELINE_KEYS))
    ordered = nested(ordered, 'downstream_pipeline', (p) => order(p, PIPELINE_KEYS))
    await expectSameJson(response as Response, [ordered])
  })

  test('List all files in the artifacts archive: job 42, directories first (L28)', async () => {
    seed(42, 'success', {
      status: 'success',
      started_at: '2016-01-11T10:13:33.506Z',
      finished_at: '2016-01-11T10:15:10.506Z',
      artifacts: [
        {
          file_type: 'archive',
          files: {
            'ci_build_artifacts.zip': 'z'.repeat(1024),
            'other_artifacts_0.1.2/notes.txt': 'notes\n',
          },
        },
        { file_type: 'metadata' },
      ],
    })
    const response = await api('/projects/1/jobs/42/artifacts/tree')
    expect(response.status).toBe(200)
    const documented = example('artifacts-tree') as Json[]
    await expectSameJson(
      response,
      documented.map((e) => order(e, ARTIFACT_ENTRY_KEYS)).reverse(), // L28
    )
  })
})

describe('the drift table', () => {
  test('names every drift the tests apply, with a source', () => {
    const ids = [...Object.keys(drifts), 'L2', 'L10', 'L11', 'L13', 'L14', 'L15', 'L16', 'L17', 'L18']
    for (const id of [...ids, 'L19', 'L20', 'L21', 'L22', 'L24', 'L25', 'L26', 'L27', 'L28', 'L29', 'P5'])
      expect(table()).toMatch(new RegExp(`^\\| ${id} [^|]+\\|[^|]+\\|[^|]+\\|[^|]+\\| \\S`, 'm'))
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { JobInput } from '../../src/index.js'
import { api, BASE, useGitLab } from '../support/gitlab.js'
import { JOB_KEYS } from './entity-keys.js'

/**
 * The action examples of GitLab 13.0's doc/api/jobs.md (all about job 42), each against a job 42
 * seeded in the state the example implies (drift.md, after the table). Drifts are applied by id.
 */

type Json = Record<string, unknown>
const example = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`./examples/${name}.json`, import.meta.url), 'utf8'))

let clock = 0
const gitlab = useGitLab({ now: () => clock })

const SHA = '0ff3ae198f8601a285adcf5c0fff204ee6fba5fd'
const PIPELINE_CREATED = '2016-01-11T10:13:30.000Z'
const PIPELINE_UPDATED = '2016-01-11T10:13:33.506Z'
const MAINTAINER = {
  id: 2,
  name: 'Morgan Maintainer',
  username: 'maintainer',
  state: 'active',
  avatar_url: 'https://www.gravatar.com/avatar/7f3a1d2ec5b0e4b8a9d6c1f0e2b3a4c5?s=80&d=identicon',
  web_url: `${BASE}/maintainer`,
  created_at: '2016-03-02T09:12:44.512Z',
  bio: null,
  location: null,
  public_email: '',
  skype: '',
  linkedin: '',
  twitter: '',
  website_url: '',
  organization: '',
}
const COMMIT = {
  id: SHA,
  short_id: '0ff3ae19',
  created_at: '2015-12-24T16:51:14.000+01:00',
  parent_ids: ['ae73cb07c9eeaf35924a10f713b364d32b2dd34f'],
  title: 'Test the CI integration.',
  message: 'Test the CI integration.',
  author_name: 'Administrator',
  author_email: 'admin@example.com',
  authored_date: '2015-12-24T16:51:14.000+01:00',
  committer_name: 'Administrator',
  committer_email: 'admin@example.com',
  committed_date: '2015-12-24T16:51:14.000+01:00',
}

/** Job 42 in pipeline 42 (foo/bar, master, the documented commit), no user. */
function seed42(pipelineStatus: string, job: JobInput): void {
  gitlab.seed.pipeline({
    project: 1,
    id: 42,
    ref: 'master',
    sha: SHA,
    status: pipelineStatus as 'failed',
    user: null,
    created_at: PIPELINE_CREATED,
    updated_at: PIPELINE_UPDATED,
    jobs: [
      {
        id: 42,
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
    sha: SHA,
    ref: 'master',
    status,
    created_at: PIPELINE_CREATED,
    updated_at: updatedAt,
    web_url: `${BASE}/foo/bar/-/pipelines/42`,
  }
}

/** D5 (the commit's other fields, as the dataset has them), D2 (web_url host), D1 (key order). */
function common(doc: Json): Json {
  return { ...doc, commit: COMMIT, web_url: (doc.web_url as string).replace('https://example.com', BASE) }
}

function ordered(job: Json): Json {
  const extra = Object.keys(job).filter((k) => !JOB_KEYS.includes(k))
  if (extra.length) throw new Error(`unexpected keys ${extra.join(', ')}`)
  return Object.fromEntries(JOB_KEYS.filter((k) => k in job).map((k) => [k, job[k]]))
}

async function expectSameJson(response: Response, expected: Json): Promise<void> {
  const text = await response.text()
  expect(JSON.parse(text)).toEqual(expected)
  expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(expected))
}

const post = (path: string) => api(path, 'maintainer', { method: 'POST' })

describe('documented action examples (GitLab 13.0 doc/api/jobs.md)', () => {
  test('Cancel a job: D9, D10', async () => {
    clock = Date.parse('2016-01-11T10:14:09.526Z')
    seed42('running', {
      status: 'running',
      started_at: '2016-01-11T10:14:09.526Z',
      finished_at: null,
      trace: null,
    })
    clock = Date.parse('2016-01-11T10:14:17.526Z')
    const response = await post('/projects/1/jobs/42/cancel')
    expect(response.status).toBe(201)
    const doc = example('cancel-job')
    const expected = {
      ...common(doc),
      finished_at: '2016-01-11T10:14:17.526Z', // D9
      pipeline: pipeline42('canceled', '2016-01-11T10:14:17.526Z'), // D10
      artifacts_expire_at: null, // D10
    }
    await expectSameJson(response, ordered(expected))
  })

  test('Retry a job: D10, D11', async () => {
    seed42('failed', {
      status: 'failed',
      started_at: '2016-01-11T10:13:40.000Z',
      finished_at: '2016-01-11T10:14:00.000Z',
      created_at: '2016-01-11T10:13:31.000Z',
    })
    clock = Date.parse('2016-01-11T10:13:33.506Z')
    const response = await post('/projects/1/jobs/42/retry')
    expect(response.status).toBe(201)
    const doc = example('retry-job')
    const expected = {
      ...common(doc),
      id: 43, // D11: the new job
      web_url: `${BASE}/foo/bar/-/jobs/43`,
      user: MAINTAINER, // D11: the caller
      pipeline: pipeline42('pending', '2016-01-11T10:13:33.506Z'), // D10
      artifacts_expire_at: null, // D10
    }
    await expectSameJson(response, ordered(expected))
  })

  test('Erase a job: D10, D12', async () => {
    clock = Date.parse('2016-01-11T10:20:00.000Z')
    seed42('failed', {
      status: 'failed',
      started_at: '2016-01-11T10:13:33.506Z',
      finished_at: '2016-01-11T10:15:10.506Z',
      trace: 'Running rubocop\n',
    })
    const response = await post('/projects/1/jobs/42/erase')
    expect(response.status).toBe(201)
    const { download_url: _d12, ...doc } = example('erase-job') // D12
    const expected = { ...common(doc), pipeline: pipeline42('failed'), artifacts_expire_at: null } // D10
    await expectSameJson(response, ordered(expected))
  })

  test('Keep artifacts: D10, D12, D13', async () => {
    clock = Date.parse('2016-01-11T10:20:00.000Z')
    seed42('failed', {
      status: 'failed',
      started_at: '2016-01-11T10:13:33.506Z',
      finished_at: '2016-01-11T10:15:10.506Z',
      trace: null,
      artifacts: [{ file_type: 'archive', size: 1000, files: { 'rubocop/report.txt': 'no offenses\n' } }],
      artifacts_expire_at: '2016-02-10T10:15:10.506Z',
    })
    const response = await post('/projects/1/jobs/42/artifacts/keep')
    expect(response.status).toBe(200)
    const { download_url: _d12, ...doc } = example('keep-artifacts') // D12
    const expected = {
      ...common(doc),
      pipeline: pipeline42('failed'), // D10
      artifacts_file: { filename: 'artifacts.zip', size: 1000 }, // D13
      artifacts: [{ file_type: 'archive', size: 1000, filename: 'artifacts.zip', file_format: 'zip' }], // D13
      artifacts_expire_at: null, // kept
    }
    await expectSameJson(response, ordered(expected))
  })

  test('Play a job: D10, D14', async () => {
    clock = Date.parse('2016-01-11T10:20:00.000Z')
    seed42('manual', {
      status: 'manual',
      when: 'manual',
      allow_failure: false,
      started_at: null,
      finished_at: null,
      trace: null,
    })
    const response = await post('/projects/1/jobs/42/play')
    expect(response.status).toBe(200)
    const doc = example('play-job')
    const expected = {
      ...common(doc),
      status: 'pending', // D14
      user: MAINTAINER, // D14
      pipeline: pipeline42('pending', '2016-01-11T10:20:00.000Z'), // D10
      artifacts_expire_at: null, // D10
    }
    await expectSameJson(response, ordered(expected))
  })

  test('every drift applied here is named in drift.md', () => {
    const table = readFileSync(new URL('./drift.md', import.meta.url), 'utf8')
    for (const id of ['D9', 'D10', 'D11', 'D12', 'D13', 'D14'])
      expect(table).toMatch(new RegExp(`\\| ${id} `))
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { api, BASE, useGitLab } from '../support/gitlab.js'
import { COMMIT_KEYS, JOB_KEYS, PIPELINE_KEYS, USER_KEYS } from './entity-keys.js'

/**
 * Each example response of GitLab 13.0's doc/api/jobs.md against the default dataset. Where
 * GitLab's code differs from its doc, the expected value is the doc's example with the drifts of
 * drift.md applied by id; nothing else of the example is changed.
 */

const example = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./examples/${name}.json`, import.meta.url), 'utf8'))

/** The documented moment (D7): the artifacts of job 7 have not expired yet. */
const DOCUMENTED_NOW = Date.parse('2015-12-24T18:00:00.000Z')
useGitLab({ now: () => DOCUMENTED_NOW })

type Json = Record<string, unknown>

const drifts = {
  D1: (job: Json): Json => {
    const ordered = order(job, JOB_KEYS)
    ordered.user = order(ordered.user as Json, USER_KEYS)
    ordered.commit = order(ordered.commit as Json, COMMIT_KEYS)
    ordered.pipeline = order(ordered.pipeline as Json, PIPELINE_KEYS)
    return ordered
  },
  D2: (job: Json): Json => ({
    ...job,
    web_url: (job.web_url as string).replace('https://example.com', BASE),
    user: {
      ...(job.user as Json),
      web_url: ((job.user as Json).web_url as string).replace('http://gitlab.dev', BASE),
    },
  }),
  // The four rows of the example's first `artifacts` key.
  D3: (job: Json): Json =>
    job.id === 7
      ? {
          ...job,
          artifacts: [
            { file_type: 'archive', size: 1000, filename: 'artifacts.zip', file_format: 'zip' },
            { file_type: 'metadata', size: 186, filename: 'metadata.gz', file_format: 'gzip' },
            { file_type: 'trace', size: 1500, filename: 'job.log', file_format: 'raw' },
            { file_type: 'junit', size: 750, filename: 'junit.xml.gz', file_format: 'gzip' },
          ],
        }
      : job,
  // Pipeline 6's other PipelineBasic values, as the dataset gives them.
  D4: (job: Json): Json => ({
    ...job,
    pipeline: {
      ...(job.pipeline as Json),
      created_at: '2015-12-24T15:50:16.123Z',
      updated_at: '2015-12-24T18:00:44.432Z',
      web_url: `${BASE}/foo/bar/-/pipelines/6`,
    },
  }),
  // Commit 0ff3ae19's other values, as the dataset gives them.
  D5: (job: Json): Json => ({
    ...job,
    commit: {
      ...(job.commit as Json),
      parent_ids: ['ae73cb07c9eeaf35924a10f713b364d32b2dd34f'],
      authored_date: '2015-12-24T16:51:14.000+01:00',
      committer_name: 'Administrator',
      committer_email: 'admin@example.com',
      committed_date: '2015-12-24T16:51:14.000+01:00',
    },
  }),
}

function order(object: Json, keys: readonly string[]): Json {
  const extra = Object.keys(object).filter((k) => !keys.includes(k))
  if (extra.length) throw new Error(`unexpected keys ${extra.join(', ')}`)
  return Object.fromEntries(keys.filter((k) => k in object).map((k) => [k, object[k]]))
}

function asGitLab13(job: Json): Json {
  return drifts.D1(drifts.D5(drifts.D4(drifts.D3(drifts.D2(job)))))
}

/** Same values and the same key order, everywhere in the tree. */
async function expectSameJson(response: Response, expected: unknown): Promise<void> {
  const text = await response.text()
  expect(JSON.parse(text)).toEqual(expected)
  expect(JSON.stringify(JSON.parse(text))).toBe(JSON.stringify(expected))
}

describe('documented examples (GitLab 13.0 doc/api/jobs.md)', () => {
  test('List project jobs: D6 asks scope[]=failed, page 2 at 2 a page', async () => {
    const documented = example('list-project-jobs') as Json[]
    expect(documented.map((j) => j.id)).toEqual([7, 6])
    const response = await api('/projects/1/jobs?scope[]=failed&per_page=2&page=2')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    await expectSameJson(response, documented.map(asGitLab13))
  })

  test('List pipeline jobs: pipeline 6 in id order (D6 asks scope[]=failed)', async () => {
    const documented = example('list-pipeline-jobs') as Json[]
    expect(documented.map((j) => j.id)).toEqual([6, 7])
    const response = await api('/projects/1/pipelines/6/jobs?scope[]=failed&per_page=2')
    expect(response.status).toBe(200)
    await expectSameJson(response, documented.map(asGitLab13))
  })

  test('Get a single job: job 8', async () => {
    const response = await api('/projects/1/jobs/8')
    expect(response.status).toBe(200)
    await expectSameJson(response, asGitLab13(example('get-job') as Json))
  })

  test('Get a log file: job 8 as text/plain', async () => {
    const response = await api('/projects/1/jobs/8/trace')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect(response.headers.get('content-disposition')).toBe('infile; filename="8.log"')
    expect(await response.text()).toContain('bundle exec rubocop')
  })

  test('every drift the test applies is named in drift.md', () => {
    const table = readFileSync(new URL('./drift.md', import.meta.url), 'utf8')
    for (const id of [...Object.keys(drifts), 'D6', 'D7', 'D8'])
      expect(table).toMatch(new RegExp(`\\| ${id} `))
  })
})

import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { defaultDatasetLatest } from '../../src/index.js'
import { type CliChild, startCli } from '../support/cli.js'
import { describeWithTool, pythonGitlab } from '../support/tools.js'

/**
 * python-gitlab 3.12 (Debian's python3-gitlab) against `npx gitlab-fake --gitlab latest`, its
 * clock standing at the documented moment: what a Python integration meets in today's GitLab.
 */

const script = fileURLToPath(new URL('./clients/python_gitlab_latest.py', import.meta.url))
const rateLimitScript = fileURLToPath(new URL('./clients/python_gitlab_rate_limit.py', import.meta.url))

/** The ids of project 1's jobs in the dataset, newest first, as GitLab lists them (`id DESC`). */
const project1Jobs = (defaultDatasetLatest.projects[0]?.pipelines ?? [])
  .flatMap((p) => p.jobs.map((j) => j.id))
  .sort((a, b) => b - a)

describeWithTool('python3-gitlab', 'python-gitlab 3.12 against --gitlab latest', () => {
  let child: CliChild
  let url: string
  beforeAll(async () => {
    const started = await startCli([
      '--quiet',
      '--gitlab',
      'latest',
      '--clock',
      'manual',
      '--now',
      '2015-12-24T18:00:00Z',
    ])
    child = started.child
    url = started.url
  })
  afterAll(() => child.kill())

  test('python-gitlab reads, acts and downloads as it does against today’s GitLab', async () => {
    const seen = await pythonGitlab(script, [url])
    expect(seen.page).toEqual(project1Jobs.slice(0, 5))
    // No X-Total or X-Total-Pages on the project's jobs today: python-gitlab knows no total.
    expect(seen.page_info).toEqual({ total: null, total_pages: null, next_page: 2, per_page: 5 })
    expect(seen.all).toEqual(project1Jobs)
    expect(seen.keyset).toEqual(project1Jobs)
    // The next page by cursor, as GitLab's Link gives it (lib/gitlab/pagination/keyset/header_builder.rb).
    expect(new URL(seen.keyset_next as string).searchParams.get('pagination')).toBe('keyset')
    expect(new URL(seen.keyset_next as string).searchParams.get('cursor')).toEqual(expect.any(String))
    expect(seen.failed).toEqual([10, 8, 7, 6])
    expect(seen.pipeline).toEqual([8, 7, 6])
    expect(seen.job).toEqual({
      id: 7,
      ref: 'main',
      failure_reason: 'script_failure',
      tag_list: ['docker runner', 'ubuntu18'],
      runner: 32,
      pipeline_source: 'push',
      web_url: `${url}/foo/bar/-/jobs/7`,
    })
    expect(seen.trace).toContain('bundle exec rubocop')
    const [status, newId, user] = seen.retry as [string, number, string]
    expect([status, user]).toEqual(['pending', 'maintainer'])
    expect(newId).toBeGreaterThan(project1Jobs[0] as number)
    expect(seen.retry_again).toEqual([403, '403 Forbidden - Job is not retryable'])
    expect(seen.cancel).toBe('canceled')
    expect(seen.played).toEqual(['pending', 'maintainer'])
    expect(seen.erased).toEqual(['', true])
    expect(seen.archive).toEqual(['build.log', 'dist/', 'dist/app.js', 'dist/index.html'])
    expect(seen.file).toBe("console.log('foo/bar 1.4.0')\n")
    expect(seen.by_ref).toEqual(seen.archive)
    expect(seen.raw).toContain('<title>foo/bar</title>')
    expect(seen.kept).toBeNull()
    expect(seen.after_delete).toEqual(['trace'])
    expect(seen.bridges).toEqual([])
    expect(seen.project_artifacts_deleted).toBe(true)
    expect(seen.missing).toEqual([404, '404 Not found'])
    expect(seen.per_page_0).toEqual([400, 'per_page has a value not allowed'])
    expect(seen.unplayable).toEqual([400, '400 Bad request - Unplayable Job'])
  })
})

describeWithTool('python3-gitlab', 'python-gitlab 3.12 and the jobs_index rate limit', () => {
  let child: CliChild
  let url: string
  beforeAll(async () => {
    const started = await startCli([
      '--quiet',
      '--gitlab',
      'latest',
      '--clock',
      'manual',
      '--jobs-api-rate-limit',
      '2',
    ])
    child = started.child
    url = started.url
  })
  afterAll(() => child.kill())

  test('the third list in a minute: 429 as GitLab sends it; by default python-gitlab waits Retry-After', async () => {
    const seen = await pythonGitlab(rateLimitScript, [url])
    expect(seen.refused).toEqual([
      429,
      { error: 'This endpoint has been requested too many times. Try again later.' },
    ])
    expect(seen.waits_not_obeying).toEqual([])
    // Retry-After: 60, the limit's minute: one wait, then the list.
    expect(seen.waits).toEqual([60])
    expect(seen.listed).toEqual([project1Jobs[0]])
  })
})

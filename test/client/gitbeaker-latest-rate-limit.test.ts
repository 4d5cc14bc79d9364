import { GitbeakerRetryError, Gitlab } from '@gitbeaker/rest'
import { describe, expect, test } from 'vitest'
import { BASE, useGitLab } from '../support/gitlab.js'
import { project1Jobs } from './gitbeaker-latest-suite.js'

/**
 * @gitbeaker/rest 43 meets today's jobs_index rate limit (lib/api/ci/jobs.rb:
 * `check_rate_limit!(:jobs_index, scope: current_user)`), set here to 3 lists a minute: it retries
 * a 429 ten times within a fraction of a second, whatever Retry-After says, and gives up.
 */

const gitlab = useGitLab({ gitlab: 'latest', projectJobsApiRateLimit: 3 })
const client = new Gitlab({ host: BASE, token: 'maintainer-token' })
const LIST = '/api/v4/projects/1/jobs'

describe('@gitbeaker/rest 43 and the jobs_index rate limit', () => {
  test('the fourth page in a minute: ten tries, each a 429 with Retry-After: 60, then GitbeakerRetryError', async () => {
    const error = await client.Jobs.all(1, { perPage: 4 }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(GitbeakerRetryError)
    expect((error as Error).message).toBe(
      'Could not successfully complete this request after 10 retries, last status code: 429. Check the applicable rate limits for this endpoint.',
    )
    expect(gitlab.journal.count({ method: 'GET', path: LIST, status: 200 })).toBe(3)
    expect(gitlab.journal.count({ method: 'GET', path: LIST, status: 429 })).toBe(10)
    // GitLab's answer, which gitbeaker does not show.
    const answer = await fetch(`${BASE}${LIST}`, { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } })
    expect(answer.status).toBe(429)
    expect(answer.headers.get('retry-after')).toBe('60')
    expect(await answer.json()).toEqual({
      message: { error: 'This endpoint has been requested too many times. Try again later.' },
    })
  })

  test('the limit is per minute: once the fake’s clock passes it, the list answers again', async () => {
    await expect(client.Jobs.all(1, { perPage: 4 })).rejects.toBeInstanceOf(GitbeakerRetryError)
    gitlab.clock.advance('60s')
    const jobs = await client.Jobs.all(1, { perPage: 5 })
    expect(jobs.map((j) => j.id)).toEqual(project1Jobs)
  })

  test('other routes are not limited', async () => {
    for (let i = 0; i < 5; i++) expect((await client.Jobs.show(1, 8)).id).toBe(8)
    expect((await client.Jobs.all(1, { pipelineId: 6 })).map((j) => j.id)).toEqual([8, 7, 6])
  })
})

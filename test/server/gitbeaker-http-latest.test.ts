import { GitbeakerRetryError, Gitlab } from '@gitbeaker/rest'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { DOCUMENTED_NOW, gitbeakerAgainstLatest, project1Jobs } from '../client/gitbeaker-latest-suite.js'

/** @gitbeaker/rest 43 over real HTTP against `--gitlab latest`, its clock at the documented moment. */

let server: RunningServer
beforeAll(async () => {
  server = await listen({ port: 0, gitlab: 'latest', clock: 'manual', now: DOCUMENTED_NOW })
})
afterAll(() => server.close())
beforeEach(() => {
  server.fake.reset()
  server.fake.journal.clear()
})

describe('@gitbeaker/rest 43 over HTTP against latest', () => {
  gitbeakerAgainstLatest(() => ({ host: server.url, gitlab: server.fake }))
})

describe('@gitbeaker/rest 43 over HTTP and the jobs_index rate limit (3 a minute here)', () => {
  let limited: RunningServer
  beforeAll(async () => {
    limited = await listen({ port: 0, gitlab: 'latest', clock: 'manual', projectJobsApiRateLimit: 3 })
  })
  afterAll(() => limited.close())

  test('the fourth page: ten 429s, then GitbeakerRetryError; the next minute, every page', async () => {
    const api = new Gitlab({ host: limited.url, token: 'maintainer-token' })
    await expect(api.Jobs.all(1, { perPage: 4 })).rejects.toBeInstanceOf(GitbeakerRetryError)
    expect(limited.fake.journal.count({ path: '/api/v4/projects/1/jobs', status: 429 })).toBe(10)
    limited.fake.clock.advance('60s')
    expect(await api.Jobs.all(1, { perPage: 5 })).toHaveLength(project1Jobs.length)
  })
})

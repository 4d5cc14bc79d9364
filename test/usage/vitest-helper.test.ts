import { Gitlab } from '@gitbeaker/rest'
import { describe, expect, test } from 'vitest'
import { useGitLabFake } from '../../src/vitest.js'

/** The README's vitest example, as written, and what the helper does between tests. */

const { gitlab, tokens, journal } = useGitLabFake()

test('a retried job runs and succeeds', async () => {
  const api = new Gitlab({ host: gitlab.baseUrl, token: tokens.maintainer as string })
  const job = await api.Jobs.retry('foo/bar', 8)
  gitlab.clock.advance('1m') // the runner takes it and finishes it
  expect((await api.Jobs.show('foo/bar', job.id)).status).toBe('success')
})

describe('between tests', () => {
  let clockAtStart = 0
  test('one test moves the clock, adds data, a fault and journal entries', async () => {
    clockAtStart = gitlab.clock.now()
    gitlab.clock.advance('1h')
    gitlab.seed.pipeline({ project: 'foo/bar', jobs: [{ name: 'left-behind' }] })
    gitlab.faults.add({ path: '/api/v4/projects/*/jobs', preset: '502' })
    await fetch(`${gitlab.apiUrl}/projects/1/jobs`, {
      headers: { 'PRIVATE-TOKEN': tokens.maintainer as string },
    })
    expect(journal.count()).toBe(1)
  })

  test('the next finds the clock, the data, the faults and the journal as they started', async () => {
    expect(gitlab.clock.now()).toBe(clockAtStart)
    expect([...gitlab.store.jobs.values()].some((j) => j.name === 'left-behind')).toBe(false)
    expect(gitlab.faults.list()).toEqual([])
    expect(journal.count()).toBe(0)
    const response = await fetch(`${gitlab.apiUrl}/projects/1/jobs`, {
      headers: { 'PRIVATE-TOKEN': tokens.maintainer as string },
    })
    expect(response.status).toBe(200)
  })

  test('tokens by username, from the dataset', () => {
    expect(tokens).toMatchObject({ root: 'root-token', maintainer: 'maintainer-token', guest: 'guest-token' })
  })
})

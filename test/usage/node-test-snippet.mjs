// The README's node:test setup, as written, run by `node --test` against the built package.
import assert from 'node:assert/strict'
import { after, afterEach, before, test } from 'node:test'
import { createGitLabFake } from 'gitlab-fake'
import { setupServer } from 'msw/node'

const gitlab = createGitLabFake()
const server = setupServer(...gitlab.handlers)
before(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  gitlab.reset()
  gitlab.faults.clear()
  gitlab.journal.clear()
})
after(() => server.close())

test('a job, through fetch', async () => {
  const response = await fetch(`${gitlab.apiUrl}/projects/foo%2Fbar/jobs/8`, {
    headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
  })
  assert.equal(response.status, 200)
  assert.equal((await response.json()).name, 'rubocop')
  gitlab.journal.expectCalled({ method: 'GET', path: '/api/v4/projects/foo%2Fbar/jobs/8', times: 1 })
})

test('reset between tests: a retry is gone again', async () => {
  const retried = await fetch(`${gitlab.apiUrl}/projects/1/jobs/8/retry`, {
    method: 'POST',
    headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
  })
  assert.equal(retried.status, 201)
})

test('…and the journal is empty', () => {
  assert.equal(gitlab.journal.count(), 0)
  assert.equal(gitlab.store.jobs.get(8)?.retried, false)
})

import { afterEach, expect, test } from 'vitest'
import { type CliChild, startCli } from '../support/cli.js'

/** Over HTTP, `--gitlab latest`: play's and retry's bodies, as curl and clients send them. */

let child: CliChild | undefined
afterEach(() => {
  child?.kill()
  child = undefined
})

test('play and retry: a bad body is 400 and changes nothing, a good one plays and retries', async () => {
  const started = await startCli(['--quiet', '--gitlab', 'latest', '--clock', 'manual'])
  child = started.child
  const fixture = await fetch(`${started.url}/__fake/fixtures`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      pipelines: [{ project: 1, ref: 'feature/x', jobs: [{ id: 900, status: 'manual', user: 'developer' }] }],
    }),
  })
  expect(fixture.status).toBe(201)
  const post = (action: string, body: unknown) =>
    fetch(`${started.url}/api/v4/projects/1/jobs/900/${action}`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': 'maintainer-token', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
  const bad = await post('play', { job_variables_attributes: [{ value: 'v' }] })
  expect([bad.status, await bad.text()]).toEqual([
    400,
    '{"error":"job_variables_attributes[0][key] is missing"}',
  ])
  const job = await fetch(`${started.url}/api/v4/projects/1/jobs/900`, {
    headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
  })
  expect(((await job.json()) as { status: string }).status).toBe('manual')
  const played = await post('play', { job_variables_attributes: [{ key: 'K', value: 'v' }] })
  expect([played.status, ((await played.json()) as { status: string }).status]).toEqual([200, 'pending'])
  const badRetry = await post('retry', { inputs: 'production' })
  expect([badRetry.status, await badRetry.text()]).toEqual([400, '{"error":"inputs is invalid"}'])
})

import { afterEach, expect, test } from 'vitest'
import { type CliChild, runCli, startCli } from '../support/cli.js'

/** `--jobs-api-rate-limit N` over HTTP: GitLab's 429 for the project jobs list, per user. */

let child: CliChild | undefined
afterEach(() => {
  child?.kill()
  child = undefined
})

test('--gitlab latest --jobs-api-rate-limit 2: the third list in a minute is a 429 with Retry-After: 60', async () => {
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
  const list = () =>
    fetch(`${started.url}/api/v4/projects/1/jobs`, { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } })
  for (const expected of [200, 200]) {
    const response = await list()
    await response.arrayBuffer()
    expect(response.status).toBe(expected)
  }
  const refused = await list()
  expect(refused.status).toBe(429)
  expect(refused.headers.get('retry-after')).toBe('60')
  expect(await refused.text()).toBe(
    '{"message":{"error":"This endpoint has been requested too many times. Try again later."}}',
  )
  // The control API moves the clock a minute on: the window starts again.
  const moved = await fetch(`${started.url}/__fake/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advance: '60s' }),
  })
  expect(moved.status).toBe(200)
  expect((await list()).status).toBe(200)
})

test.each([
  [
    ['--jobs-api-rate-limit', '5'],
    '--jobs-api-rate-limit: GitLab 13.0 has no project jobs API rate limit (it is for --gitlab latest)',
  ],
  [
    ['--gitlab', 'latest', '--jobs-api-rate-limit', '1.5'],
    '--jobs-api-rate-limit must be a whole number ≥ 0 (0: no limit), got "1.5"',
  ],
])('%j stops the start with exit 2', async (args, message) => {
  const { code, stderr } = await runCli(args)
  expect(code).toBe(2)
  expect(stderr.split('\n')[0]).toBe(`gitlab-fake: ${message}`)
})

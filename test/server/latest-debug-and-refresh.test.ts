import { afterEach, expect, test } from 'vitest'
import { type CliChild, startCli } from '../support/cli.js'

/** Over HTTP, `--gitlab latest`: a debug job's log is 403 to a reporter; erase waits for the stats refresh. */

let child: CliChild | undefined
afterEach(() => {
  child?.kill()
  child = undefined
})

test('debug log 403 for a reporter, 200 for a developer; erase 409 while the stats refresh', async () => {
  const started = await startCli(['--quiet', '--gitlab', 'latest', '--clock', 'manual'])
  child = started.child
  const loaded = await fetch(`${started.url}/__fake/fixtures`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      projects: [
        {
          path: 'group/refresh',
          refreshing_build_artifacts_size: true,
          members: [
            { user: 'developer', access_level: 'developer' },
            { user: 'reporter', access_level: 'reporter' },
            { user: 'maintainer', access_level: 'maintainer' },
          ],
          pipelines: [
            {
              ref: 'feature/x',
              jobs: [{ id: 950, status: 'success', trace: 'debug\n', debug_trace_enabled: true }],
            },
          ],
        },
      ],
    }),
  })
  expect(loaded.status).toBe(201)
  const api = (path: string, token: string, method = 'GET') =>
    fetch(`${started.url}/api/v4/projects/group%2Frefresh/jobs/950${path}`, {
      method,
      headers: { 'PRIVATE-TOKEN': `${token}-token` },
    })
  const reporter = await api('/trace', 'reporter')
  expect([reporter.status, await reporter.text()]).toEqual([403, '{"message":"403 Forbidden"}'])
  const developer = await api('/trace', 'developer')
  expect([developer.status, await developer.text()]).toEqual([200, 'debug\n'])
  const erase = await api('/erase', 'maintainer', 'POST')
  expect([erase.status, await erase.text()]).toEqual([
    409,
    '{"message":"Action temporarily disabled. The project this pipeline belongs to is undergoing stats refresh."}',
  ])
})

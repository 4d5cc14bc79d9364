import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { type CliChild, runCli, startCli } from '../support/cli.js'

/**
 * Over HTTP, `--gitlab latest`: a running job on a runner that cancels gracefully goes to
 * `canceling`, and `force=true` (a form body, as curl --form sends it) takes it to canceled;
 * 13.0 refuses the same fixture, naming the field.
 */

let child: CliChild | undefined
afterEach(() => {
  child?.kill()
  child = undefined
})

function fixtureFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gitlab-fake-')), 'cancel.json')
  writeFileSync(
    file,
    JSON.stringify({
      runners: [{ id: 50, managers: [{ id: 51, runtime_features: { cancel_gracefully: true } }] }],
      pipelines: [
        {
          project: 1,
          ref: 'feature/cancel',
          jobs: [{ id: 500, status: 'running', runner: 50, runner_manager: 51, user: 'developer' }],
        },
      ],
    }),
  )
  return file
}

test('cancel → canceling, then force=true → canceled', async () => {
  const started = await startCli([
    '--quiet',
    '--gitlab',
    'latest',
    '--clock',
    'manual',
    '--data',
    fixtureFile(),
  ])
  child = started.child
  const cancel = (init: RequestInit = {}, query = '') =>
    fetch(`${started.url}/api/v4/projects/1/jobs/500/cancel${query}`, {
      method: 'POST',
      ...init,
      headers: { 'PRIVATE-TOKEN': 'maintainer-token', ...init.headers },
    })
  const first = await cancel()
  expect(first.status).toBe(201)
  expect(await first.json()).toMatchObject({ id: 500, status: 'canceling', finished_at: null })
  const refused = await cancel({
    headers: { 'PRIVATE-TOKEN': 'developer-token', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'force=true',
  })
  expect([refused.status, await refused.json()]).toEqual([403, { message: '403 Forbidden' }])
  const bad = await cancel({}, '?force=yes please')
  expect([bad.status, await bad.json()]).toEqual([400, { error: 'force is invalid' }])
  const forced = await cancel({
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'force=true',
  })
  expect(forced.status).toBe(201)
  const body = (await forced.json()) as { status: string; finished_at: string | null }
  expect(body.status).toBe('canceled')
  expect(body.finished_at).not.toBeNull()
})

test('13.0 refuses the fixture: exit 2, naming the field', async () => {
  const { code, stderr } = await runCli(['--data', fixtureFile()])
  expect(code).toBe(2)
  expect(stderr).toContain('runners[0].managers: GitLab 13.0 has no managers')
})

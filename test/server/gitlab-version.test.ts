import { afterEach, expect, test } from 'vitest'
import { type CliChild, runCli, startCli } from '../support/cli.js'

/** `npx gitlab-fake --gitlab latest` answers as today's GitLab; 13.0 stays the default. */

let child: CliChild | undefined
afterEach(() => {
  child?.kill()
  child = undefined
})

async function canceling(args: string[]): Promise<number> {
  const started = await startCli(args)
  child = started.child
  const response = await fetch(`${started.url}/api/v4/projects/1/jobs?scope=canceling`, {
    headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
  })
  await response.arrayBuffer()
  return response.status
}

test("--gitlab latest takes today's statuses; the default, 13.0, refuses them", async () => {
  expect(await canceling(['--quiet', '--gitlab', 'latest'])).toBe(200)
  child?.kill()
  expect(await canceling(['--quiet'])).toBe(400)
})

test('an unknown version stops the start with exit 2, naming the versions', async () => {
  const { code, stderr } = await runCli(['--gitlab', '16.0'])
  expect(code).toBe(2)
  expect(stderr.split('\n')[0]).toBe('gitlab-fake: --gitlab must be "13.0" or "latest", got "16.0"')
})

test("latest's one feature flag is the downloads' ETag; 13.0's is not one of them", async () => {
  const { code, stderr } = await runCli(['--gitlab', 'latest', '--feature', 'api_kaminari_count_with_limit'])
  expect(code).toBe(2)
  expect(stderr.split('\n')[0]).toBe(
    'gitlab-fake: --feature must name a GitLab latest feature flag (workhorse_download_etag_caching), got "api_kaminari_count_with_limit"',
  )
})

test("--gitlab latest starts from today's documented dataset, with the same tokens as 13.0", async () => {
  const latest = await startCli(['--quiet', '--gitlab', 'latest'])
  child = latest.child
  const response = await fetch(`${latest.url}/api/v4/projects/1/jobs/7`, {
    headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
  })
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({
    ref: 'main',
    runner: { id: 32 },
    tag_list: ['docker runner', 'ubuntu18'],
  })
  const tokens = (out: string) => out.split('\n').filter((line) => line.startsWith('  '))
  const latestTokens = tokens(latest.out())
  expect(latestTokens).toContain('  maintainer-token   maintainer (maintainer)')
  child.kill()
  const old = await startCli(['--quiet'])
  child = old.child
  expect(tokens(old.out())).toEqual(latestTokens)
})

test('--gitlab latest --dataset empty starts with nothing, and prints no tokens', async () => {
  const started = await startCli(['--quiet', '--gitlab', 'latest', '--dataset', 'empty'])
  child = started.child
  expect(started.out()).not.toContain('Tokens')
  const response = await fetch(`${started.url}/api/v4/projects/1/jobs/7`, {
    headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
  })
  expect(response.status).toBe(401)
})

import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { CLI, type CliChild, runCli, startCli } from '../support/cli.js'

const _cli = CLI
const dir = mkdtempSync(join(tmpdir(), 'gitlab-fake-cli-'))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

type Child = CliChild
const start = startCli

async function stop(child: Child): Promise<void> {
  child.kill('SIGTERM')
  await once(child, 'exit')
}

const run = runCli

const FIXTURE = {
  users: [{ username: 'ci-bot', tokens: ['ci-bot-token'], admin: true }],
  projects: [
    { path: 'team/service', pipelines: [{ ref: 'main', jobs: [{ name: 'unit', status: 'failed' }] }] },
  ],
}

describe('--data, --dataset', () => {
  test('a JSON fixture on top of the default dataset', async () => {
    const { child, url, out } = await start(['--data', file('a.json', JSON.stringify(FIXTURE)), '--quiet'])
    try {
      expect(out()).toContain('Loaded ')
      const jobs = await fetch(`${url}/api/v4/projects/team%2Fservice/jobs`, {
        headers: { 'PRIVATE-TOKEN': 'ci-bot-token' },
      })
      expect(((await jobs.json()) as { name: string }[]).map((j) => j.name)).toEqual(['unit'])
      expect(
        (await fetch(`${url}/api/v4/projects/1/jobs/8`, { headers: { 'PRIVATE-TOKEN': 'root-token' } }))
          .status,
      ).toBe(200)
      // What the files loaded is part of what reset restores.
      await fetch(`${url}/__fake/reset`, { method: 'POST' })
      expect(
        (
          await fetch(`${url}/api/v4/projects/team%2Fservice/jobs`, {
            headers: { 'PRIVATE-TOKEN': 'ci-bot-token' },
          })
        ).status,
      ).toBe(200)
    } finally {
      await stop(child)
    }
  })

  test('YAML, several files, and the empty dataset instead of the default one', async () => {
    const yaml = 'users:\n  - username: yaml-user\n    tokens: [yaml-token]\n    admin: true\n'
    const { child, url, out } = await start([
      '--dataset',
      'empty',
      '--data',
      file('u.yaml', yaml),
      '--data',
      file('p.json', JSON.stringify({ projects: FIXTURE.projects })),
      '--quiet',
    ])
    try {
      expect(out()).not.toContain('root-token')
      const jobs = await fetch(`${url}/api/v4/projects/team%2Fservice/jobs`, {
        headers: { 'PRIVATE-TOKEN': 'yaml-token' },
      })
      expect(jobs.status).toBe(200)
      expect(
        (await fetch(`${url}/api/v4/projects/1/jobs`, { headers: { 'PRIVATE-TOKEN': 'yaml-token' } })).status,
      ).toBe(200)
      expect(
        (await fetch(`${url}/api/v4/projects/2/jobs`, { headers: { 'PRIVATE-TOKEN': 'yaml-token' } })).status,
      ).toBe(404)
    } finally {
      await stop(child)
    }
  })

  test.each([
    ['a missing file', () => [join(dir, 'missing.json')], /missing\.json: cannot read it \(ENOENT\)/],
    ['bad JSON', () => [file('bad.json', '{"users": [')], /bad\.json: not valid JSON/],
    ['bad YAML', () => [file('bad.yml', 'users: [\n')], /bad\.yml: not valid YAML/],
    [
      'a bad field',
      () => [
        file(
          'field.json',
          JSON.stringify({ projects: [{ path: 'a/b', pipelines: [{ jobs: [{ status: 'done' }] }] }] }),
        ),
      ],
      /field\.json: projects\[0\]\.pipelines\[0\]\.jobs\[0\]\.status: Invalid option/,
    ],
    [
      'the second of two files',
      () => [file('ok.json', '{}'), file('dup.json', JSON.stringify({ users: [{ username: 'root' }] }))],
      /dup\.json: users\[0\]\.username: "root" is taken/,
    ],
  ])(
    '%s stops the start with exit 2, naming the file, the field and the reason',
    async (_, files, message) => {
      const { code, stderr } = await run(files().flatMap((f) => ['--data', f]))
      expect(code).toBe(2)
      expect(stderr).toMatch(message)
    },
  )

  test('--dataset must be default or empty', async () => {
    const { code, stderr } = await run(['--dataset', 'full'])
    expect([code, stderr]).toEqual([2, expect.stringContaining('--dataset must be "default" or "empty"')])
  })
})

describe('--base-url, the request log, --no-control', () => {
  test('--base-url is what web_url and Link name', async () => {
    const { child, url, out } = await start(['--base-url', 'https://gitlab.ci.internal', '--quiet'])
    try {
      expect(out()).toContain('its answers name https://gitlab.ci.internal')
      const response = await fetch(`${url}/api/v4/projects/1/jobs?per_page=1`, {
        headers: { 'PRIVATE-TOKEN': 'root-token' },
      })
      const [job] = (await response.json()) as { web_url: string }[]
      expect(job?.web_url).toBe('https://gitlab.ci.internal/foo/bar/-/jobs/19')
      expect(response.headers.get('link')).toContain(
        '<https://gitlab.ci.internal/api/v4/projects/1/jobs?id=1&page=2&per_page=1>; rel="next"',
      )
    } finally {
      await stop(child)
    }
  })

  test('a line per request on stderr: method, path, status, milliseconds; none with --quiet', async () => {
    const loud = await start([])
    try {
      await fetch(`${loud.url}/api/v4/projects/1/jobs/8`, { headers: { 'PRIVATE-TOKEN': 'root-token' } })
      await fetch(`${loud.url}/api/v4/projects/1/jobs/999`, { headers: { 'PRIVATE-TOKEN': 'root-token' } })
      await new Promise((r) => setTimeout(r, 100))
      expect(loud.err()).toMatch(
        /^GET \/api\/v4\/projects\/1\/jobs\/8 200 \d+\.\dms\nGET \/api\/v4\/projects\/1\/jobs\/999 404 \d+\.\dms\n$/,
      )
    } finally {
      await stop(loud.child)
    }
    const quiet = await start(['--quiet'])
    try {
      await fetch(`${quiet.url}/api/v4/projects/1/jobs/8`, { headers: { 'PRIVATE-TOKEN': 'root-token' } })
      await new Promise((r) => setTimeout(r, 100))
      expect(quiet.err()).toBe('')
    } finally {
      await stop(quiet.child)
    }
  })

  test('--no-control turns the control API off', async () => {
    const { child, url } = await start(['--no-control', '--quiet'])
    try {
      expect((await fetch(`${url}/__fake/state`)).status).toBe(404)
    } finally {
      await stop(child)
    }
  })

  test('SIGTERM lets a request in flight finish, then exits 0', async () => {
    const { child, url } = await start(['--quiet'])
    const exited = once(child, 'exit')
    const body = JSON.stringify({ users: [{ username: 'late' }] })
    const status = new Promise<number>((resolve, reject) => {
      const req = request(`${url}/__fake/fixtures`, { method: 'POST' }, (res) => {
        res.resume()
        resolve(res.statusCode as number)
      })
      req.on('error', reject)
      // Half the body, the signal, then the rest: the request is in flight when it comes.
      req.write(body.slice(0, 10))
      setTimeout(() => {
        child.kill('SIGTERM')
        setTimeout(() => req.end(body.slice(10)), 200)
      }, 200)
    })
    expect(await status).toBe(201)
    expect(await exited).toEqual([0, null])
  })
})

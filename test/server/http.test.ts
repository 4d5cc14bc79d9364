import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { Gitlab } from '@gitbeaker/rest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { byVersion, defaultBranch, forEachVersion } from '../support/each-version.js'
import { links } from '../support/gitlab.js'

const auth = { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } }

forEachVersion('the standalone server over real HTTP', (version) => {
  // The default dataset's branch: master in 13.0's, main in latest's.
  const master = defaultBranch(version)
  let server: RunningServer
  beforeAll(async () => {
    server = await listen({ gitlab: version, port: 0 })
  })
  afterAll(() => server.close())

  test('listens on 127.0.0.1 and a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.url).not.toBe('http://127.0.0.1:0')
  })

  test('answers a job with URLs of its own address', async () => {
    const response = await fetch(`${server.url}/api/v4/projects/foo%2Fbar/jobs/8`, auth)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    const job = (await response.json()) as { id: number; web_url: string }
    expect(job.id).toBe(8)
    expect(job.web_url).toBe(`${server.url}/foo/bar/-/jobs/8`)
  })

  test('Link headers point back at it, and following them reads every job', async () => {
    const ids: number[] = []
    let url: string | undefined = `${server.url}/api/v4/projects/1/jobs?per_page=5`
    while (url) {
      expect(url.startsWith(server.url)).toBe(true)
      const response: Response = await fetch(url, auth)
      ids.push(...((await response.json()) as { id: number }[]).map((j) => j.id))
      url = links(response).next
    }
    expect(ids).toHaveLength(14)
    expect(new Set(ids).size).toBe(14)
  })

  test('the trace as text/plain bytes', async () => {
    const response = await fetch(`${server.url}/api/v4/projects/1/jobs/8/trace`, auth)
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect(response.headers.get('content-disposition')).toBe('infile; filename="8.log"')
    expect(await response.text()).toContain('rubocop')
  })

  test("GitLab's errors, the catch-all, and a 404 outside the API", async () => {
    const unauthorized = await fetch(`${server.url}/api/v4/projects/1/jobs`)
    expect([unauthorized.status, await unauthorized.text()]).toEqual([401, '{"message":"401 Unauthorized"}'])
    const unknown = await fetch(`${server.url}/api/v4/projects/1/nothing`, auth)
    expect([unknown.status, await unknown.text()]).toEqual([404, '{"error":"404 Not Found"}'])
    const outside = await fetch(`${server.url}/foo/bar`)
    expect(outside.status).toBe(404)
  })

  test('a request with a body (POST) is read and answered', async () => {
    const response = await fetch(`${server.url}/api/v4/projects/1/jobs`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': 'maintainer-token', 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect([response.status, await response.text()]).toEqual([404, '{"error":"404 Not Found"}'])
  })

  test('HEAD has the headers and no body', async () => {
    const response = await fetch(`${server.url}/api/v4/projects/1/jobs`, { ...auth, method: 'HEAD' })
    expect(response.status).toBe(200)
    // The project jobs list counts in 13.0, never today (gitlab-jobs-latest.md §1 row 11).
    expect(response.headers.get('x-total')).toBe(byVersion(version, { '13.0': '14', latest: null }))
    expect(response.headers.get('x-per-page')).toBe('20')
    expect(await response.text()).toBe('')
  })

  test('downloads the archive byte for byte, with the headers GitLab sends', async () => {
    const response = await fetch(`${server.url}/api/v4/projects/1/jobs/18/artifacts`, auth)
    expect(response.status).toBe(200)
    const body = new Uint8Array(await response.arrayBuffer())
    const row = server.fake.store.jobs.get(18)?.artifacts.find((a) => a.file_type === 'archive')
    expect(body).toEqual(server.fake.store.blob(row?.blob as string))
    expect(response.headers.get('content-length')).toBe(String(body.length))
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    expect(response.headers.get('content-transfer-encoding')).toBe('binary')
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="artifacts.zip"; filename*=UTF-8''artifacts.zip`,
    )
    const byRef = await fetch(
      `${server.url}/api/v4/projects/1/jobs/artifacts/${master}/download?job=build`,
      auth,
    )
    expect(new Uint8Array(await byRef.arrayBuffer())).toEqual(body)
  })

  test('one file, as Workhorse sends it', async () => {
    const response = await fetch(`${server.url}/api/v4/projects/1/jobs/18/artifacts/dist/index.html`, auth)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="index.html"')
    expect(await response.text()).toContain('<title>foo/bar</title>')
    const missing = await fetch(`${server.url}/api/v4/projects/1/jobs/18/artifacts/nope.txt`, auth)
    expect([missing.status, await missing.text()]).toEqual([404, '404 page not found\n'])
  })

  test('@gitbeaker/rest reads through it', async () => {
    const client = new Gitlab({ host: server.url, token: 'reporter-token' })
    const jobs = await client.Jobs.all('foo/bar', { pipelineId: 7, perPage: 4 })
    // Pipeline jobs: id ASC in 13.0, id DESC today (gitlab-jobs-latest.md §1 row 14).
    const ids = [9, 10, 11, 12, 13, 14, 15, 16, 17]
    expect(jobs.map((j) => j.id)).toEqual(byVersion(version, { '13.0': ids, latest: [...ids].reverse() }))
  })

  test('state set through the object is what the server answers', async () => {
    const { jobs } = server.fake.seed.pipeline({
      project: 1,
      jobs: [{ name: 'over-http', status: 'failed' }],
    })
    const response = await fetch(`${server.url}/api/v4/projects/1/jobs/${jobs[0]?.id}`, auth)
    expect(((await response.json()) as { name: string }).name).toBe('over-http')
    server.fake.reset()
    expect((await fetch(`${server.url}/api/v4/projects/1/jobs/${jobs[0]?.id}`, auth)).status).toBe(404)
  })
})

// The command: test/server/gitlab-version.test.ts starts it with --gitlab latest.
describe('the gitlab-fake command', () => {
  const cli = fileURLToPath(new URL('../../dist/node/cli.js', import.meta.url))

  async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const [code] = (await once(child, 'exit')) as [number | null]
    return { code, stdout, stderr }
  }

  async function firstLine(child: ChildProcess): Promise<string> {
    let out = ''
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      out += chunk.toString()
      if (out.includes('\n')) break
    }
    return out.split('\n')[0] as string
  }

  test('starts on a free port, prints its URL first and the tokens, and stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, [cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    const url = await firstLine(child)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${url}/api/v4/projects/1/jobs/7`, {
      headers: { 'PRIVATE-TOKEN': 'root-token' },
    })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { web_url: string }).web_url).toBe(`${url}/foo/bar/-/jobs/7`)
    child.kill('SIGINT')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
  })

  test('lists the tokens of the default dataset', async () => {
    const child = spawn(process.execPath, [cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      out += chunk.toString()
      if (out.includes('Ctrl-C')) break
    }
    child.kill('SIGTERM')
    expect(await once(child, 'exit')).toEqual([0, null])
    for (const token of [
      'root-token',
      'maintainer-token',
      'developer-token',
      'reporter-token',
      'guest-token',
      'outsider-token',
    ]) {
      expect(out).toContain(token)
    }
  })

  test('--help documents the flags and exits 0', async () => {
    const { code, stdout } = await run(['--help'])
    expect(code).toBe(0)
    for (const flag of [
      '--port',
      '--host',
      '--data',
      '--dataset',
      '--seed',
      '--base-url',
      '--no-control',
      '--quiet',
      '--help',
    ]) {
      expect(stdout).toContain(flag)
    }
  })

  test.each([
    [['--port', 'abc'], '--port must be a port number'],
    [['--port', '70000'], '--port must be a port number'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--seed', 'x'], '--seed must be an integer'],
  ])('%j exits 2 and says why', async (args, message) => {
    const { code, stderr } = await run(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
  })
})

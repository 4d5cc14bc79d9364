import { type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { runCli, startCli } from '../support/cli.js'

/** The built command where clients stall, signals repeat and --data names what is no file. */
const cli = fileURLToPath(new URL('../../dist/node/cli.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'gitlab-fake-cli-hardening-'))

type Child = ChildProcessByStdio<null, Readable, Readable>
const children: Child[] = []
const sockets: Socket[] = []
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

async function start(args: string[]): Promise<{ child: Child; url: string; err: () => string }> {
  const started = await startCli(args)
  children.push(started.child)
  return started
}

async function run(args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
  return runCli(args)
}

/** A socket that sends `text` and then neither sends nor reads any more. */
async function stalled(url: string, text: string): Promise<Socket> {
  const { port } = new URL(url)
  const socket = connect(Number(port), '127.0.0.1')
  sockets.push(socket)
  socket.on('error', () => {})
  await once(socket, 'connect')
  socket.write(text)
  return socket
}

/** An upload that declares 1,000 bytes and sends 10. */
const UPLOAD = 'POST /__fake/fixtures HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"users":['

/** Exit status and milliseconds from the signal. */
async function signal(
  child: Child,
  name: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; ms: number }> {
  const started = performance.now()
  const exited = once(child, 'exit') as Promise<[number | null]>
  child.kill(name)
  const [code] = await exited
  return { code, ms: performance.now() - started }
}

describe('SIGTERM and SIGINT with stalled clients', () => {
  test('the requests in flight get --grace seconds, then their connections go and it exits 0', async () => {
    // An archive larger than the socket buffers can hold, so that its download stays in flight.
    const big = randomBytes(12 * 1024 * 1024).toString('base64')
    const data = join(dir, 'big.json')
    writeFileSync(
      data,
      JSON.stringify({
        pipelines: [
          {
            project: 'foo/bar',
            ref: 'main',
            jobs: [
              {
                id: 500,
                name: 'big',
                status: 'success',
                artifacts: [{ file_type: 'archive', files: { 'big.bin': { base64: big } } }],
              },
            ],
          },
        ],
      }),
    )
    const { child, url, err } = await start(['--data', data, '--grace', '1'])
    const download = await stalled(
      url,
      'GET /api/v4/projects/1/jobs/500/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nPRIVATE-TOKEN: maintainer-token\r\n\r\n',
    )
    await once(download, 'data')
    download.pause()
    await stalled(url, UPLOAD)
    await new Promise((r) => setTimeout(r, 300))
    // Neither is answered yet: a line is logged once an answer is written.
    expect(err()).toBe('')
    const { code, ms } = await signal(child)
    expect(code).toBe(0)
    expect(ms).toBeGreaterThan(800)
    expect(ms).toBeLessThan(3000)
    // Dropped clients are no errors: no "failed to answer", no stack.
    expect(err()).not.toMatch(/failed|Error|\n {4}at /)
  })

  test('a second signal stops it at once, with status 1', async () => {
    const { child, url } = await start(['--grace', '30', '--quiet'])
    await stalled(url, UPLOAD)
    await new Promise((r) => setTimeout(r, 200))
    child.kill('SIGINT')
    await new Promise((r) => setTimeout(r, 300))
    expect(child.exitCode).toBe(null)
    const { code, ms } = await signal(child, 'SIGTERM')
    expect(code).toBe(1)
    expect(ms).toBeLessThan(1000)
  })

  test('--grace 0 drops them at once', async () => {
    const { child, url } = await start(['--grace', '0', '--quiet'])
    await stalled(url, UPLOAD)
    await new Promise((r) => setTimeout(r, 200))
    const { code, ms } = await signal(child, 'SIGINT')
    expect(code).toBe(0)
    expect(ms).toBeLessThan(1000)
  })
})

describe('a client that goes away', () => {
  test('is no error: nothing on stderr with --quiet, the request line without', async () => {
    const quiet = await start(['--quiet'])
    ;(await stalled(quiet.url, UPLOAD)).destroy()
    await new Promise((r) => setTimeout(r, 300))
    expect(quiet.err()).toBe('')
    const loud = await start([])
    ;(await stalled(loud.url, UPLOAD)).destroy()
    await new Promise((r) => setTimeout(r, 300))
    expect(loud.err()).toMatch(/^POST \/__fake\/fixtures \d{3} \d+\.\dms \(client went away\)\n$/)
  })
})

describe('--host beyond loopback', () => {
  test('warns on stderr that the control API is reachable from the network; the URL stays first on stdout', async () => {
    const { url, err } = await start(['--host', '0.0.0.0', '--quiet'])
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/)
    await new Promise((r) => setTimeout(r, 100))
    expect(err()).toBe(
      'gitlab-fake: warning: listening on 0.0.0.0, the control API (which loads data and shows every token) is reachable from the network; --no-control turns it off\n',
    )
  })

  test('says nothing with --no-control, nor on loopback', async () => {
    const off = await start(['--host', '0.0.0.0', '--no-control', '--quiet'])
    const local = await start(['--host', 'localhost', '--quiet'])
    await new Promise((r) => setTimeout(r, 100))
    expect([off.err(), local.err()]).toEqual(['', ''])
  })
})

describe('--data takes regular files only', () => {
  test.each([
    ['a character device', () => '/dev/zero', /^gitlab-fake: \/dev\/zero: not a regular file\n$/],
    [
      'a FIFO',
      () => {
        const fifo = join(dir, 'fifo')
        execFileSync('mkfifo', [fifo])
        return fifo
      },
      /fifo: not a regular file\n$/,
    ],
    [
      'a directory',
      () => {
        const folder = join(dir, 'folder.json')
        mkdirSync(folder)
        return folder
      },
      /folder\.json: not a regular file\n$/,
    ],
    [
      'a file over 64 MiB',
      () => {
        const huge = join(dir, 'huge.json')
        writeFileSync(huge, '')
        truncateSync(huge, 64 * 1024 * 1024 + 1)
        return huge
      },
      /huge\.json: 67,108,865 bytes, more than the 64 MiB a fixture file may have\n$/,
    ],
  ])('%s: exit 2 at once, saying why', async (_, file, message) => {
    const { code, stderr, ms } = await run(['--data', file()])
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(ms).toBeLessThan(5000)
  })
})

describe('the new flags', () => {
  test.each([
    [['--grace', 'soon'], '--grace must be a number of seconds from 0 to 3600, got "soon"'],
    [['--grace=-1'], '--grace must be a number of seconds from 0 to 3600, got "-1"'],
    [['--allow-origin', 'evil.example'], '--allow-origin must be an origin such as https://app.example'],
  ])('%j exits 2 and says why', async (args, message) => {
    const { code, stderr } = await run(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
  })

  test('--help documents them, the second signal and the journal pages', async () => {
    const child = spawn(process.execPath, [cli, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    await once(child, 'exit')
    for (const text of [
      '--grace SECONDS',
      '--allow-origin O',
      'a second signal',
      'X-Next-After',
      'limit',
      'after=',
    ])
      expect(out).toContain(text)
  })

  test('--allow-origin lets that origin use the control API', async () => {
    const { url } = await start(['--allow-origin', 'https://app.example', '--quiet'])
    const allowed = await fetch(`${url}/__fake/requests`, { headers: { Origin: 'https://app.example' } })
    expect([allowed.status, allowed.headers.get('access-control-allow-origin')]).toEqual([
      200,
      'https://app.example',
    ])
    expect(
      (await fetch(`${url}/__fake/requests`, { headers: { Origin: 'https://else.example' } })).status,
    ).toBe(403)
  })
})

describe('size limits of fixtures', () => {
  const bigTrace = (mb: number) => ({
    pipelines: [
      { project: 'foo/bar', jobs: [{ artifacts: [{ file_type: 'trace', size: mb * 1024 * 1024 }] }] },
    ],
  })

  test('--max-artifacts-size refuses a larger artifact in a --data file, naming the field', async () => {
    const file = join(dir, 'two-mb-trace.json')
    writeFileSync(file, JSON.stringify(bigTrace(2)))
    const refused = await run(['--max-artifacts-size', '1', '--data', file])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toBe(
      `gitlab-fake: ${file}: pipelines[0].jobs[0].artifacts[0].size: is 2097152 bytes, over the maximum artifacts size of 1048576 bytes\n`,
    )
    const { url } = await start(['--max-artifacts-size', '3', '--data', file, '--quiet'])
    expect(
      (
        await fetch(`${url}/api/v4/projects/1/jobs/22/trace`, {
          headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
        })
      ).status,
    ).toBe(200)
  })

  test('over the control API: 400 naming the field, nothing loaded', async () => {
    const { url } = await start(['--quiet'])
    const before = await (await fetch(`${url}/__fake/state`)).text()
    const response = await fetch(`${url}/__fake/fixtures`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        pipelines: [
          {
            project: 'foo/bar',
            jobs: Array.from({ length: 10 }, () => ({
              artifacts: [{ file_type: 'trace', size: 500_000_000 }],
            })),
          },
        ],
      }),
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { issues: { path: string }[] }
    expect(body.issues.map((i) => i.path)).toEqual(['pipelines[0].jobs[0].artifacts[0].size'])
    expect(await (await fetch(`${url}/__fake/state`)).text()).toBe(before)
  })

  test.each([
    ['--max-artifacts-size', '0'],
    ['--max-load-size', 'lots'],
  ])('%s %s is refused', async (flag, value) => {
    const { code, stderr } = await run([flag, value])
    expect(code).toBe(2)
    expect(stderr).toContain(`${flag} must be a positive number of megabytes, got "${value}"`)
  })
})

import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'
import { withTool } from '../support/tools.js'

/** The archive download's byte ranges over real HTTP: what a client resuming a download meets. */

forEachVersion('server ranges', (version) => {
  const TOKEN = { 'PRIVATE-TOKEN': 'maintainer-token' }

  let server: RunningServer
  let url: string
  let all: Uint8Array
  beforeAll(async () => {
    server = await listen({ gitlab: version, port: 0, clock: 'manual' })
    url = `${server.url}/api/v4/projects/1/jobs/18/artifacts`
    all = new Uint8Array(await (await fetch(url, { headers: TOKEN })).arrayBuffer())
  })
  afterAll(() => server.close())

  function get(headers: Record<string, string>, method = 'GET'): Promise<Response> {
    return fetch(url, { method, headers: { ...TOKEN, ...headers } })
  }

  describe('byte ranges over HTTP', () => {
    test('the whole archive: 200, Accept-Ranges, Last-Modified, its length', async () => {
      const response = await get({})
      expect(response.status).toBe(200)
      expect(response.headers.get('accept-ranges')).toBe('bytes')
      expect(response.headers.get('last-modified')).toBe('Thu, 21 May 2020 09:32:19 GMT')
      expect(response.headers.get('content-length')).toBe(String(all.length))
      await response.arrayBuffer()
    })

    test('Range: bytes=0-9 is a 206 of ten bytes', async () => {
      const response = await get({ Range: 'bytes=0-9' })
      expect(response.status).toBe(206)
      expect(response.headers.get('content-range')).toBe(`bytes 0-9/${all.length}`)
      expect(response.headers.get('content-length')).toBe('10')
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(all.slice(0, 10))
    })

    test('bytes=N- is the tail of the full download', async () => {
      for (const n of [1, 100, all.length - 1]) {
        const response = await get({ Range: `bytes=${n}-` })
        expect(response.status).toBe(206)
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(all.slice(n))
      }
    })

    test('past the end: 416 with Content-Range: bytes */SIZE', async () => {
      const response = await get({ Range: `bytes=${all.length}-` })
      expect(response.status).toBe(416)
      expect(response.headers.get('content-range')).toBe(`bytes */${all.length}`)
      expect(await response.text()).toBe('invalid range: failed to overlap\n')
    })

    test('HEAD with a range: the 206 headers, no body', async () => {
      const response = await get({ Range: 'bytes=0-9' }, 'HEAD')
      expect(response.status).toBe(206)
      expect(response.headers.get('content-length')).toBe('10')
      expect(response.headers.get('content-range')).toBe(`bytes 0-9/${all.length}`)
      expect((await response.arrayBuffer()).byteLength).toBe(0)
    })

    test('several ranges: a multipart body whose length is the one announced', async () => {
      const response = await get({ Range: 'bytes=0-1,5-6' })
      expect(response.status).toBe(206)
      expect(response.headers.get('content-type')).toMatch(/^multipart\/byteranges; boundary=[0-9a-f]{60}$/)
      const body = new Uint8Array(await response.arrayBuffer())
      expect(response.headers.get('content-length')).toBe(String(body.length))
    })

    test('curl resumes a download it was cut off from (-C -), and fetches a range (-r)', async () => {
      await withTool('curl', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'gitlab-fake-ranges-'))
        const file = join(dir, 'artifacts.zip')
        writeFileSync(file, all.slice(0, Math.floor(all.length / 2)))
        await curl(['-sS', '-f', '-C', '-', '-o', file, '-H', 'PRIVATE-TOKEN: maintainer-token', url])
        expect(new Uint8Array(readFileSync(file))).toEqual(all)
        const range = join(dir, 'range')
        await curl(['-sS', '-f', '-r', '10-19', '-o', range, '-H', 'PRIVATE-TOKEN: maintainer-token', url])
        expect(new Uint8Array(readFileSync(range))).toEqual(all.slice(10, 20))
      })
    })
  })

  /** curl, run without blocking: the server answers from this same process. */
  function curl(args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      execFile('curl', args, { timeout: 20_000 }, (error, _stdout, stderr) =>
        error ? reject(new Error(`curl failed: ${stderr || error.message}`)) : resolve(),
      )
    })
  }
})

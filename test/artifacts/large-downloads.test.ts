import { randomBytes } from 'node:crypto'
import { bypass } from 'msw'
import { beforeAll, describe, expect, test } from 'vitest'
import { describeEachVersion } from '../support/each-version.js'
import { api } from '../support/gitlab.js'

/**
 * A large archive goes out without being copied up front: the answer holds views of the kept
 * bytes, the server writes them as they are, and a Fetch Response (MSW, `handle()`) streams
 * copies of 1 MiB at a time when read. Each chunk carries only its own bytes: MSW's `setupWorker`
 * structured-clones every chunk over to its service worker, and a view would take the whole
 * archive with it each time (test/browser/worker-app.test.ts measures that path in Chromium).
 */

describeEachVersion(
  'large downloads',
  (_version, gitlab) => {
    const MB = 2 ** 20
    let id = 0
    let kept: Uint8Array

    beforeAll(() => {
      // Random bytes: deflate leaves the archive about as large.
      const files = { 'dist/app.bin': { base64: randomBytes(3 * MB).toString('base64') } }
      const { jobs } = gitlab.seed.pipeline({
        project: 'foo/bar',
        jobs: [{ name: 'bundle', status: 'success', artifacts: [{ file_type: 'archive', files }] }],
      })
      id = jobs[0]?.id as number
      gitlab.commitInitial()
      const archive = gitlab.store.jobs.get(id)?.artifacts.find((a) => a.file_type === 'archive')
      kept = gitlab.store.blob(archive?.blob as string) as Uint8Array
    })

    function request(headers: Record<string, string> = {}): Request {
      return new Request(`${gitlab.apiUrl}/projects/1/jobs/${id}/artifacts`, {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token', ...headers },
      })
    }

    async function chunks(response: Response): Promise<Uint8Array[]> {
      const out: Uint8Array[] = []
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value)
      return out
    }

    /** Byte for byte (toEqual walks 3 million elements slowly). */
    function expectBytes(
      actual: Uint8Array | ArrayBuffer | readonly Uint8Array[],
      expected: Uint8Array,
    ): void {
      const bytes = Array.isArray(actual)
        ? Buffer.concat(actual)
        : Buffer.from(actual instanceof ArrayBuffer ? new Uint8Array(actual) : (actual as Uint8Array))
      expect(bytes.length).toBe(expected.length)
      expect(bytes.equals(expected)).toBe(true)
    }

    describe('a 3 MB archive', () => {
      test('the answer holds the kept bytes themselves, not a copy', async () => {
        const answer = await gitlab.answer(request())
        expect(kept.length).toBeGreaterThan(3 * MB)
        expect(answer?.body).toHaveLength(1)
        expect((answer?.body as Uint8Array[] | undefined)?.[0]).toBe(kept)
      })

      test('handle(): 1 MiB chunks, each a copy with a buffer of its own, the same bytes in all', async () => {
        const response = (await gitlab.handle(request())) as Response
        expect(response.headers.get('content-length')).toBe(String(kept.length))
        const list = await chunks(response)
        expect(list.map((c) => c.length)).toEqual([MB, MB, MB, kept.length - 3 * MB])
        for (const chunk of list) expect(chunk.buffer.byteLength).toBe(chunk.length)
        expectBytes(list, kept)
      })

      test('fetch under setupServer, a range over 1 MiB, and HEAD', async () => {
        const whole = await api(`/projects/1/jobs/${id}/artifacts`)
        expectBytes(await whole.arrayBuffer(), kept)
        const range = await api(`/projects/1/jobs/${id}/artifacts`, 'maintainer', {
          headers: { Range: 'bytes=1000-2100000' },
        })
        expect(range.status).toBe(206)
        expectBytes(await range.arrayBuffer(), kept.slice(1000, 2_100_001))
        const head = await api(`/projects/1/jobs/${id}/artifacts`, 'maintainer', { method: 'HEAD' })
        expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([
          200,
          String(kept.length),
          '',
        ])
      })

      test('a small range is one body of its bytes', async () => {
        const response = (await gitlab.handle(request({ Range: 'bytes=10-19' }))) as Response
        expect(response.status).toBe(206)
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(kept.slice(10, 20))
      })

      test('over the standalone server: the same bytes, whole and in a range', async () => {
        const server = await gitlab.listen({ port: 0 })
        try {
          const url = `${server.url}/api/v4/projects/1/jobs/${id}/artifacts`
          const headers = { 'PRIVATE-TOKEN': 'maintainer-token' }
          // bypass(): past this file's setupServer, to the real server.
          const whole = await fetch(bypass(url, { headers }))
          expect(whole.headers.get('content-length')).toBe(String(kept.length))
          expectBytes(await whole.arrayBuffer(), kept)
          const range = await fetch(bypass(url, { headers: { ...headers, Range: 'bytes=-1500000' } }))
          expectBytes(await range.arrayBuffer(), kept.slice(-1_500_000))
        } finally {
          await server.close()
        }
      })
    })
  },
  { seed: 7 },
)

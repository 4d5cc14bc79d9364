import { describe, expect, test } from 'vitest'
import { defaultBranch, describeEachVersion } from '../support/each-version.js'
import { api, json } from '../support/gitlab.js'
import { seedJob } from '../support/jobs.js'

/**
 * The archive downloads as Workhorse sends them, with Go's `http.ServeContent`
 * (internal/sendfile/sendfile.go, net/http/fs.go); the single file without ranges
 * (internal/artifacts/entry.go).
 */

describeEachVersion(
  'ranges',
  (version, gitlab) => {
    // The default dataset's branch: master in 13.0's, main in latest's.
    const master = defaultBranch(version)
    const ARCHIVE = '/projects/1/jobs/18/artifacts'
    // Job 18 finished at 2020-05-21T09:32:19.480Z: the archive was written then.
    const LAST_MODIFIED = 'Thu, 21 May 2020 09:32:19 GMT'

    async function bytes(response: Response): Promise<Uint8Array> {
      return new Uint8Array(await response.arrayBuffer())
    }

    async function whole(): Promise<Uint8Array> {
      return bytes(await api(ARCHIVE))
    }

    function get(path: string, headers: Record<string, string>, method = 'GET'): Promise<Response> {
      return api(path, 'maintainer', { method, headers })
    }

    describe('the archive download takes byte ranges', () => {
      test('the whole archive says it takes ranges, and when it was written', async () => {
        const response = await api(ARCHIVE)
        expect(response.status).toBe(200)
        expect(response.headers.get('accept-ranges')).toBe('bytes')
        expect(response.headers.get('last-modified')).toBe(LAST_MODIFIED)
        expect(response.headers.get('content-range')).toBeNull()
        const body = await bytes(response)
        expect(response.headers.get('content-length')).toBe(String(body.length))
      })

      test.each([
        ['bytes=0-9', 0, 10],
        ['bytes=10-19', 10, 20],
        ['bytes=100-', 100, undefined],
        ['bytes=-50', -50, undefined],
        ['bytes=5-99999999', 5, undefined],
        ['bytes=-99999999', 0, undefined],
        ['bytes= 3 - 7 ', 3, 8],
        ['bytes=+3-7', 3, 8],
      ])('%s: 206 with the bytes asked, their Content-Range and length', async (range, from, to) => {
        const all = await whole()
        const response = await get(ARCHIVE, { Range: range })
        expect(response.status).toBe(206)
        const part = await bytes(response)
        const expected = all.slice(from, to)
        expect(part).toEqual(expected)
        const start = from < 0 ? all.length + from : from
        expect(response.headers.get('content-range')).toBe(
          `bytes ${start}-${start + expected.length - 1}/${all.length}`,
        )
        expect(response.headers.get('content-length')).toBe(String(expected.length))
        expect(response.headers.get('content-type')).toBe('application/octet-stream')
        expect(response.headers.get('accept-ranges')).toBe('bytes')
        expect(response.headers.get('content-disposition')).toBe(
          `attachment; filename="artifacts.zip"; filename*=UTF-8''artifacts.zip`,
        )
        expect(response.headers.get('last-modified')).toBe(LAST_MODIFIED)
      })

      test('a resumed download: bytes=N- is the tail of the whole file, and both make it up', async () => {
        const all = await whole()
        for (const n of [1, 17, Math.floor(all.length / 2), all.length - 1]) {
          const tail = await bytes(await get(ARCHIVE, { Range: `bytes=${n}-` }))
          expect(tail).toEqual(all.slice(n))
          expect(new Uint8Array([...all.slice(0, n), ...tail])).toEqual(all)
        }
      })

      test('a range past the end: 416, Content-Range: bytes */SIZE and Go’s text', async () => {
        const size = (await whole()).length
        for (const range of [
          `bytes=${size}-`,
          `bytes=${size + 10}-${size + 20}`,
          `bytes=${size}-,${size + 1}-`,
        ]) {
          const response = await get(ARCHIVE, { Range: range })
          expect(response.status, range).toBe(416)
          expect(response.headers.get('content-range'), range).toBe(`bytes */${size}`)
          expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
          expect(response.headers.get('x-content-type-options')).toBe('nosniff')
          expect(response.headers.get('accept-ranges')).toBeNull()
          expect(await response.text()).toBe('invalid range: failed to overlap\n')
        }
      })

      test.each([
        'bytes=a-b',
        'bytes=5-1',
        'bytes=0',
        'bytes=-',
        'bytes=--5',
        'bytes=1-2-3',
        'items=0-9',
        'Bytes=0-9',
        'bytes=0-99999999999999999999',
      ])('a malformed range (%s): 416 "invalid range", no Content-Range', async (range) => {
        const response = await get(ARCHIVE, { Range: range })
        expect(response.status).toBe(416)
        expect(response.headers.get('content-range')).toBeNull()
        expect(await response.text()).toBe('invalid range\n')
      })

      test('empty specs, or ranges that add up to more than the file: the whole file, 200', async () => {
        const all = await whole()
        for (const range of ['bytes=', 'bytes=,', 'bytes=0-,0-', `bytes=0-${all.length - 1},1-2`]) {
          const response = await get(ARCHIVE, { Range: range })
          expect(response.status, range).toBe(200)
          expect(await bytes(response), range).toEqual(all)
        }
      })

      test('several ranges: multipart/byteranges as Go writes it', async () => {
        const all = await whole()
        const size = all.length
        const response = await get(ARCHIVE, { Range: 'bytes=0-3, 10-14,-2' })
        expect(response.status).toBe(206)
        const type = response.headers.get('content-type') as string
        const boundary = /^multipart\/byteranges; boundary=([0-9a-f]{60})$/.exec(type)?.[1] as string
        expect(boundary).toBeDefined()
        const body = await bytes(response)
        expect(response.headers.get('content-length')).toBe(String(body.length))
        expect(response.headers.get('content-range')).toBeNull()
        const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1')
        const part = (i: number, start: number, end: number) =>
          `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Range: bytes ${start}-${end}/${size}\r\nContent-Type: application/octet-stream\r\n\r\n${latin1(all.slice(start, end + 1))}`
        expect(latin1(body)).toBe(
          `${part(0, 0, 3)}${part(1, 10, 14)}${part(2, size - 2, size - 1)}\r\n--${boundary}--\r\n`,
        )
      })

      test('HEAD: the same status and headers, no body', async () => {
        const size = (await whole()).length
        const full = await get(ARCHIVE, {}, 'HEAD')
        expect(full.status).toBe(200)
        expect(full.headers.get('content-length')).toBe(String(size))
        expect(full.headers.get('accept-ranges')).toBe('bytes')
        expect((await bytes(full)).length).toBe(0)
        const partial = await get(ARCHIVE, { Range: 'bytes=0-9' }, 'HEAD')
        expect(partial.status).toBe(206)
        expect(partial.headers.get('content-range')).toBe(`bytes 0-9/${size}`)
        expect(partial.headers.get('content-length')).toBe('10')
        expect((await bytes(partial)).length).toBe(0)
        const unsatisfiable = await get(ARCHIVE, { Range: `bytes=${size}-` }, 'HEAD')
        expect(unsatisfiable.status).toBe(416)
      })

      test('If-Range: the file’s date keeps the range; another date or an entity tag gets the whole file', async () => {
        const all = await whole()
        const kept = await get(ARCHIVE, { Range: 'bytes=0-9', 'If-Range': LAST_MODIFIED })
        expect([kept.status, (await bytes(kept)).length]).toEqual([206, 10])
        for (const ifRange of ['Fri, 22 May 2020 09:32:19 GMT', '"abc"', 'W/"abc"', 'not a date']) {
          const response = await get(ARCHIVE, { Range: 'bytes=0-9', 'If-Range': ifRange })
          expect(response.status, ifRange).toBe(200)
          expect(await bytes(response)).toEqual(all)
        }
      })

      test('conditional requests: 304 when not modified since, 412 when a precondition fails', async () => {
        const notModified = await get(ARCHIVE, { 'If-Modified-Since': LAST_MODIFIED })
        expect(notModified.status).toBe(304)
        expect(notModified.headers.get('content-type')).toBeNull()
        expect(notModified.headers.get('content-length')).toBeNull()
        expect(notModified.headers.get('last-modified')).toBe(LAST_MODIFIED)
        expect((await bytes(notModified)).length).toBe(0)
        // The other layouts of http.ParseTime: RFC 850 and asctime.
        for (const date of ['Thursday, 21-May-20 09:32:19 GMT', 'Thu May 21 09:32:19 2020']) {
          expect((await get(ARCHIVE, { 'If-Modified-Since': date })).status, date).toBe(304)
        }
        expect((await get(ARCHIVE, { 'If-None-Match': '*' })).status).toBe(304)

        for (const headers of <Record<string, string>[]>[
          { 'If-Modified-Since': 'Thu, 21 May 2020 09:32:18 GMT' },
          { 'If-Modified-Since': 'yesterday' },
          // An If-None-Match that no tag matches skips If-Modified-Since.
          { 'If-None-Match': '"abc"', 'If-Modified-Since': LAST_MODIFIED },
          { 'If-Match': '*' },
          { 'If-Unmodified-Since': LAST_MODIFIED },
        ]) {
          expect((await get(ARCHIVE, headers)).status, JSON.stringify(headers)).toBe(200)
        }
        for (const headers of <Record<string, string>[]>[
          { 'If-Match': '"abc"' },
          { 'If-Unmodified-Since': 'Thu, 21 May 2020 09:32:18 GMT' },
        ]) {
          const response = await get(ARCHIVE, headers)
          expect(response.status, JSON.stringify(headers)).toBe(412)
          expect(await response.text()).toBe('')
        }
      })

      test('the download by ref takes ranges too', async () => {
        const all = await whole()
        const response = await get(`/projects/1/jobs/artifacts/${master}/download?job=build`, {
          Range: 'bytes=-10',
        })
        expect(response.status).toBe(206)
        expect(await bytes(response)).toEqual(all.slice(-10))
      })

      test('a range is a view of the kept bytes in the answer: nothing is copied', async () => {
        const job = gitlab.store.jobs.get(18)
        const blob = gitlab.store.blob(job?.artifacts.find((a) => a.file_type === 'archive')?.blob as string)
        const answer = await gitlab.answer(
          new Request(`https://gitlab.example.com/api/v4${ARCHIVE}`, {
            headers: { 'PRIVATE-TOKEN': 'maintainer-token', Range: 'bytes=100-199' },
          }),
        )
        if (!answer) throw new Error('no answer')
        expect(answer.status).toBe(206)
        const [value] = answer.body as Uint8Array[]
        expect(value?.buffer).toBe(blob?.buffer)
        expect([value?.byteOffset, value?.length]).toEqual([(blob?.byteOffset ?? 0) + 100, 100])
      })

      test('a refusal comes before any range: the errors are GitLab’s', async () => {
        const missing = await get('/projects/1/jobs/999/artifacts', { Range: 'bytes=0-9' })
        expect([missing.status, await json(missing)]).toEqual([404, { message: '404 Not found' }])
        const noArchive = await get('/projects/1/jobs/8/artifacts', { Range: 'bytes=0-9' })
        expect([noArchive.status, await json(noArchive)]).toEqual([404, { message: '404 Not Found' }])
      })
    })

    describe('one file out of the archive takes no ranges (Workhorse 13.0)', () => {
      test('a Range is ignored: the whole file, 200, no Accept-Ranges', async () => {
        const path = '/projects/1/jobs/18/artifacts/dist/index.html'
        const plain = await api(path)
        const text = await plain.text()
        for (const range of ['bytes=0-3', 'bytes=999999-', 'nonsense']) {
          const response = await get(path, { Range: range })
          expect(response.status, range).toBe(200)
          expect(response.headers.get('accept-ranges')).toBeNull()
          expect(response.headers.get('content-range')).toBeNull()
          expect(await response.text()).toBe(text)
        }
        const byRef = await get(`/projects/1/jobs/artifacts/${master}/raw/dist/index.html?job=build`, {
          Range: 'bytes=0-3',
        })
        expect([byRef.status, await byRef.text()]).toEqual([200, text])
      })
    })

    describe('an archive of a job seeded now', () => {
      test('Last-Modified is when the job finished; a large archive resumes at any offset', async () => {
        // Bytes that deflate cannot shrink, so that the archive spans several chunks of the stream.
        let x = 2463534242
        const noise = Uint8Array.from({ length: 300_000 }, () => {
          x ^= x << 13
          x ^= x >>> 17
          x ^= x << 5
          return x & 0xff
        })
        const job = seedJob(gitlab, {
          status: 'success',
          finished_at: '2026-02-01T08:00:00.999Z',
          artifacts: [
            {
              file_type: 'archive',
              files: { 'noise.bin': { base64: Buffer.from(noise).toString('base64') } },
            },
          ],
        })
        const path = `/projects/1/jobs/${job.id}/artifacts`
        const full = await api(path)
        expect(full.headers.get('last-modified')).toBe('Sun, 01 Feb 2026 08:00:00 GMT')
        const all = await bytes(full)
        expect(all.length).toBeGreaterThan(200_000)
        const tail = await get(path, { Range: 'bytes=65530-' })
        expect(tail.headers.get('content-range')).toBe(`bytes 65530-${all.length - 1}/${all.length}`)
        expect(await bytes(tail)).toEqual(all.slice(65530))
      })
    })
  },
  { now: () => Date.parse('2026-03-01T12:00:00.000Z') },
)

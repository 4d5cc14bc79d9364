import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'fflate'
import JSZip from 'jszip'
import { describe, expect, test } from 'vitest'
import { byVersion, defaultBranch, describeEachVersion } from '../support/each-version.js'
import { API, api, json } from '../support/gitlab.js'
import { seedJob } from '../support/jobs.js'
import { withTool } from '../support/tools.js'

const NOW = Date.parse('2026-03-01T12:00:00.000Z')
describeEachVersion(
  'artifact downloads',
  (version, gitlab) => {
    // The default dataset's branch (master in 13.0's, main in latest's), and a job token that
    // authenticates: any job's in 13.0, a running job's today (gitlab-jobs-latest.md §1 row 27).
    const master = defaultBranch(version)
    const jobToken = byVersion(version, { '13.0': 'job-token-9', latest: 'job-token-11' })
    const NOT_FOUND = { message: '404 Not Found' }
    const NOT_FOUND_RECORD = { message: '404 Not found' }
    const WORKHORSE_404 = '404 page not found\n'

    async function bytes(response: Response): Promise<Uint8Array> {
      return new Uint8Array(await response.arrayBuffer())
    }

    /** `python3 -m zipfile -t`: the archive is a valid zip to another reader too. */
    function pythonZipTest(zip: Uint8Array): string {
      const dir = mkdtempSync(join(tmpdir(), 'gitlab-fake-'))
      const file = join(dir, 'artifacts.zip')
      writeFileSync(file, zip)
      return execFileSync('python3', ['-m', 'zipfile', '-t', file], { encoding: 'utf8' })
    }

    describe('GET /projects/:id/jobs/:job_id/artifacts', () => {
      test('a real zip, with the headers GitLab sends, as large as the job says', async () => {
        const response = await api('/projects/1/jobs/18/artifacts')
        expect(response.status).toBe(200)
        expect(response.headers.get('content-type')).toBe('application/octet-stream')
        expect(response.headers.get('content-transfer-encoding')).toBe('binary')
        expect(response.headers.get('content-disposition')).toBe(
          `attachment; filename="artifacts.zip"; filename*=UTF-8''artifacts.zip`,
        )
        const zip = await bytes(response)
        expect(response.headers.get('content-length')).toBe(String(zip.length))
        const job = (await json(await api('/projects/1/jobs/18'))) as { artifacts_file: { size: number } }
        expect(job.artifacts_file.size).toBe(zip.length)

        const archive = await JSZip.loadAsync(zip)
        expect(Object.keys(archive.files).sort()).toEqual([
          'build.log',
          'dist/',
          'dist/app.js',
          'dist/index.html',
        ])
        expect(archive.files['dist/']?.dir).toBe(true)
        expect(await archive.file('dist/app.js')?.async('string')).toBe("console.log('foo/bar 1.4.0')\n")
        withTool('python3', () => expect(pythonZipTest(zip)).toContain('Done testing'))
      })

      test('faker fills an archive a fixture did not describe: a coverage summary, a JUnit report, a build', async () => {
        const zip = await bytes(await api('/projects/1/jobs/9/artifacts'))
        const archive = await JSZip.loadAsync(zip)
        const names = Object.keys(archive.files)
        expect(names).toEqual(
          expect.arrayContaining([
            'coverage/',
            'coverage/coverage-summary.json',
            'reports/junit.xml',
            'build/output.log',
          ]),
        )
        const summary = JSON.parse(
          (await archive.file('coverage/coverage-summary.json')?.async('string')) as string,
        )
        expect(summary.total.lines.covered).toBeLessThanOrEqual(summary.total.lines.total)
        expect(await archive.file('reports/junit.xml')?.async('string')).toMatch(/^<\?xml[\s\S]*<testsuite /)
        withTool('python3', () => expect(pythonZipTest(zip)).toContain('Done testing'))
      })

      test('the files a seeding call gives, text and binary', async () => {
        const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255])
        const job = seedJob(gitlab, {
          status: 'success',
          artifacts: [
            {
              file_type: 'archive',
              files: {
                'report/summary.txt': 'all green\n',
                'report/img/logo.png': { base64: Buffer.from(png).toString('base64') },
              },
            },
          ],
        })
        const archive = await JSZip.loadAsync(await bytes(await api(`/projects/1/jobs/${job.id}/artifacts`)))
        expect(Object.keys(archive.files).sort()).toEqual([
          'report/',
          'report/img/',
          'report/img/logo.png',
          'report/summary.txt',
        ])
        expect(await archive.file('report/img/logo.png')?.async('uint8array')).toEqual(png)
      })

      test('the documented job 7: every artifact is as large as documented', async () => {
        const rows = gitlab.store.jobs.get(7)?.artifacts ?? []
        expect(rows.map((r) => [r.file_type, r.size])).toEqual([
          ['archive', 1000],
          ['metadata', 186],
          ['trace', 1500],
          ['junit', 750],
        ])
        for (const row of rows) {
          if (row.blob === null) continue
          const data = gitlab.store.blob(row.blob) as Uint8Array
          expect(data.length, row.file_type).toBe(row.size)
          if (row.file_format === 'gzip') expect(gunzipSync(data).length, row.file_type).toBeGreaterThan(0)
        }
        expect(
          new TextDecoder().decode(gunzipSync(gitlab.store.blob(rows[3]?.blob as string) as Uint8Array)),
        ).toContain('<testsuite')
        expect((await bytes(await api('/projects/1/jobs/7/trace'))).length).toBe(1500)
      })

      test('job 7 at its documented time downloads its 1000-byte archive; expired, until the worker destroys it', async () => {
        const { createGitLabFake } = await import('../../src/index.js')
        const then = createGitLabFake({ now: () => Date.parse('2015-12-24T18:00:00Z') })
        const response = await then.handle(
          new Request('https://gitlab.example.com/api/v4/projects/1/jobs/7/artifacts', {
            headers: { 'PRIVATE-TOKEN': 'root-token' },
          }),
        )
        expect(response?.status).toBe(200)
        const zip = new Uint8Array(await (response as Response).arrayBuffer())
        expect(zip.length).toBe(1000)
        expect(Object.keys((await JSZip.loadAsync(zip)).files)).toContain('teaspoon/results.xml')
        withTool('python3', () => expect(pythonZipTest(zip)).toContain('Done testing'))

        // Today it has expired, and the worker has not run in this fake yet: the archive still downloads.
        expect((await api('/projects/1/jobs/7/artifacts')).status).toBe(200)
        gitlab.artifacts.expire()
        const destroyed = await api('/projects/1/jobs/7/artifacts')
        expect([destroyed.status, await json(destroyed)]).toEqual([404, NOT_FOUND])
      })

      test('a job without an archive: 404 Not Found; an unknown job: 404 Not found', async () => {
        const none = await api('/projects/1/jobs/10/artifacts')
        expect([none.status, await json(none)]).toEqual([404, NOT_FOUND])
        const unknown = await api('/projects/1/jobs/999/artifacts')
        expect([unknown.status, await json(unknown)]).toEqual([404, NOT_FOUND_RECORD])
      })

      test('a CI job token, as job_token or JOB-TOKEN, downloads as the job’s user', async () => {
        const viaQuery = await fetch(`${API}/projects/1/jobs/18/artifacts?job_token=${jobToken}`)
        expect(viaQuery.status).toBe(200)
        const viaHeader = await fetch(`${API}/projects/1/jobs/18/artifacts`, {
          headers: { 'JOB-TOKEN': jobToken },
        })
        expect(viaHeader.status).toBe(200)
        const unknown = await fetch(`${API}/projects/1/jobs/18/artifacts`, {
          headers: { 'JOB-TOKEN': 'nope' },
        })
        expect([unknown.status, await json(unknown)]).toEqual([401, { message: '401 Unauthorized' }])
      })

      test('anonymous: 404 on a private project, 200 with public pipelines, 403 without', async () => {
        const privately = await api('/projects/1/jobs/18/artifacts', 'none')
        expect([privately.status, await json(privately)]).toEqual([404, { message: '404 Project Not Found' }])
        expect((await api('/projects/2/jobs/20/artifacts', 'none')).status).toBe(200)
        const project = gitlab.seed.project({
          path: 'pub/closed',
          visibility: 'public',
          public_builds: false,
        })
        const { jobs } = gitlab.seed.pipeline({ project, jobs: [{ artifacts: [{ file_type: 'archive' }] }] })
        const closed = await api(`/projects/${project.id}/jobs/${jobs[0]?.id}/artifacts`, 'none')
        expect([closed.status, await json(closed)]).toEqual([403, { message: '403 Forbidden' }])
      })

      test('HEAD: the headers, no body', async () => {
        const response = await api('/projects/1/jobs/18/artifacts', 'maintainer', { method: 'HEAD' })
        expect(response.status).toBe(200)
        expect(response.headers.get('content-disposition')).toContain('artifacts.zip')
        expect((await bytes(response)).length).toBe(0)
      })
    })

    describe('GET /projects/:id/jobs/artifacts/:ref_name/download?job=name', () => {
      test('the latest successful pipeline of the ref, its job of that name', async () => {
        const byRef = await bytes(await api(`/projects/1/jobs/artifacts/${master}/download?job=build`))
        const byId = await bytes(await api('/projects/1/jobs/18/artifacts'))
        expect(byRef).toEqual(byId)
      })

      test('`job` is required: 400 before anything else, even for anonymous callers', async () => {
        for (const token of ['maintainer', 'none'] as const) {
          const response = await api(`/projects/1/jobs/artifacts/${master}/download`, token)
          expect([response.status, await json(response)]).toEqual([400, { error: 'job is missing' }])
        }
      })

      test.each([
        ['an unknown ref', '/projects/1/jobs/artifacts/TAIL/download?job=build'],
        ['an unknown job', `/projects/1/jobs/artifacts/${master}/download?job=nope`],
        ['a job without an archive', `/projects/1/jobs/artifacts/${master}/download?job=test`],
        [
          'a ref whose pipeline did not succeed',
          '/projects/1/jobs/artifacts/feature%2Fevery-status/download?job=compile',
        ],
      ])('%s: 404 Not found', async (_, path) => {
        const response = await api(path)
        expect([response.status, await json(response)]).toEqual([404, NOT_FOUND_RECORD])
      })

      test('no fallback to an older successful pipeline', async () => {
        gitlab.seed.pipeline({ project: 1, ref: master, jobs: [{ name: 'test', status: 'success' }] })
        const response = await api(`/projects/1/jobs/artifacts/${master}/download?job=build`)
        expect([response.status, await json(response)]).toEqual([404, NOT_FOUND_RECORD])
      })

      test('a ref with slashes, sent encoded or raw; a tag', async () => {
        const { jobs } = gitlab.seed.pipeline({
          project: 1,
          ref: 'feature/deep/ref',
          jobs: [
            {
              name: 'pack',
              status: 'success',
              artifacts: [{ file_type: 'archive', files: { 'p.txt': 'deep' } }],
            },
          ],
        })
        const expected = await bytes(await api(`/projects/1/jobs/${jobs[0]?.id}/artifacts`))
        for (const ref of ['feature%2Fdeep%2Fref', 'feature/deep/ref']) {
          const response = await api(`/projects/1/jobs/artifacts/${ref}/download?job=pack`)
          expect(response.status, ref).toBe(200)
          expect(await bytes(response)).toEqual(expected)
        }
      })

      test('the latest job of that name wins over a retried one', async () => {
        const { jobs } = gitlab.seed.pipeline({
          project: 1,
          ref: 'stable',
          jobs: [
            {
              name: 'pack',
              status: 'success',
              retried: true,
              artifacts: [{ file_type: 'archive', files: { 'v.txt': 'old' } }],
            },
            {
              name: 'pack',
              status: 'success',
              artifacts: [{ file_type: 'archive', files: { 'v.txt': 'new' } }],
            },
          ],
        })
        const zip = await JSZip.loadAsync(
          await bytes(await api('/projects/1/jobs/artifacts/stable/download?job=pack')),
        )
        expect(await zip.file('v.txt')?.async('string')).toBe('new')
        expect(jobs).toHaveLength(2)
      })

      test('a job token is accepted here too', async () => {
        expect(
          (await fetch(`${API}/projects/1/jobs/artifacts/${master}/download?job=build&job_token=${jobToken}`))
            .status,
        ).toBe(200)
      })
    })

    describe('one file out of the archive (Workhorse)', () => {
      test.each([
        [
          'dist/index.html',
          'text/html; charset=utf-8',
          '<!doctype html>\n<title>foo/bar</title>\n<script src="app.js"></script>\n',
        ],
        ['dist/app.js', 'application/javascript', "console.log('foo/bar 1.4.0')\n"],
        ['build.log', 'application/octet-stream', 'webpack 4.43.0: compiled successfully in 4213ms\n'],
      ])('by job id: %s as %s', async (path, type, content) => {
        const response = await api(`/projects/1/jobs/18/artifacts/${path}`)
        expect(response.status).toBe(200)
        expect(response.headers.get('content-type')).toBe(type)
        expect(response.headers.get('content-disposition')).toBe(
          `attachment; filename="${path.split('/').at(-1)}"`,
        )
        expect(response.headers.get('content-length')).toBe(String(new TextEncoder().encode(content).length))
        expect(await response.text()).toBe(content)
      })

      test('by ref: the same file; an encoded slash is a slash', async () => {
        for (const path of ['dist/index.html', 'dist%2Findex.html']) {
          const response = await api(`/projects/1/jobs/artifacts/${master}/raw/${path}?job=build`)
          expect(response.status, path).toBe(200)
          expect(await response.text()).toContain('<title>foo/bar</title>')
        }
        expect((await api('/projects/1/jobs/18/artifacts/dist%2Fapp.js')).status).toBe(200)
      })

      test.each([
        ['a path not in the archive', 'dist/missing.js'],
        ['a directory', 'dist/'],
        ['a path climbing out', 'dist/..%2F..%2F..%2Fetc%2Fpasswd'],
        ['a leading slash', '%2Fdist/app.js'],
      ])('%s: Workhorse’s plain-text 404', async (_, path) => {
        for (const url of [
          `/projects/1/jobs/18/artifacts/${path}`,
          `/projects/1/jobs/artifacts/${master}/raw/${path}?job=build`,
        ]) {
          const response = await api(url)
          expect(response.status, url).toBe(404)
          expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
          expect(await response.text()).toBe(WORKHORSE_404)
        }
      })

      test.each([
        ['a NUL byte', 'dist/app%00.js'],
        ['invalid UTF-8', 'dist/%FF.js'],
      ])('%s: 400', async (_, path) => {
        for (const url of [
          `/projects/1/jobs/18/artifacts/${path}`,
          `/projects/1/jobs/artifacts/${master}/raw/${path}?job=build`,
        ]) {
          const response = await api(url)
          expect([response.status, await json(response)], url).toEqual([400, { message: '400 Bad request' }])
        }
      })

      test('a job without unexpired artifacts: 404 Not Found (artifacts?)', async () => {
        for (const id of [10, 7]) {
          const response = await api(`/projects/1/jobs/${id}/artifacts/teaspoon/results.xml`)
          expect([response.status, await json(response)]).toEqual([404, NOT_FOUND])
        }
      })

      test('the last /raw/ splits the ref from the path (ref_name is greedy)', async () => {
        gitlab.seed.pipeline({
          project: 1,
          ref: 'docs/raw/guide',
          jobs: [
            {
              name: 'pages',
              status: 'success',
              artifacts: [{ file_type: 'archive', files: { 'index.txt': 'guide' } }],
            },
          ],
        })
        const response = await api('/projects/1/jobs/artifacts/docs/raw/guide/raw/index.txt?job=pages')
        expect([response.status, await response.text()]).toEqual([200, 'guide'])
        expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
      })

      test('by ref, `job` is required', async () => {
        const response = await api(`/projects/1/jobs/artifacts/${master}/raw/dist/app.js`)
        expect([response.status, await json(response)]).toEqual([400, { error: 'job is missing' }])
      })
    })
  },
  { now: () => NOW },
)

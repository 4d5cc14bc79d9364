import { Agent, request } from 'node:http'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createGitLabFake, type GitLabFake } from '../../src/index.js'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'
import { API } from '../support/gitlab.js'
import { FAIL_UNHANDLED } from '../support/msw.js'

/**
 * Names beyond ASCII, as GitLab sends them: Rails' `Content-Disposition` for the archive (an
 * ASCII fallback and `filename*`, lib/gitlab/content_disposition.rb) and Workhorse's for one
 * file (the UTF-8 bytes as they are, internal/artifacts/entry.go).
 */

forEachVersion('non ascii names', (version) => {
  const FILES = {
    'naïve.txt': 'naive\n',
    '报告/报告.txt': 'report\n',
    'a"b\\c.txt': 'quoted\n',
    'plain.txt': 'plain\n',
  }

  function withNames(fake: GitLabFake): number {
    const { jobs } = fake.seed.pipeline({
      project: 'foo/bar',
      jobs: [
        {
          status: 'success',
          artifacts: [{ file_type: 'archive', filename: 'résumé 报告.zip', files: FILES }],
        },
      ],
    })
    return (jobs[0] as { id: number }).id
  }

  /** A header of raw UTF-8 bytes, as a client that reads headers as Latin-1 receives it. */
  const utf8 = (latin1: string | null) => Buffer.from(latin1 ?? '', 'latin1').toString('utf8')

  const ARCHIVE_DISPOSITION =
    'attachment; filename="resume_%3F%3F.zip"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9_%E6%8A%A5%E5%91%8A.zip'

  const ENTRIES: [string, string, string][] = [
    ['na%C3%AFve.txt', 'attachment; filename="naïve.txt"', FILES['naïve.txt']],
    ['%E6%8A%A5%E5%91%8A/%E6%8A%A5%E5%91%8A.txt', 'attachment; filename="报告.txt"', FILES['报告/报告.txt']],
    ['a%22b%5Cc.txt', 'attachment; filename="a\\"b\\\\c.txt"', FILES['a"b\\c.txt']],
  ]

  describe('non-ASCII names in-process', () => {
    const gitlab = createGitLabFake({ gitlab: version, seed: 2 })
    const server = setupServer(...gitlab.handlers)
    let id: number
    beforeAll(() => {
      server.listen(FAIL_UNHANDLED)
      id = withNames(gitlab)
    })
    afterAll(() => server.close())
    const get = (path: string) => fetch(`${API}${path}`, { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } })

    test('the archive is stored under the name CarrierWave makes of it, and sent with both names', async () => {
      const job = (await (await get(`/projects/1/jobs/${id}`)).json()) as {
        artifacts_file: { filename: string }
      }
      expect(job.artifacts_file.filename).toBe('résumé_报告.zip')
      const response = await get(`/projects/1/jobs/${id}/artifacts`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-disposition')).toBe(ARCHIVE_DISPOSITION)
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0)
    })

    test.each(ENTRIES)(
      'a single file %s: Workhorse writes the name as its UTF-8 bytes',
      async (path, disposition, body) => {
        const response = await get(`/projects/1/jobs/${id}/artifacts/${path}`)
        expect(response.status).toBe(200)
        expect(utf8(response.headers.get('content-disposition'))).toBe(disposition)
        expect(await response.text()).toBe(body)
      },
    )
  })

  describe('non-ASCII names over HTTP, on one keep-alive connection', () => {
    let server: RunningServer
    let id: number
    beforeAll(async () => {
      server = await listen({ gitlab: version, port: 0, seed: 2 })
      id = withNames(server.fake)
    })
    afterAll(() => server.close())

    test('each answer is whole and the next one on the same connection reads right', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 })
      const paths = [
        `/api/v4/projects/1/jobs/${id}/artifacts`,
        ...ENTRIES.map(([p]) => `/api/v4/projects/1/jobs/${id}/artifacts/${p}`),
        '/api/v4/projects/1/jobs/8',
      ]
      const answers: { status: number; disposition: string; body: Buffer; reused: boolean }[] = []
      for (const path of paths) {
        answers.push(
          await new Promise((resolve, reject) => {
            const req = request(
              `${server.url}${path}`,
              { agent, headers: { 'PRIVATE-TOKEN': 'maintainer-token' } },
              (res) => {
                const chunks: Buffer[] = []
                res.on('data', (c: Buffer) => chunks.push(c))
                res.on('end', () =>
                  resolve({
                    status: res.statusCode ?? 0,
                    disposition: String(res.headers['content-disposition'] ?? ''),
                    body: Buffer.concat(chunks),
                    reused: req.reusedSocket,
                  }),
                )
              },
            )
            req.on('error', reject)
            req.end()
          }),
        )
      }
      agent.destroy()
      expect(answers.map((a) => a.status)).toEqual(paths.map(() => 200))
      expect(answers.slice(1).every((a) => a.reused)).toBe(true)
      expect(answers[0]?.disposition).toBe(ARCHIVE_DISPOSITION)
      ENTRIES.forEach(([, disposition, body], i) => {
        expect(utf8(answers[i + 1]?.disposition ?? '')).toBe(disposition)
        expect(answers[i + 1]?.body.toString('utf8')).toBe(body)
      })
      expect(JSON.parse(answers.at(-1)?.body.toString('utf8') ?? '{}').id).toBe(8)
    })
  })
})

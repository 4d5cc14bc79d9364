import { describe, expect, test } from 'vitest'
import { createGitLabFake } from '../../src/index.js'
import { JOB_KEYS as JOB_KEYS_13_0, USER_KEYS as USER_KEYS_13_0 } from '../contract/entity-keys.js'
import { JOB_KEYS as JOB_KEYS_LATEST, USER_KEYS as USER_KEYS_LATEST } from '../contract/latest/entity-keys.js'
import { byVersion, describeEachVersion } from '../support/each-version.js'
import { API, api, json } from '../support/gitlab.js'

const NOW = Date.parse('2026-06-01T12:00:00.000Z')
describeEachVersion(
  'job entity',
  (version, gitlab) => {
    type Job = Record<string, unknown>

    async function job(path: string): Promise<Job> {
      const response = await api(path)
      expect(response.status).toBe(200)
      return (await json(response)) as Job
    }

    describe('the Job entity (13.0: lib/api/entities/job.rb; today: lib/api/entities/ci/job.rb)', () => {
      test('a running job: no finished_at, duration counted to now, its runner', async () => {
        const running = await job('/projects/1/jobs/11')
        expect(running.status).toBe('running')
        expect(running.started_at).toBe('2020-05-20T10:01:41.000Z')
        expect(running.finished_at).toBeNull()
        expect(running.duration).toBe((NOW - Date.parse('2020-05-20T10:01:41.000Z')) / 1000)
        // The Runner entity: 8 keys in 13.0, 13 today with ip_address always null and created_by
        // left out without a creator (gitlab-jobs-latest.md §1 row 21, §3.5).
        const runner = byVersion(version, {
          '13.0': {
            id: 1,
            description: 'shared-runner-docker-1',
            ip_address: '192.0.2.10',
            active: true,
            is_shared: true,
            name: 'gitlab-runner',
            online: true,
            status: 'online',
          },
          latest: {
            id: 1,
            description: 'shared-runner-docker-1',
            ip_address: null,
            active: true,
            paused: false,
            is_shared: true,
            runner_type: 'instance_type',
            name: 'gitlab-runner',
            online: true,
            created_at: '2015-01-01T00:00:00.000Z',
            status: 'online',
            job_execution_status: 'active',
          },
        })
        expect(JSON.stringify(running.runner)).toBe(JSON.stringify(runner))
      })

      // 13.0's 20 keys (19 without artifacts_file); today's 27 (gitlab-jobs-latest.md §1 row 17, §3.1).
      test("a failed job's keys: none of today's in 13.0, failure_reason and the rest today", async () => {
        const { jobs } = gitlab.seed.pipeline({ project: 1, jobs: [{ status: 'failed' }] })
        const failed = await job(`/projects/1/jobs/${jobs[0]?.id}`)
        expect(Object.keys(failed)).toEqual(
          byVersion(version, {
            '13.0': JOB_KEYS_13_0.filter((key) => key !== 'artifacts_file'),
            latest: JOB_KEYS_LATEST.filter((key) => key !== 'artifacts_file'),
          }),
        )
      })

      // PipelineBasic and User: gitlab-jobs-latest.md §1 rows 18 and 20, §3.2 and §3.4 (no
      // is_followed: jobs.rb passes no current_user).
      test('the pipeline and the user as the version writes them', async () => {
        const { pipeline, user } = (await job('/projects/1/jobs/8')) as Record<string, Job>
        expect(Object.keys(pipeline as Job)).toEqual(
          byVersion(version, {
            '13.0': ['id', 'sha', 'ref', 'status', 'created_at', 'updated_at', 'web_url'],
            latest: [
              'id',
              'iid',
              'project_id',
              'sha',
              'ref',
              'status',
              'source',
              'created_at',
              'updated_at',
              'web_url',
            ],
          }),
        )
        expect(Object.keys(user as Job)).toEqual(
          byVersion(version, {
            '13.0': USER_KEYS_13_0,
            latest: USER_KEYS_LATEST,
          }),
        )
      })

      test('jobs that never ran have no started_at, finished_at or duration', async () => {
        for (const id of [12, 14, 15, 16, 17]) {
          const j = await job(`/projects/1/jobs/${id}`)
          expect([j.started_at, j.finished_at, j.duration], `job ${id}`).toEqual([null, null, null])
        }
      })

      test('artifacts_file is there while an archive exists and has not expired', async () => {
        const build = await job('/projects/1/jobs/9')
        const archive = await (await api('/projects/1/jobs/9/artifacts')).arrayBuffer()
        expect(archive.byteLength).toBeGreaterThan(0)
        expect(build.artifacts_file).toEqual({ filename: 'artifacts.zip', size: archive.byteLength })
        // After web_url in 13.0; after project, which follows web_url, today (§3.1).
        const before = byVersion(version, { '13.0': 'web_url', latest: 'project' })
        expect(Object.keys(build).indexOf('artifacts_file')).toBe(Object.keys(build).indexOf(before) + 1)
      })

      test('D7: expired artifacts hide artifacts_file; the artifact rows stay listed', async () => {
        const teaspoon = await job('/projects/1/jobs/7')
        expect('artifacts_file' in teaspoon).toBe(false)
        expect((teaspoon.artifacts as unknown[]).length).toBe(4)
        expect(teaspoon.artifacts_expire_at).toBe('2016-01-23T17:54:27.895Z')
      })

      test('a job without an archive has no artifacts_file key at all', async () => {
        expect('artifacts_file' in (await job('/projects/1/jobs/10'))).toBe(false)
      })

      test('the trace artifact of a finished job is as long as its log', async () => {
        const rows = (await job('/projects/1/jobs/9')).artifacts as { file_type: string; size: number }[]
        const trace = await (await api('/projects/1/jobs/9/trace')).arrayBuffer()
        expect(rows.find((r) => r.file_type === 'trace')?.size).toBe(trace.byteLength)
        const teaspoonTrace = await (await api('/projects/1/jobs/7/trace')).arrayBuffer()
        expect(teaspoonTrace.byteLength).toBe(1500)
      })

      test('JSON is written as ActiveSupport writes it: & < > escaped', async () => {
        const response = await api('/projects/1/jobs/8')
        const text = await response.text()
        expect(text).toContain(
          '"avatar_url":"http://www.gravatar.com/avatar/e64c7d89f26bd1972efa854d13d7dd61?s=80\\u0026d=identicon"',
        )
        expect(text).not.toContain('&')
      })

      test('a job with no user, no commit message lines beyond its title', async () => {
        const { jobs } = gitlab.seed.pipeline({
          project: 1,
          user: null,
          commit: { message: 'Fix the build\n\nLonger text.' },
          jobs: [{ name: 'lint', user: null }],
        })
        const lint = await job(`/projects/1/jobs/${jobs[0]?.id}`)
        expect(lint.user).toBeNull()
        expect((lint.commit as Job).title).toBe('Fix the build')
        expect((lint.commit as Job).message).toBe('Fix the build\n\nLonger text.')
      })
    })

    describe('GET /projects/:id/jobs/:job_id/trace', () => {
      test('D8: a job with no log answers 200 with an empty body', async () => {
        const response = await api('/projects/1/jobs/12/trace')
        expect(response.status).toBe(200)
        expect(response.headers.get('content-type')).toBe('text/plain')
        expect(response.headers.get('content-disposition')).toBe('infile; filename="12.log"')
        expect(await response.text()).toBe('')
      })

      test('the log is served as its raw bytes', async () => {
        const trace = 'héllo \u001b[32mgreen\u001b[0m\r\nline 2\n'
        const { jobs } = gitlab.seed.pipeline({ project: 'foo/bar', jobs: [{ status: 'failed', trace }] })
        const response = await api(`/projects/1/jobs/${jobs[0]?.id}/trace`)
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(new TextEncoder().encode(trace))
      })

      // gitlab-jobs-latest.md §1 row 15: 13.0 declares neither param; today byte_offset (>= 0) and
      // byte_limit (1..512000) slice the log.
      test('byte_offset and byte_limit: ignored by 13.0, a byte window today', async () => {
        const { jobs } = gitlab.seed.pipeline({
          project: 'foo/bar',
          jobs: [{ status: 'failed', trace: 'abc\n' }],
        })
        const response = await api(`/projects/1/jobs/${jobs[0]?.id}/trace?byte_offset=-1&byte_limit=1`)
        const window = await api(`/projects/1/jobs/${jobs[0]?.id}/trace?byte_offset=1&byte_limit=2`)
        if (version === '13.0') {
          expect([response.status, await response.text()]).toEqual([200, 'abc\n'])
          expect([window.status, await window.text()]).toEqual([200, 'abc\n'])
        } else {
          expect([response.status, await json(response)]).toEqual([
            400,
            { error: 'byte_offset does not have a valid value' },
          ])
          expect([window.status, await window.text()]).toEqual([200, 'bc'])
        }
      })
    })

    describe('the base URL', () => {
      test('web_url, user web_url and pipeline web_url use baseUrl, path prefix included', async () => {
        const other = createGitLabFake({ baseUrl: 'http://git.internal:8080/gitlab/', gitlab: version })
        const response = await other.handle(
          new Request('http://git.internal:8080/gitlab/api/v4/projects/1/jobs/8', {
            headers: { 'PRIVATE-TOKEN': 'root-token' },
          }),
        )
        const body = (await response?.json()) as Job
        expect(body.web_url).toBe('http://git.internal:8080/gitlab/foo/bar/-/jobs/8')
        expect((body.user as Job).web_url).toBe('http://git.internal:8080/gitlab/root')
        expect((body.pipeline as Job).web_url).toBe('http://git.internal:8080/gitlab/foo/bar/-/pipelines/6')
        expect(other.apiUrl).toBe('http://git.internal:8080/gitlab/api/v4')
      })

      test('a fake answers nothing outside its own /api/v4', async () => {
        expect(await gitlab.handle(new Request('https://gitlab.example.com/foo/bar'))).toBeUndefined()
        expect(
          await gitlab.handle(new Request('https://elsewhere.example.com/api/v4/projects/1/jobs')),
        ).toBeUndefined()
        expect(
          (await fetch(`${API}/projects/1/jobs/8`, { headers: { 'PRIVATE-TOKEN': 'root-token' } })).status,
        ).toBe(200)
      })

      test('a bad baseUrl is refused with a message', () => {
        expect(() => createGitLabFake({ baseUrl: 'gitlab.example.com' })).toThrow(
          /baseUrl must be an absolute/,
        )
        expect(() => createGitLabFake({ baseUrl: 'ftp://gitlab.example.com' })).toThrow(/http\(s\)/)
      })
    })
  },
  { now: () => NOW },
)

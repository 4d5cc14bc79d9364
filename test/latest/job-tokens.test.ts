import { describe, expect, test } from 'vitest'
import { gitlabLatest } from '../../src/index.js'
import { body, call, useBothVersions } from '../support/versions.js'
import { both, latest as latestFixture } from './fixtures.js'

/**
 * CI job tokens today (Ci::AuthJobFinder, lib/api/helpers.rb `find_project!`,
 * `handle_job_token_failure!`, lib/api/ci/jobs.rb `resource :job`), beside 13.0, where any job's
 * token is its user, wherever that user may go, on the archive downloads only.
 */

const { v13, latest } = useBothVersions({
  v13: { dataset: 'empty', fixtures: [both()] },
  latest: { dataset: 'empty', fixtures: [latestFixture()] },
})

const RUNNING = { 'JOB-TOKEN': 'tok-running' }
const DONE = { 'JOB-TOKEN': 'tok-done' }

describe('GET /job', () => {
  test("latest: a running job's token answers its job, in the Job entity", async () => {
    const response = await call(latest, '/job', RUNNING)
    expect(response.status).toBe(200)
    const job = (await body(response)) as Record<string, unknown>
    expect(job).toMatchObject({ id: 100, name: 'build', status: 'running' })
    // Running: no failure_reason; no archive: no artifacts_file.
    expect(Object.keys(job)).toEqual(
      gitlabLatest.entities.job.filter((k) => k !== 'failure_reason' && k !== 'artifacts_file'),
    )
    // The token as the job_token param too.
    const byParam = await call(latest, '/job?job_token=tok-running')
    expect(((await body(byParam)) as { id: number }).id).toBe(100)
  })

  test("latest: a personal access token is no job (404 Job Not Found); none, or a finished job's token, is a 401", async () => {
    const pat = await call(latest, '/job', { 'PRIVATE-TOKEN': 'alice-token' })
    expect(pat.status).toBe(404)
    expect(await pat.text()).toBe('{"message":"404 Job Not Found"}')
    for (const headers of [{}, DONE, { 'JOB-TOKEN': 'no-such-token' }]) {
      const response = await call(latest, '/job', headers)
      expect(response.status).toBe(401)
      expect(await response.text()).toBe('{"message":"401 Unauthorized"}')
    }
  })

  test('latest: a job that stops running takes its token with it', async () => {
    latest.runner.finish(100, { status: 'success' })
    expect((await call(latest, '/job', RUNNING)).status).toBe(401)
  })

  test('13.0 has no such route: the catch-all 404, whatever the credentials', async () => {
    const credentials: Record<string, string>[] = [RUNNING, { 'PRIVATE-TOKEN': 'alice-token' }, {}]
    for (const headers of credentials) {
      const response = await call(v13, '/job', headers)
      expect(response.status).toBe(404)
      expect(await response.text()).toBe('{"error":"404 Not Found"}')
    }
  })
})

describe('which routes take a job token', () => {
  test('the project jobs list: latest takes it; 13.0 does not (401)', async () => {
    const today = await call(latest, '/projects/1/jobs', RUNNING)
    expect(today.status).toBe(200)
    expect(((await body(today)) as { id: number }[]).map((j) => j.id)).toEqual([103, 102, 101, 100])
    const then = await call(v13, '/projects/1/jobs', RUNNING)
    expect(then.status).toBe(401)
    expect(await then.text()).toBe('{"message":"401 Unauthorized"}')
  })

  test('the pipeline jobs list: latest takes it; 13.0 does not', async () => {
    expect((await call(latest, '/projects/1/pipelines/10/jobs', RUNNING)).status).toBe(200)
    expect((await call(v13, '/projects/1/pipelines/10/jobs', RUNNING)).status).toBe(401)
  })

  test('a single job, its trace and its actions take none, in either version (401)', async () => {
    for (const fake of [latest, v13]) {
      for (const [method, path] of [
        ['GET', '/projects/1/jobs/101'],
        ['GET', '/projects/1/jobs/101/trace'],
        ['POST', '/projects/1/jobs/101/retry'],
      ] as const) {
        const response = await call(fake, path, RUNNING, { method })
        expect(response.status, `${fake.apiUrl} ${method} ${path}`).toBe(401)
      }
    }
  })

  test('a file of the archive by job id: latest takes it; 13.0 does not', async () => {
    const today = await call(latest, '/projects/1/jobs/101/artifacts/README.md', RUNNING)
    expect(today.status).toBe(200)
    expect(await today.text()).toBe('# read me\n')
    expect((await call(v13, '/projects/1/jobs/101/artifacts/README.md', RUNNING)).status).toBe(404)
  })
})

describe('only a running job', () => {
  test("latest: a finished job's token is a 401 where a running one's is taken; 13.0 takes either", async () => {
    for (const path of [
      '/projects/1/jobs/101/artifacts',
      '/projects/2/jobs/artifacts/main/download?job=build',
    ]) {
      expect((await call(latest, path, RUNNING)).status, path).toBe(200)
      const finished = await call(latest, path, DONE)
      expect(finished.status, path).toBe(401)
      expect(await finished.text()).toBe('{"message":"401 Unauthorized"}')
      expect((await call(v13, path, DONE)).status, path).toBe(200)
    }
  })

  test("latest: an erased job's token is a 401 even while it runs", async () => {
    const job = latest.store.jobs.get(100)
    if (!job) throw new Error('no job 100')
    latest.store.updateJob(job, { erased_at: latest.clock.now() })
    expect((await call(latest, '/projects/1/jobs', RUNNING)).status).toBe(401)
  })
})

describe('another project: the allowlist (Ci::JobToken::Scope, inbound)', () => {
  test('latest: allowlisted, or a project that does not limit access, is reached', async () => {
    for (const id of [2, 4]) {
      const response = await call(latest, `/projects/${id}/jobs/${id}00/artifacts`, RUNNING)
      expect(response.status, `project ${id}`).toBe(200)
    }
  })

  test("latest: any other private project is a 403 naming both projects' paths", async () => {
    const response = await call(latest, '/projects/3/jobs/300/artifacts', RUNNING)
    expect(response.status).toBe(403)
    expect(await response.text()).toBe(
      '{"message":"403 Forbidden - Authentication by CI/CD job token not allowed from one to three."}',
    )
    // By path too, and on the lists.
    const list = await call(latest, '/projects/grp%2Fthree/jobs', RUNNING)
    expect(list.status).toBe(403)
    expect(((await body(list)) as { message: string }).message).toContain('from one to three.')
  })

  test("latest: a project the job's user may not read is the same 403; a missing one the 404", async () => {
    latest.load({ projects: [{ id: 9, path: 'other/secret', visibility: 'private' }] })
    const hidden = await call(latest, '/projects/9/jobs', RUNNING)
    expect(hidden.status).toBe(403)
    expect(await hidden.text()).toBe(
      '{"message":"403 Forbidden - Authentication by CI/CD job token not allowed from one to secret."}',
    )
    const missing = await call(latest, '/projects/99/jobs', RUNNING)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toBe('{"message":"404 Project Not Found"}')
  })

  test('latest: a public project is read, allowlisted or not', async () => {
    latest.load({
      projects: [
        {
          id: 8,
          path: 'pub/site',
          visibility: 'public',
          pipelines: [
            { commit: null, jobs: [{ id: 800, status: 'success', artifacts: [{ file_type: 'archive' }] }] },
          ],
        },
      ],
    })
    expect((await call(latest, '/projects/8/jobs/800/artifacts', RUNNING)).status).toBe(200)
  })

  test('13.0: the job token is its user, who reaches every project of theirs', async () => {
    for (const id of [2, 3, 4]) {
      expect(
        (await call(v13, `/projects/${id}/jobs/${id}00/artifacts`, RUNNING)).status,
        `project ${id}`,
      ).toBe(200)
    }
    v13.load({
      projects: [
        {
          id: 9,
          path: 'other/secret',
          visibility: 'private',
          pipelines: [
            { commit: null, jobs: [{ id: 900, status: 'success', artifacts: [{ file_type: 'archive' }] }] },
          ],
        },
      ],
    })
    const hidden = await call(v13, '/projects/9/jobs/900/artifacts', RUNNING)
    expect(hidden.status).toBe(404)
    expect(await hidden.text()).toBe('{"message":"404 Project Not Found"}')
  })
})

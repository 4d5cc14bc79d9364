import { Gitlab } from '@gitbeaker/rest'
import JSZip from 'jszip'
import { describe, expect, test } from 'vitest'
import { defaultDatasetLatest, type GitLabFake } from '../../src/index.js'

/**
 * What @gitbeaker/rest 43, written against today's GitLab, does against `gitlab: 'latest'` and its
 * default dataset, at the documented moment (2015-12-24T18:00Z): run in-process
 * (gitbeaker-latest.test.ts) and over HTTP (test/server/gitbeaker-http-latest.test.ts).
 */

export const DOCUMENTED_NOW = Date.parse('2015-12-24T18:00:00.000Z')

/** The ids of project 1's jobs in the dataset, newest first, as GitLab lists them (`id DESC`). */
export const project1Jobs = (defaultDatasetLatest.projects[0]?.pipelines ?? [])
  .flatMap((p) => p.jobs.map((j) => j.id))
  .sort((a, b) => b - a)

async function zipOf(blob: Blob): Promise<JSZip> {
  return JSZip.loadAsync(await blob.arrayBuffer())
}

/** The suite, given where the fake answers and the fake itself (reset before each test). */
export function gitbeakerAgainstLatest(target: () => { host: string; gitlab: GitLabFake }): void {
  const client = (token = 'maintainer-token') => new Gitlab({ host: target().host, token })

  describe('lists', () => {
    test('Jobs.all follows rel="next" to the end of a list that sends no counts', async () => {
      const jobs = await client().Jobs.all('foo/bar', { perPage: 4 })
      expect(jobs.map((j) => j.id)).toEqual(project1Jobs)
      // One request a page, and none past the last: the last page has no rel="next".
      expect(target().gitlab.journal.count({ method: 'GET', path: '/api/v4/projects/foo%2Fbar/jobs' })).toBe(
        Math.ceil(project1Jobs.length / 4),
      )
    })

    test('showExpanded: today the total and the page count are NaN (no X-Total, no X-Total-Pages)', async () => {
      const { data, paginationInfo } = await client().Jobs.all(1, {
        scope: 'failed',
        perPage: 2,
        page: 1,
        showExpanded: true,
      })
      expect(data.map((j) => j.id)).toEqual([10, 8])
      expect(paginationInfo).toEqual({
        total: Number.NaN,
        next: 2,
        current: 1,
        previous: null,
        perPage: 2,
        totalPages: Number.NaN,
      })
    })

    test('Jobs.all with keyset pagination follows the cursors to the end, and no counts', async () => {
      const { data, paginationInfo } = await client().Jobs.all(1, {
        pagination: 'keyset',
        orderBy: 'id',
        sort: 'desc',
        perPage: 4,
        showExpanded: true,
      })
      expect(data.map((j) => j.id)).toEqual(project1Jobs)
      expect(paginationInfo).toEqual({ idAfter: null, perPage: 4, orderBy: 'id', sort: 'desc' })
      const list = { method: 'GET', path: '/api/v4/projects/1/jobs' }
      const requests = Math.ceil(project1Jobs.length / 4)
      expect(target().gitlab.journal.count(list)).toBe(requests)
      // Every request after the first carries the cursor of the page before it.
      expect(target().gitlab.journal.count({ ...list, query: { pagination: 'keyset' } })).toBe(requests)
      expect(
        target()
          .gitlab.journal.filter(list)
          .filter((e) => 'cursor' in e.query),
      ).toHaveLength(requests - 1)
    })

    test('keyset with sort=asc: 405, which GitLab does not support for jobs', async () => {
      await expect(
        client().Jobs.all(1, { pagination: 'keyset', orderBy: 'id', sort: 'asc', perPage: 4 }),
      ).rejects.toMatchObject({
        cause: { description: 'Keyset pagination is not yet available for this type of request' },
      })
    })

    test("a pipeline's jobs newest first", async () => {
      const jobs = await client().Jobs.all(1, { pipelineId: 6 })
      expect(jobs.map((j) => [j.id, j.name])).toEqual([
        [8, 'rubocop'],
        [7, 'teaspoon'],
        [6, 'rspec:other'],
      ])
    })

    test("today's statuses pass through gitbeaker's JobScope, which lacks them", async () => {
      const jobs = await client().Jobs.all(1, { scope: ['canceling', 'waiting_for_callback'] as never })
      expect(jobs.every((j) => j.status === 'canceling' || j.status === 'waiting_for_callback')).toBe(true)
      await expect(client().Jobs.all(1, { scope: 'started' as never })).rejects.toMatchObject({
        cause: { description: 'scope does not have a valid value' },
      })
    })
  })

  describe('a job', () => {
    test('Jobs.show: the documented job 7, with its runner, tags and failure reason', async () => {
      const job = await client().Jobs.show('foo/bar', 7)
      expect(job).toMatchObject({
        id: 7,
        name: 'teaspoon',
        ref: 'main',
        failure_reason: 'script_failure',
        tag_list: ['docker runner', 'ubuntu18'],
        queued_duration: 0.01,
        runner: { id: 32, runner_type: 'instance_type', paused: false },
        runner_manager: { id: 1, system_id: 's_89e5e9956577', platform: 'linux' },
        pipeline: { id: 6, project_id: 1, source: 'push' },
        artifacts_file: { filename: 'artifacts.zip', size: 1000 },
      })
    })

    test('Jobs.showLog', async () => {
      const log = await client().Jobs.showLog('foo/bar', 8)
      expect(typeof log).toBe('string')
      expect(log).toContain('bundle exec rubocop')
    })
  })

  describe("today's routes", () => {
    test("Jobs.showConnectedJob (GET /job) with a running job's token; a finished job's is refused", async () => {
      // gitbeaker 43 looks for the job token among the resource's headers, where `jobToken` does not
      // put it (it is an auth header): a client given only `jobToken` throws before asking.
      const byOption = new Gitlab({ host: target().host, jobToken: 'job-token-11' })
      expect(() => byOption.Jobs.showConnectedJob()).toThrow('Missing required header "job-token"')
      const withHeader = (token: string) => {
        const api = new Gitlab({ host: target().host, jobToken: token })
        api.Jobs.headers['job-token'] = token
        return api
      }
      expect(await withHeader('job-token-11').Jobs.showConnectedJob()).toMatchObject({
        id: 11,
        name: 'jest',
        status: 'running',
      })
      await expect(withHeader('job-token-8').Jobs.showConnectedJob()).rejects.toMatchObject({
        cause: { description: '401 Unauthorized' },
      })
    })

    test("Jobs.allPipelineBridges: a pipeline's trigger jobs, with their downstream pipeline", async () => {
      const { pipeline } = target().gitlab.seed.pipeline({
        project: 1,
        ref: 'main',
        trigger_jobs: [{ name: 'deploy-website', status: 'success', downstream_pipeline: 9 }],
      })
      const bridges = await client().Jobs.allPipelineBridges(1, pipeline.id)
      expect(bridges).toHaveLength(1)
      expect(bridges[0]).toMatchObject({
        name: 'deploy-website',
        status: 'success',
        pipeline: { id: pipeline.id },
        downstream_pipeline: { id: 9, project_id: 2 },
      })
    })

    test("JobArtifacts.remove of a project: 202; the expiry worker then keeps the latest successful pipeline's", async () => {
      expect(await client().JobArtifacts.remove(1)).toEqual({ message: '202 Accepted' })
      // They expire now: the worker destroys what expired before the moment it runs.
      target().gitlab.clock.advance('1s')
      target().gitlab.artifacts.expire()
      const fileTypes = async (jobId: number) =>
        (await client().Jobs.show(1, jobId)).artifacts.map((a) => a.file_type)
      // Job 7 is in pipeline 6, older than main's latest successful pipeline (8), which keeps job
      // 18's; the trace is no artifact the worker expires.
      expect(await fileTypes(7)).toEqual(['trace'])
      expect(await fileTypes(18)).toEqual(['archive', 'metadata', 'trace'])
    })
  })

  describe('actions', () => {
    test('retry answers the new job; retrying the retried job again is refused today', async () => {
      const retried = await client().Jobs.retry(1, 10)
      expect(retried).toMatchObject({ name: 'rspec', status: 'pending', user: { username: 'maintainer' } })
      expect(retried.id).toBeGreaterThan(Math.max(...project1Jobs))
      await expect(client().Jobs.retry(1, 10)).rejects.toMatchObject({
        cause: { description: '403 Forbidden - Job is not retryable' },
      })
    })

    test('cancel of a running job', async () => {
      const job = await client().Jobs.cancel(1, 11)
      expect(job).toMatchObject({ id: 11, status: 'canceled' })
      expect(job.finished_at).toEqual(new Date(DOCUMENTED_NOW).toISOString())
    })

    test('play with job variables, as gitbeaker sends them', async () => {
      const job = await client().Jobs.play(1, 16, {
        jobVariablesAttributes: [{ key: 'TEST_VAR_1', value: 'test1' }],
      })
      expect(job).toMatchObject({ id: 16, status: 'pending', user: { username: 'maintainer' } })
    })

    test('erase', async () => {
      const job = await client().Jobs.erase(1, 13)
      expect(job).toMatchObject({ id: 13, status: 'canceled', artifacts: [] })
      expect(job.erased_at).toEqual(new Date(DOCUMENTED_NOW).toISOString())
    })
  })

  describe('artifacts', () => {
    test('the archive by job id and by ref, and one file of it', async () => {
      const byId = await zipOf(await client().JobArtifacts.downloadArchive(1, { jobId: 18 }))
      expect(Object.keys(byId.files).sort()).toEqual(['build.log', 'dist/', 'dist/app.js', 'dist/index.html'])
      const byRef = await zipOf(await client().JobArtifacts.downloadArchive(1, { ref: 'main', job: 'build' }))
      expect(Object.keys(byRef.files).sort()).toEqual(Object.keys(byId.files).sort())
      const file = await client().JobArtifacts.downloadArchive(1, { jobId: 18, artifactPath: 'dist/app.js' })
      expect(await file.text()).toBe("console.log('foo/bar 1.4.0')\n")
    })

    test('keep, then remove: the trace stays', async () => {
      const kept = await client().JobArtifacts.keep(1, 9)
      expect(kept).toMatchObject({ id: 9, artifacts_expire_at: null })
      await client().JobArtifacts.remove(1, { jobId: 9 })
      const job = await client().Jobs.show(1, 9)
      expect(job.artifacts.map((a) => a.file_type)).toEqual(['trace'])
    })
  })

  describe("GitLab's refusals reach the client with their message", () => {
    test.each([
      ['a job that is not there', () => client().Jobs.show(1, 9999), '404 Not found'],
      ['a guest', () => client('guest-token').Jobs.show(1, 8), '403 Forbidden'],
      ['a wrong token', () => client('wrong').Jobs.all(1), '401 Unauthorized'],
      ['per_page=0', () => client().Jobs.all(1, { perPage: 0 }), 'per_page has a value not allowed'],
      ['play of no action', () => client().Jobs.play(1, 9), '400 Bad request - Unplayable Job'],
    ])('%s', async (_name, call, description) => {
      await expect(call()).rejects.toMatchObject({ cause: { description } })
    })
  })
}

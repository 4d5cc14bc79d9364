import { Gitlab } from '@gitbeaker/rest'
import JSZip from 'jszip'
import { describe, expect, test } from 'vitest'
import {
  badRequest,
  byVersion,
  defaultBranch,
  describeEachVersion,
  forbidden,
} from '../support/each-version.js'
import { BASE } from '../support/gitlab.js'
import { seedJob } from '../support/jobs.js'

const NOW = Date.parse('2026-03-01T12:00:00.000Z')
describeEachVersion(
  'gitbeaker actions',
  (version, gitlab) => {
    // The default dataset's branch (master in 13.0's, main in latest's), and a job token that
    // authenticates: any job's in 13.0, a running job's today (gitlab-jobs-latest.md §1 row 27).
    const master = defaultBranch(version)
    const jobToken = byVersion(version, { '13.0': 'job-token-9', latest: 'job-token-11' })
    const client = (token = 'maintainer-token') => new Gitlab({ host: BASE, token })

    describe('@gitbeaker/rest 43: job actions', () => {
      test('Jobs.cancel', async () => {
        const job = seedJob(gitlab, { status: 'running' })
        expect(await client().Jobs.cancel(1, job.id)).toMatchObject({ id: job.id, status: 'canceled' })
      })

      test('Jobs.retry answers the new job', async () => {
        const job = seedJob(gitlab, { status: 'failed' })
        const retried = await client().Jobs.retry('foo/bar', job.id)
        expect(retried.id).toBeGreaterThan(job.id)
        expect(retried).toMatchObject({ status: 'pending', user: { username: 'maintainer' } })
      })

      test('Jobs.erase', async () => {
        const job = seedJob(gitlab, { status: 'failed', trace: 'x\n' })
        expect(await client().Jobs.erase(1, job.id)).toMatchObject({ id: job.id, artifacts: [] })
        expect(await client().Jobs.showLog(1, job.id)).toBe('')
      })

      test('Jobs.play, with the job variables gitbeaker sends', async () => {
        const job = seedJob(gitlab, { status: 'manual', when: 'manual' })
        const played = await client().Jobs.play(1, job.id, {
          jobVariablesAttributes: [{ key: 'A', value: '1' }],
        } as never)
        expect(played).toMatchObject({ id: job.id, status: 'pending' })
      })

      test("refusals carry GitLab's messages", async () => {
        const job = seedJob(gitlab, { status: 'running' })
        await expect(client().Jobs.retry(1, job.id)).rejects.toMatchObject({
          cause: { description: forbidden(version, 'Job is not retryable').message },
        })
        await expect(client().Jobs.play(1, job.id)).rejects.toMatchObject({
          cause: { description: badRequest(version, 'Unplayable Job').message },
        })
        await expect(client('developer-token').Jobs.cancel(1, 18)).rejects.toMatchObject({
          cause: { description: '403 Forbidden' },
        })
      })
    })

    describe('@gitbeaker/rest 43: artifacts', () => {
      test('downloadArchive by job id: the zip as a Blob', async () => {
        const blob = await client().JobArtifacts.downloadArchive(1, { jobId: 18 })
        const zip = await JSZip.loadAsync(await blob.arrayBuffer())
        expect(await zip.file('dist/app.js')?.async('string')).toBe("console.log('foo/bar 1.4.0')\n")
      })

      test('downloadArchive by ref and job name', async () => {
        const blob = await client().JobArtifacts.downloadArchive('foo/bar', { ref: master, job: 'build' })
        expect(Object.keys((await JSZip.loadAsync(await blob.arrayBuffer())).files)).toContain(
          'dist/index.html',
        )
      })

      test('downloadArchive of one file, by job id and by ref (which encodes the slashes)', async () => {
        // Workhorse's content type decides what gitbeaker returns: text/* comes back as a string.
        const byId = await client().JobArtifacts.downloadArchive(1, {
          jobId: 18,
          artifactPath: 'dist/index.html',
        })
        expect(byId).toContain('<title>foo/bar</title>')
        const byRef = await client().JobArtifacts.downloadArchive(1, {
          ref: master,
          job: 'build',
          artifactPath: 'dist/app.js',
        })
        expect(await (byRef as Blob).text()).toBe("console.log('foo/bar 1.4.0')\n")
      })

      test('downloadArchive with a job token', async () => {
        const ci = new Gitlab({ host: BASE, jobToken })
        const blob = await ci.JobArtifacts.downloadArchive(1, { jobId: 18 })
        expect(blob.size).toBe(gitlab.store.jobs.get(18)?.artifacts[0]?.size)
      })

      test('keep and remove', async () => {
        const job = seedJob(gitlab, {
          status: 'success',
          artifacts: [{ file_type: 'archive' }, { file_type: 'trace' }],
          artifacts_expire_at: '2026-12-01T00:00:00.000Z',
        })
        expect(await client().JobArtifacts.keep(1, job.id)).toMatchObject({
          id: job.id,
          artifacts_expire_at: null,
        })
        await client().JobArtifacts.remove(1, { jobId: job.id })
        expect(gitlab.store.jobs.get(job.id)?.artifacts.map((a) => a.file_type)).toEqual(['trace'])
        await expect(client().JobArtifacts.downloadArchive(1, { jobId: job.id })).rejects.toMatchObject({
          cause: { description: '404 Not Found' },
        })
      })
    })
  },
  { now: () => NOW },
)

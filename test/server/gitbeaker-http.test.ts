import { Gitlab } from '@gitbeaker/rest'
import JSZip from 'jszip'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'

/** @gitbeaker/rest 43 over real HTTP: the whole Jobs and JobArtifacts surface of GitLab 13.0. */

let server: RunningServer
let api: InstanceType<typeof Gitlab>
beforeAll(async () => {
  server = await listen({ port: 0 })
  api = new Gitlab({ host: server.url, token: 'maintainer-token' })
})
afterAll(() => server.close())
beforeEach(() => server.fake.reset())

function seed(job: Record<string, unknown>, ref = 'feature/http') {
  return server.fake.seed.pipeline({ project: 1, ref, jobs: [{ name: 'http', ...job }] }).jobs[0]
    ?.id as number
}

describe('Jobs', () => {
  test('all, following every page to the end', async () => {
    server.fake.seed.pipeline({
      project: 1,
      ref: 'feature/many',
      jobs: Array.from({ length: 45 }, () => ({ trace: null })),
    })
    const jobs = await api.Jobs.all(1, { perPage: 7 })
    expect(jobs).toHaveLength(14 + 45)
    const ids = jobs.map((j) => j.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    expect(server.fake.journal.count({ method: 'GET', path: '/api/v4/projects/1/jobs' })).toBe(
      Math.ceil(59 / 7),
    )
  })

  test('all of a pipeline, with a scope', async () => {
    const jobs = await api.Jobs.all('foo/bar', { pipelineId: 7, scope: 'success' })
    expect(jobs.map((j) => j.id)).toEqual([9])
  })

  test('show and showLog', async () => {
    expect((await api.Jobs.show(1, 8)).name).toBe('rubocop')
    expect(await api.Jobs.showLog(1, 8)).toContain('rubocop')
  })

  test('cancel, retry, erase, play', async () => {
    expect((await api.Jobs.cancel(1, seed({ status: 'running' }))).status).toBe('canceled')
    const retried = await api.Jobs.retry(1, seed({ status: 'failed' }))
    expect(retried.status).toBe('pending')
    expect((await api.Jobs.erase(1, seed({ status: 'failed', trace: 'x' }))).artifacts).toEqual([])
    expect((await api.Jobs.play(1, seed({ status: 'manual', when: 'manual' }))).status).toBe('pending')
  })
})

describe('JobArtifacts', () => {
  test('downloadArchive in its four forms', async () => {
    const byId = await api.JobArtifacts.downloadArchive(1, { jobId: 18 })
    const byRef = await api.JobArtifacts.downloadArchive(1, { ref: 'master', job: 'build' })
    expect(Buffer.from(await byRef.arrayBuffer())).toEqual(Buffer.from(await byId.arrayBuffer()))
    expect(Object.keys((await JSZip.loadAsync(await byId.arrayBuffer())).files)).toContain('dist/app.js')
    const file = await api.JobArtifacts.downloadArchive(1, { jobId: 18, artifactPath: 'build.log' })
    expect(await (file as Blob).text()).toBe('webpack 4.43.0: compiled successfully in 4213ms\n')
    const fileByRef = await api.JobArtifacts.downloadArchive(1, {
      ref: 'master',
      job: 'build',
      artifactPath: 'dist/index.html',
    })
    expect(fileByRef).toContain('<title>foo/bar</title>')
  })

  test('keep and remove', async () => {
    const id = seed({
      status: 'success',
      artifacts: [{ file_type: 'archive' }, { file_type: 'trace' }],
      artifacts_expire_at: '2099-01-01T00:00:00.000Z',
    })
    expect((await api.JobArtifacts.keep(1, id)).artifacts_expire_at).toBeNull()
    await api.JobArtifacts.remove(1, { jobId: id })
    expect((await api.Jobs.show(1, id)).artifacts).toEqual([expect.objectContaining({ file_type: 'trace' })])
  })
})

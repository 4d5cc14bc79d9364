import { afterAll, beforeAll, expect, test } from 'vitest'
import { createGitLabFake } from '../../src/index.js'
import { latest as latestFixture } from './fixtures.js'

/** The differences of today's GitLab over real HTTP: the fake's own server, no msw. */

const gitlab = createGitLabFake({ gitlab: 'latest', dataset: 'empty', fixtures: [latestFixture()] })
let server: { url: string; close(): Promise<void> }

beforeAll(async () => {
  server = await gitlab.listen({ port: 0 })
})
afterAll(async () => {
  await server.close()
})

const RUNNING = { 'JOB-TOKEN': 'tok-running' }

test('GET /job and the 403 across projects', async () => {
  const job = await fetch(`${server.url}/api/v4/job`, { headers: RUNNING })
  expect(job.status).toBe(200)
  const shown = (await job.json()) as { id: number; web_url: string }
  expect(shown.id).toBe(100)
  expect(shown.web_url).toBe(`${server.url}/grp/one/-/jobs/100`)
  const denied = await fetch(`${server.url}/api/v4/projects/3/jobs/300/artifacts`, { headers: RUNNING })
  expect(denied.status).toBe(403)
  expect(await denied.text()).toBe(
    '{"message":"403 Forbidden - Authentication by CI/CD job token not allowed from one to three."}',
  )
})

test('the artifacts tree and the expiry of a project’s artifacts', async () => {
  const headers = { 'PRIVATE-TOKEN': 'alice-token' }
  const tree = await fetch(`${server.url}/api/v4/projects/grp%2Fone/jobs/101/artifacts/tree?path=coverage`, {
    headers,
  })
  expect(tree.status).toBe(200)
  expect(await tree.json()).toEqual([
    { name: 'lcov', path: 'coverage/lcov/', type: 'directory', mode: '040755' },
    { name: 'index.html', path: 'coverage/index.html', type: 'file', size: 14, mode: '100644' },
  ])
  const deleted = await fetch(`${server.url}/api/v4/projects/1/artifacts`, { method: 'DELETE', headers })
  expect(deleted.status).toBe(202)
  expect(await deleted.text()).toBe('{"message":"202 Accepted"}')
})

test('ETag and If-None-Match on a download, with the flag on', async () => {
  const tagged = createGitLabFake({
    gitlab: 'latest',
    dataset: 'empty',
    fixtures: [latestFixture()],
    featureFlags: { workhorse_download_etag_caching: true },
  })
  const own = await tagged.listen({ port: 0 })
  try {
    const url = `${own.url}/api/v4/projects/1/jobs/101/artifacts`
    const headers = { 'PRIVATE-TOKEN': 'alice-token' }
    const first = await fetch(url, { headers })
    const etag = first.headers.get('etag')
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/)
    await first.arrayBuffer()
    const again = await fetch(url, { headers: { ...headers, 'If-None-Match': etag as string } })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
    const searched = await fetch(
      `${own.url}/api/v4/projects/2/jobs/artifacts/main/download?job=build&search_recent_successful_pipelines=true`,
      { headers },
    )
    expect(searched.status).toBe(200)
    expect(searched.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/)
  } finally {
    await own.close()
  }
})

test('trigger jobs, and the retry of one', async () => {
  const headers = { 'PRIVATE-TOKEN': 'alice-token' }
  const listed = await fetch(`${server.url}/api/v4/projects/1/pipelines/10/trigger_jobs`, { headers })
  expect(listed.status).toBe(200)
  const bridges = (await listed.json()) as { id: number; downstream_pipeline: { web_url: string } | null }[]
  expect(bridges.map((b) => b.id)).toEqual([151, 150])
  expect(bridges[1]?.downstream_pipeline?.web_url).toBe(`${server.url}/grp/two/-/pipelines/20`)
  const retried = await fetch(`${server.url}/api/v4/projects/1/jobs/151/retry`, { method: 'POST', headers })
  expect(retried.status).toBe(201)
  expect(((await retried.json()) as { status: string }).status).toBe('pending')
})

import { describe, expect, test } from 'vitest'
import { createGitLabFake, FixtureError, gitlabLatest } from '../../src/index.js'
import { refusal } from '../support/refusal.js'
import { body, call, useBothVersions } from '../support/versions.js'
import { both, latest as latestFixture } from './fixtures.js'

/**
 * Trigger jobs (`Ci::Bridge`) today: records of a pipeline with their downstream pipeline, listed
 * by `GET /projects/:id/pipelines/:pipeline_id/trigger_jobs` and the deprecated `/bridges`
 * (lib/api/ci/pipelines.rb, lib/api/entities/ci/bridge.rb), and retried by the jobs' retry
 * (`find_job!` reads processables). The fake's 13.0 has none.
 */

const { v13, latest } = useBothVersions({
  v13: { dataset: 'empty', fixtures: [both()] },
  latest: { dataset: 'empty', fixtures: [latestFixture()] },
})

const ALICE = { 'PRIVATE-TOKEN': 'alice-token' }
type Bridge = Record<string, unknown> & { id: number; downstream_pipeline: Record<string, unknown> | null }

describe('GET /projects/:id/pipelines/:pipeline_id/trigger_jobs, and /bridges', () => {
  test('newest first, retried ones left out, in the Bridge entity; the downstream pipeline as PipelineBasic', async () => {
    for (const route of ['trigger_jobs', 'bridges']) {
      const response = await call(latest, `/projects/1/pipelines/10/${route}`, ALICE)
      expect(response.status, route).toBe(200)
      const bridges = (await body(response)) as Bridge[]
      expect(bridges.map((b) => b.id)).toEqual([151, 150])
      const [failed, started] = bridges as [Bridge, Bridge]
      expect(Object.keys(started)).toEqual(gitlabLatest.entities.bridge.filter((k) => k !== 'failure_reason'))
      expect(Object.keys(failed)).toEqual(gitlabLatest.entities.bridge)
      expect(failed).toMatchObject({
        status: 'failed',
        failure_reason: 'downstream_pipeline_creation_failed',
      })
      expect(failed.downstream_pipeline).toBeNull()
      expect(started.downstream_pipeline).toMatchObject({
        id: 20,
        project_id: 2,
        status: 'success',
        source: 'push',
      })
      expect(started.web_url).toBe('https://latest.example.com/grp/one/-/jobs/150')
      expect(started.pipeline).toMatchObject({ id: 10 })
      expect(response.headers.get('x-total')).toBe('2')
    }
  })

  test('scope and pages; bad params are Grape’s 400', async () => {
    const scoped = await call(latest, '/projects/1/pipelines/10/trigger_jobs?scope[]=success', ALICE)
    expect(((await body(scoped)) as Bridge[]).map((b) => b.id)).toEqual([150])
    const paged = await call(latest, '/projects/1/pipelines/10/trigger_jobs?per_page=1&page=2', ALICE)
    expect(((await body(paged)) as Bridge[]).map((b) => b.id)).toEqual([150])
    expect(paged.headers.get('x-prev-page')).toBe('1')
    const cases: [string, string][] = [
      ['/projects/1/pipelines/x/trigger_jobs', '{"error":"pipeline_id is invalid"}'],
      ['/projects/1/pipelines/10/trigger_jobs?scope=bogus', '{"error":"scope does not have a valid value"}'],
      // pipelines_helpers.rb `optional_scope`: the Hash form is coerced to ['unknown'].
      [
        '/projects/1/pipelines/10/trigger_jobs?scope[0]=success',
        '{"error":"scope does not have a valid value"}',
      ],
      ['/projects/1/pipelines/10/bridges?per_page=0', '{"error":"per_page has a value not allowed"}'],
    ]
    for (const [path, expected] of cases) {
      const response = await call(latest, path, ALICE)
      expect(response.status, path).toBe(400)
      expect(await response.text()).toBe(expected)
    }
  })

  test('who and which: a pipeline of another project is 404 Not found; anonymous on a private project 404 Project Not Found; a running job’s token reads them', async () => {
    const other = await call(latest, '/projects/1/pipelines/20/trigger_jobs', ALICE)
    expect(other.status).toBe(404)
    expect(await other.text()).toBe('{"message":"404 Not found"}')
    const anonymous = await call(latest, '/projects/1/pipelines/10/trigger_jobs')
    expect(await anonymous.text()).toBe('{"message":"404 Project Not Found"}')
    const token = await call(latest, '/projects/1/pipelines/10/trigger_jobs', { 'JOB-TOKEN': 'tok-running' })
    expect(token.status).toBe(200)
    // A pipeline without trigger jobs: [].
    expect(await (await call(latest, '/projects/2/pipelines/20/trigger_jobs', ALICE)).text()).toBe('[]')
  })

  test('a trigger job is no build: not in the jobs lists, and GET of its id is 404', async () => {
    const jobs = (await body(await call(latest, '/projects/1/pipelines/10/jobs', ALICE))) as { id: number }[]
    expect(jobs.map((j) => j.id)).toEqual([103, 102, 101, 100])
    const single = await call(latest, '/projects/1/jobs/150', ALICE)
    expect(single.status).toBe(404)
    expect(await single.text()).toBe('{"message":"404 Not found"}')
  })

  test('13.0: neither route; the catch-all 404', async () => {
    for (const route of ['trigger_jobs', 'bridges']) {
      const response = await call(v13, `/projects/1/pipelines/10/${route}`, ALICE)
      expect(response.status).toBe(404)
      expect(await response.text()).toBe('{"error":"404 Not Found"}')
    }
  })
})

describe('retry of a trigger job (`find_job!`: processables)', () => {
  test('201, the new trigger job in the Job entity (no runner manager, no artifacts); the old one is retried', async () => {
    const response = await call(latest, '/projects/1/jobs/150/retry', ALICE, { method: 'POST' })
    expect(response.status).toBe(201)
    const job = (await body(response)) as Record<string, unknown>
    expect(job).toMatchObject({
      name: 'deploy-two',
      status: 'pending',
      artifacts: [],
      runner: null,
      tag_list: [],
    })
    expect(job.id).toBeGreaterThan(152)
    expect(Object.keys(job)).toEqual(
      gitlabLatest.entities.job.filter(
        (k) => !['failure_reason', 'artifacts_file', 'runner_manager'].includes(k),
      ),
    )
    expect(latest.store.bridges.get(150)?.retried).toBe(true)
    const listed = (await body(
      await call(latest, '/projects/1/pipelines/10/trigger_jobs', ALICE),
    )) as Bridge[]
    expect(listed.map((b) => b.id)).toEqual([job.id, 151])
    expect(listed[0]?.downstream_pipeline).toBeNull()
    // reset() takes the clone out and gives the old one back.
    latest.reset()
    const again = (await body(await call(latest, '/projects/1/pipelines/10/trigger_jobs', ALICE))) as Bridge[]
    expect(again.map((b) => b.id)).toEqual([151, 150])
    expect(latest.store.bridges.size).toBe(3)
  })

  test('a retried one is not retryable (403 with the reason); a Developer may retry on an open ref; through another project it is 404', async () => {
    const again = await call(latest, '/projects/1/jobs/152/retry', ALICE, { method: 'POST' })
    expect(again.status).toBe(403)
    expect(await again.text()).toBe('{"message":"403 Forbidden - Job is not retryable"}')
    const dave = await call(
      latest,
      '/projects/1/jobs/151/retry',
      { 'PRIVATE-TOKEN': 'dave-token' },
      { method: 'POST' },
    )
    expect(dave.status).toBe(201)
    const missing = await call(latest, '/projects/2/jobs/150/retry', ALICE, { method: 'POST' })
    expect(missing.status).toBe(404)
    expect(await missing.text()).toBe('{"message":"404 Not found"}')
  })
})

describe('play of a trigger job (`find_job!`, Ci::PlayBridgeService)', () => {
  function seedManual() {
    latest.load({
      pipelines: [
        {
          project: 1,
          id: 11,
          commit: null,
          trigger_jobs: [
            { id: 160, name: 'deploy', when: 'manual', status: 'manual' },
            { id: 161, name: 'redeploy', when: 'manual', status: 'success', downstream_pipeline: 20 },
          ],
        },
      ],
    })
  }

  test('a manual one is enqueued in place for the caller: 200, in the Bridge entity', async () => {
    seedManual()
    const response = await call(latest, '/projects/1/jobs/160/play', ALICE, { method: 'POST' })
    expect(response.status).toBe(200)
    const bridge = (await body(response)) as Bridge
    expect(Object.keys(bridge)).toEqual(gitlabLatest.entities.bridge.filter((k) => k !== 'failure_reason'))
    expect(bridge).toMatchObject({
      id: 160,
      status: 'pending',
      user: { username: 'alice' },
      downstream_pipeline: null,
    })
  })

  test('a finished or delayed one, or one that is no action, is 400 Unplayable Job and nothing changes', async () => {
    // app/models/ci/bridge.rb: `playable?` is `action? && !archived? && manual?`, `action?` only `when: manual`.
    seedManual()
    latest.load({
      pipelines: [
        {
          project: 1,
          id: 12,
          commit: null,
          trigger_jobs: [{ id: 170, name: 'later', when: 'delayed', status: 'scheduled' }],
        },
      ],
    })
    for (const id of [161, 170, 150]) {
      const before = latest.state()
      const refused = await call(latest, `/projects/1/jobs/${id}/play`, ALICE, { method: 'POST' })
      expect(refused.status).toBe(400)
      expect(await refused.text()).toBe('{"message":"400 Bad request - Unplayable Job"}')
      expect(latest.state()).toEqual(before)
    }
  })
})

describe('fixtures and state()', () => {
  test('13.0 refuses trigger_jobs, naming the field', () => {
    const gitlab = createGitLabFake({ dataset: 'empty' })
    const error = refusal(
      () => gitlab.load({ projects: [{ path: 'a/b', pipelines: [{ trigger_jobs: [{}] }] }] }),
      FixtureError,
    )
    expect(error.message).toBe(
      'Invalid fixture: projects[0].pipelines[0].trigger_jobs: GitLab 13.0 has no trigger_jobs',
    )
  })

  test('latest: a downstream pipeline that does not exist, or is its own, is refused', () => {
    for (const [downstream, message] of [
      [99, 'no pipeline 99'],
      [1, 'a pipeline cannot be its own downstream'],
    ] as const) {
      const gitlab = createGitLabFake({ gitlab: 'latest', dataset: 'empty' })
      const error = refusal(
        () =>
          gitlab.load({
            projects: [
              { path: 'a/b', pipelines: [{ id: 1, trigger_jobs: [{ downstream_pipeline: downstream }] }] },
            ],
          }),
        FixtureError,
      )
      expect(error.message).toBe(
        `Invalid fixture: projects[0].pipelines[0].trigger_jobs[0].downstream_pipeline: ${message}`,
      )
      expect(gitlab.store.bridges.size).toBe(0)
    }
  })

  test('latest: state() writes them back, a retried clone too; a fake loaded from it answers alike', async () => {
    await call(latest, '/projects/1/jobs/150/retry', ALICE, { method: 'POST' })
    const state = latest.state()
    const copy = createGitLabFake({
      gitlab: 'latest',
      dataset: 'empty',
      now: latest.clock.now(),
      fixtures: [state],
    })
    expect(copy.state()).toEqual(state)
    const original = await (await call(latest, '/projects/1/pipelines/10/trigger_jobs', ALICE)).text()
    const loaded = await copy.handle(
      new Request(`${copy.apiUrl}/projects/1/pipelines/10/trigger_jobs`, { headers: ALICE }),
      { externalUrl: latest.baseUrl },
    )
    expect(await loaded?.text()).toBe(original)
  })
})

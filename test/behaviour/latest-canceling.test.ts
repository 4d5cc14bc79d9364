import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import {
  createGitLabFake,
  FixtureError,
  type GitLabFake,
  type JobInput,
  type JobRecord,
} from '../../src/index.js'
import { FAIL_UNHANDLED } from '../support/msw.js'
import { refusal } from '../support/refusal.js'

/**
 * Today's statuses `canceling` and `waiting_for_callback`, cancel through `canceling` on a runner
 * that cancels gracefully, `force=true`, and what archived jobs may still do
 * (app/models/commit_status.rb, app/models/ci/build.rb, lib/api/ci/jobs.rb at gitlabhq 41946e65),
 * beside 13.0, which has none of them. Both fakes answer under one setupServer.
 */

const latest = createGitLabFake({ gitlab: 'latest', baseUrl: 'https://latest.example.com', clock: 'manual' })
const v13 = createGitLabFake({ baseUrl: 'https://v13.example.com', clock: 'manual' })
const server = setupServer(...latest.handlers, ...v13.handlers)
beforeAll(() => server.listen(FAIL_UNHANDLED))
afterEach(() => {
  latest.reset()
  v13.reset()
})
afterAll(() => server.close())

type Token = 'maintainer' | 'developer' | 'reporter'

async function call(
  gitlab: GitLabFake,
  path: string,
  token: Token = 'maintainer',
  method = 'GET',
): Promise<[number, unknown]> {
  const response = await fetch(`${gitlab.apiUrl}${path}`, {
    method,
    headers: { 'PRIVATE-TOKEN': `${token}-token` },
  })
  return [response.status, JSON.parse(await response.text())]
}

const post = (gitlab: GitLabFake, path: string, token: Token = 'maintainer') =>
  call(gitlab, path, token, 'POST')

/** A job of its own in project 1, on an unprotected branch, its pipeline holding only it. */
function seedJob(gitlab: GitLabFake, job: JobInput = {}): JobRecord {
  const { jobs } = gitlab.seed.pipeline({
    project: 1,
    ref: 'feature/cancel',
    user: 'developer',
    jobs: [{ user: 'developer', ...job }],
  })
  return jobs[0] as JobRecord
}

const copy = (gitlab: GitLabFake, id: number) => structuredClone(gitlab.store.jobs.get(id))

/**
 * A runner whose one machine reports `cancel_gracefully`
 * (Ci::RunnerManager#supports_after_script_on_cancel?): the job fields that put a job on it.
 */
function gracefulRunner(
  gitlab: GitLabFake,
  cancel_gracefully = true,
): { runner: number; runner_manager: number } {
  const runner = gitlab.seed.runner({
    description: 'graceful',
    managers: [{ runtime_features: { cancel_gracefully } }],
  })
  return { runner: runner.id, runner_manager: (runner.managers[0] as { id: number }).id }
}

describe('statuses in fixtures (app/models/concerns/ci/has_status.rb AVAILABLE_STATUSES)', () => {
  test.each(['canceling', 'waiting_for_callback'])(
    'latest takes a %s job; 13.0 refuses it, naming the field',
    (status) => {
      const job = seedJob(latest, { status })
      expect(job.status).toBe(status)
      const error = refusal(
        () => v13.load({ pipelines: [{ project: 1, jobs: [{ status: 'success' }, { status }] }] }),
        FixtureError,
      )
      expect(error.message).toBe(
        `Invalid fixture: pipelines[0].jobs[1].status: GitLab 13.0 has no status "${status}"`,
      )
    },
  )

  test('a pipeline status too', () => {
    const error = refusal(() => v13.load({ pipelines: [{ project: 1, status: 'canceling' }] }), FixtureError)
    expect(error.message).toBe('Invalid fixture: pipelines[0].status: GitLab 13.0 has no status "canceling"')
    expect(latest.load({ pipelines: [{ project: 1, status: 'canceling' }] }).pipelines).toHaveLength(1)
  })

  test('a canceling job has started and not finished', () => {
    const job = seedJob(latest, { status: 'canceling' })
    expect(job.started_at).not.toBeNull()
    expect(job.finished_at).toBeNull()
  })

  test("runtime_features is a runner manager's, and runner managers are today's only", () => {
    const error = refusal(
      () => v13.load({ runners: [{ managers: [{ runtime_features: { cancel_gracefully: true } }] }] }),
      FixtureError,
    )
    expect(error.message).toBe('Invalid fixture: runners[0].managers: GitLab 13.0 has no managers')
    const typo = refusal(
      () => latest.load({ runners: [{ managers: [{ runtime_features: { graceful: true } }] }] }),
      FixtureError,
    )
    expect(typo.message).toBe(
      'Invalid fixture: runners[0].managers[0].runtime_features: unknown field(s) "graceful"',
    )
    const onRunner = refusal(() => latest.load({ runners: [{ runtime_features: {} }] }), FixtureError)
    expect(onRunner.message).toBe('Invalid fixture: runners[0]: unknown field(s) "runtime_features"')
  })
})

describe('scope counts the new statuses', () => {
  test('scope=canceling, scope[]=…, scope[0]=…', async () => {
    const canceling = seedJob(latest, { status: 'canceling' })
    const waiting = seedJob(latest, { status: 'waiting_for_callback' })
    const ids = async (query: string) => {
      const [status, body] = await call(latest, `/projects/1/jobs?${query}`)
      expect(status).toBe(200)
      return (body as { id: number }[]).map((j) => j.id)
    }
    expect(await ids('scope=canceling')).toEqual([canceling.id])
    expect(await ids('scope[]=canceling&scope[]=waiting_for_callback')).toEqual([waiting.id, canceling.id])
    expect(await ids('scope[0]=waiting_for_callback')).toEqual([waiting.id])
    const [status, body] = await call(
      latest,
      `/projects/1/pipelines/${canceling.pipeline_id}/jobs?scope=canceling`,
    )
    expect([status, (body as { id: number }[]).map((j) => j.id)]).toEqual([200, [canceling.id]])
  })

  test('13.0 refuses them as scopes', async () => {
    expect(await call(v13, '/projects/1/jobs?scope=canceling')).toEqual([
      400,
      { error: 'scope does not have a valid value' },
    ])
  })
})

describe('pipeline status (lib/gitlab/ci/status/composite.rb)', () => {
  const statusOf = (gitlab: GitLabFake, jobs: JobInput[]) =>
    gitlab.seed.pipeline({ project: 1, jobs }).pipeline.status

  test.each([
    [['canceling', 'success'], 'canceling'],
    [['canceling', 'running'], 'running'],
    [['canceling', 'manual'], 'manual'],
    [['canceling', 'failed'], 'canceling'],
    [['waiting_for_callback', 'success'], 'waiting_for_callback'],
    [['waiting_for_callback', 'pending'], 'running'],
    [['waiting_for_callback', 'waiting_for_resource'], 'waiting_for_resource'],
    [['waiting_for_callback', 'canceling'], 'waiting_for_callback'],
  ])('%j → %s', (statuses, expected) => {
    expect(
      statusOf(
        latest,
        statuses.map((status) => ({ status, allow_failure: false })),
      ),
    ).toBe(expected)
  })

  test('a canceling stage holds the next one back', () => {
    const { jobs } = latest.seed.pipeline({
      project: 1,
      jobs: [
        { stage: 'build', status: 'canceling' },
        { stage: 'test', status: 'created' },
      ],
    })
    latest.clock.advance('1m')
    expect(jobs.map((j) => j.status)).toEqual(['canceling', 'created'])
  })
})

describe('cancel (app/models/commit_status.rb `event :cancel`, lib/api/ci/jobs.rb)', () => {
  test('a running job on a runner that cancels gracefully: 201, canceling, not finished', async () => {
    const job = seedJob(latest, { status: 'running', ...gracefulRunner(latest) })
    const [status, body] = await post(latest, `/projects/1/jobs/${job.id}/cancel`)
    expect(status).toBe(201)
    expect(body).toMatchObject({ id: job.id, status: 'canceling', finished_at: null })
    expect(latest.store.pipelines.get(job.pipeline_id)?.status).toBe('canceling')
  })

  test.each([
    ['no runtime features', undefined],
    ['cancel_gracefully: false', false],
  ])('a running job on a runner with %s: 201, canceled', async (_, graceful) => {
    const on =
      graceful === undefined ? { runner: latest.seed.runner({}).id } : gracefulRunner(latest, graceful)
    const job = seedJob(latest, { status: 'running', ...on })
    const [status, body] = await post(latest, `/projects/1/jobs/${job.id}/cancel`)
    expect(status).toBe(201)
    expect((body as { status: string }).status).toBe('canceled')
    expect((body as { finished_at: string | null }).finished_at).not.toBeNull()
  })

  test('a pending job cancels straight to canceled, graceful runner or not', async () => {
    const job = seedJob(latest, { status: 'pending', runner: gracefulRunner(latest).runner })
    expect((await post(latest, `/projects/1/jobs/${job.id}/cancel`))[1]).toMatchObject({ status: 'canceled' })
  })

  test('waiting_for_callback is cancelable', async () => {
    const job = seedJob(latest, { status: 'waiting_for_callback' })
    expect((await post(latest, `/projects/1/jobs/${job.id}/cancel`))[1]).toMatchObject({ status: 'canceled' })
  })

  test('cancel of a canceling job: 201, still canceling (it is not in CANCELABLE_STATUSES)', async () => {
    const job = seedJob(latest, { status: 'canceling' })
    const [status, body] = await post(latest, `/projects/1/jobs/${job.id}/cancel`)
    expect([status, (body as { status: string }).status]).toEqual([201, 'canceling'])
    expect(copy(latest, job.id)).toEqual(job)
  })

  test('13.0: the same running job on the same kind of runner goes straight to canceled', async () => {
    const job = seedJob(v13, { status: 'running', runner: 1 })
    const [status, body] = await post(v13, `/projects/1/jobs/${job.id}/cancel`)
    expect([status, (body as { status: string }).status]).toEqual([201, 'canceled'])
  })
})

describe('force=true (`authorize!(:force_cancel_build, build)`, `build.force_cancel`)', () => {
  test('a Maintainer moves canceling to canceled, with finished_at; the pipeline follows', async () => {
    const job = seedJob(latest, { status: 'canceling' })
    latest.clock.advance('30s')
    const [status, body] = await post(latest, `/projects/1/jobs/${job.id}/cancel?force=true`)
    expect(status).toBe(201)
    expect(body).toMatchObject({
      status: 'canceled',
      finished_at: new Date(latest.clock.now()).toISOString(),
    })
    expect(latest.store.pipelines.get(job.pipeline_id)?.status).toBe('canceled')
  })

  test('a Developer: 403, nothing changes', async () => {
    const job = seedJob(latest, { status: 'canceling' })
    expect(await post(latest, `/projects/1/jobs/${job.id}/cancel?force=true`, 'developer')).toEqual([
      403,
      { message: '403 Forbidden' },
    ])
    expect(copy(latest, job.id)).toEqual(job)
  })

  test('a Reporter: 403 before the job is looked for (`authorize_cancel_builds!`)', async () => {
    expect(await post(latest, '/projects/1/jobs/999999/cancel?force=true', 'reporter')).toEqual([
      403,
      { message: '403 Forbidden' },
    ])
  })

  test('force on a running job: 201, still running [spec]', async () => {
    const job = seedJob(latest, { status: 'running', ...gracefulRunner(latest) })
    const [status, body] = await post(latest, `/projects/1/jobs/${job.id}/cancel?force=true`)
    expect([status, (body as { status: string }).status]).toEqual([201, 'running'])
    expect(copy(latest, job.id)).toEqual(job)
  })

  test('force=false is a plain cancel', async () => {
    const job = seedJob(latest, { status: 'running', ...gracefulRunner(latest) })
    expect((await post(latest, `/projects/1/jobs/${job.id}/cancel?force=false`))[1]).toMatchObject({
      status: 'canceling',
    })
  })

  test.each(['bogus', '2', 'truee'])('force=%s: 400 force is invalid, nothing changes', async (value) => {
    const job = seedJob(latest, { status: 'canceling' })
    expect(await post(latest, `/projects/1/jobs/${job.id}/cancel?force=${value}`)).toEqual([
      400,
      { error: 'force is invalid' },
    ])
    expect(copy(latest, job.id)).toEqual(job)
  })

  test('with a bad job_id too: both, in declaration order', async () => {
    expect(await post(latest, '/projects/1/jobs/x/cancel?force=maybe')).toEqual([
      400,
      { error: 'job_id is invalid, force is invalid' },
    ])
  })

  test('13.0 declares no force: it is ignored, and a running job is canceled', async () => {
    const job = seedJob(v13, { status: 'running' })
    const [status, body] = await post(v13, `/projects/1/jobs/${job.id}/cancel?force=bogus`)
    expect([status, (body as { status: string }).status]).toEqual([201, 'canceled'])
  })
})

describe('the runner finishes a canceling job as canceled', () => {
  test('on the clock: at its planned end, canceled, with finished_at; the pipeline is canceled', async () => {
    const { runner } = gracefulRunner(latest)
    const { jobs, pipeline } = latest.seed.pipeline({
      project: 1,
      ref: 'feature/cancel',
      jobs: [{ run: { queued: '1s', duration: '20s', runner }, user: 'developer' }],
    })
    const job = jobs[0] as JobRecord
    latest.clock.advance('5s')
    expect(job.status).toBe('running')
    expect((await post(latest, `/projects/1/jobs/${job.id}/cancel`))[1]).toMatchObject({
      status: 'canceling',
    })
    latest.clock.advance('5s')
    expect(job.status).toBe('canceling')
    latest.clock.advance('20s')
    expect(job.status).toBe('canceled')
    expect(job.finished_at).toBe((job.started_at as number) + 20_000)
    expect(job.failure_reason).toBeNull()
    expect(pipeline.status).toBe('canceled')
  })

  test('a canceling job a fixture loads with a plan: the runner picks it up and ends it canceled', () => {
    const { runner, runner_manager } = gracefulRunner(latest)
    const started = new Date(latest.clock.now() - 5_000).toISOString()
    const { jobs } = latest.seed.pipeline({
      project: 1,
      jobs: [{ status: 'canceling', started_at: started, runner, runner_manager, run: { duration: '20s' } }],
    })
    const job = jobs[0] as JobRecord
    latest.clock.advance('14s')
    expect(job.status).toBe('canceling')
    latest.clock.advance('1s')
    expect([job.status, job.finished_at]).toEqual(['canceled', latest.clock.now()])
  })

  test('with progress: reads, reads of the job move it to its end, canceled', async () => {
    const { runner, runner_manager } = gracefulRunner(latest)
    const { jobs } = latest.seed.pipeline({
      project: 1,
      jobs: [{ status: 'canceling', runner, runner_manager, run: { progress: 'reads', log: [] } }],
    })
    const job = jobs[0] as JobRecord
    const [status, body] = await call(latest, `/projects/1/jobs/${job.id}`)
    expect([status, (body as { status: string }).status]).toEqual([200, 'canceled'])
  })

  test('by hand: whatever it reports, the job ends canceled', () => {
    const job = seedJob(latest, { status: 'canceling', ...gracefulRunner(latest) })
    latest.runner.finish(job.id, { status: 'failed' })
    expect(job.status).toBe('canceled')
    expect(job.finished_at).toBe(latest.clock.now())
  })
})

describe('retry from canceling (app/models/ci/processable.rb `retryable?`)', () => {
  test('latest: 201, a new pending job', async () => {
    const job = seedJob(latest, { status: 'canceling' })
    const [status, body] = await post(latest, `/projects/1/jobs/${job.id}/retry`)
    expect(status).toBe(201)
    expect(body).toMatchObject({ status: 'pending', name: job.name })
    expect((body as { id: number }).id).not.toBe(job.id)
  })
})

describe('archived jobs (Ci::ProcessablePolicy `rule { archived }`: update abilities only)', () => {
  test.each([
    ['retry', { status: 'failed' }],
    ['play', { status: 'manual' }],
    ['artifacts/keep', { status: 'success' }],
  ])('%s: 403, nothing changes', async (action, input) => {
    const job = seedJob(latest, { ...(input as JobInput), archived: true })
    expect(await post(latest, `/projects/1/jobs/${job.id}/${action}`)).toEqual([
      403,
      { message: '403 Forbidden' },
    ])
    expect(copy(latest, job.id)).toEqual(job)
  })

  test.each([
    ['retry', { status: 'failed' }, 201],
    ['play', { status: 'manual' }, 200],
  ])('the same job not archived: %s is allowed', async (action, input, expected) => {
    const job = seedJob(latest, input as JobInput)
    expect((await post(latest, `/projects/1/jobs/${job.id}/${action}`))[0]).toBe(expected)
  })

  test('cancel and erase are still allowed', async () => {
    const running = seedJob(latest, { status: 'pending', archived: true })
    expect((await post(latest, `/projects/1/jobs/${running.id}/cancel`))[1]).toMatchObject({
      status: 'canceled',
      archived: true,
    })
    const done = seedJob(latest, { status: 'success', archived: true })
    const [status, body] = await post(latest, `/projects/1/jobs/${done.id}/erase`)
    expect(status).toBe(201)
    expect((body as { erased_at: string | null }).erased_at).not.toBeNull()
  })
})

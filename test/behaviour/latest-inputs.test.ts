import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createGitLabFake, type GitLabFake, type JobInput, type JobRecord } from '../../src/index.js'
import { FAIL_UNHANDLED } from '../support/msw.js'

/**
 * Today's retry `inputs` and play `job_variables_attributes` and `job_inputs` (lib/api/ci/jobs.rb
 * at gitlabhq 41946e65), validated as Grape validates them; 13.0 declares none and ignores them.
 */

const latest = createGitLabFake({ gitlab: 'latest', baseUrl: 'https://latest.example.com' })
const v13 = createGitLabFake({ baseUrl: 'https://v13.example.com' })
const server = setupServer(...latest.handlers, ...v13.handlers)
beforeAll(() => server.listen(FAIL_UNHANDLED))
afterEach(() => {
  latest.reset()
  v13.reset()
})
afterAll(() => server.close())

function seedJob(gitlab: GitLabFake, job: JobInput): JobRecord {
  const { jobs } = gitlab.seed.pipeline({
    project: 1,
    ref: 'feature/inputs',
    user: 'developer',
    jobs: [{ user: 'developer', ...job }],
  })
  return jobs[0] as JobRecord
}

async function post(
  gitlab: GitLabFake,
  path: string,
  body?: unknown,
  type = 'application/json',
): Promise<[number, unknown]> {
  const headers: Record<string, string> = { 'PRIVATE-TOKEN': 'maintainer-token' }
  if (body !== undefined) headers['Content-Type'] = type
  const response = await fetch(`${gitlab.apiUrl}${path}`, {
    method: 'POST',
    headers,
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  return [response.status, JSON.parse(await response.text())]
}

const copy = (gitlab: GitLabFake, id: number) => structuredClone(gitlab.store.jobs.get(id))

describe('retry: inputs (Hash)', () => {
  test.each([
    ['a JSON object', { inputs: { environment: 'production', replicas: 3 } }],
    ['an empty one', { inputs: {} }],
  ])('%s: 201, the new job (a job without spec:inputs takes any)', async (_, body) => {
    const job = seedJob(latest, { status: 'failed' })
    const [status, answer] = await post(latest, `/projects/1/jobs/${job.id}/retry`, body)
    expect(status).toBe(201)
    expect(answer).toMatchObject({ status: 'pending', name: job.name })
  })

  test('as a form: inputs[environment]=production', async () => {
    const job = seedJob(latest, { status: 'failed' })
    const [status] = await post(
      latest,
      `/projects/1/jobs/${job.id}/retry`,
      'inputs[environment]=production',
      'application/x-www-form-urlencoded',
    )
    expect(status).toBe(201)
  })

  test.each([
    ['a string', { inputs: 'production' }],
    ['an array', { inputs: ['production'] }],
    ['an empty string', { inputs: '' }],
  ])('%s: 400 inputs is invalid, nothing changes', async (_, body) => {
    const job = seedJob(latest, { status: 'failed' })
    expect(await post(latest, `/projects/1/jobs/${job.id}/retry`, body)).toEqual([
      400,
      { error: 'inputs is invalid' },
    ])
    expect(copy(latest, job.id)).toEqual(job)
    expect(latest.store.jobsOfPipeline(job.pipeline_id).list()).toHaveLength(1)
  })

  test('in the query string, with a bad job_id: both, in declaration order', async () => {
    expect(await post(latest, '/projects/1/jobs/x/retry?inputs=1')).toEqual([
      400,
      { error: 'job_id is invalid, inputs is invalid' },
    ])
  })

  test('13.0 declares no inputs: ignored, 201', async () => {
    const job = seedJob(v13, { status: 'failed' })
    expect((await post(v13, `/projects/1/jobs/${job.id}/retry`, { inputs: 'x' }))[0]).toBe(201)
  })
})

describe('play: job_variables_attributes ({key, value}, both required) and job_inputs (Hash)', () => {
  test('a manual job with variables and inputs: 200, pending', async () => {
    const job = seedJob(latest, { status: 'manual' })
    const [status, answer] = await post(latest, `/projects/1/jobs/${job.id}/play`, {
      job_variables_attributes: [{ key: 'TEST_VAR_NAME', value: 'test' }],
      job_inputs: { environment: 'production' },
    })
    expect([status, (answer as { id: number; status: string }).status]).toEqual([200, 'pending'])
    expect((answer as { id: number }).id).toBe(job.id)
  })

  test('as a form, the Rack way: job_variables_attributes[][key]=…&job_variables_attributes[][value]=…', async () => {
    const job = seedJob(latest, { status: 'manual' })
    const [status] = await post(
      latest,
      `/projects/1/jobs/${job.id}/play`,
      'job_variables_attributes[][key]=A&job_variables_attributes[][value]=1&job_variables_attributes[][key]=B&job_variables_attributes[][value]=',
      'application/x-www-form-urlencoded',
    )
    expect(status).toBe(200)
  })

  test('numbers in JSON are Strings to Grape', async () => {
    const job = seedJob(latest, { status: 'manual' })
    const body = { job_variables_attributes: [{ key: 'REPLICAS', value: 3 }] }
    expect((await post(latest, `/projects/1/jobs/${job.id}/play`, body))[0]).toBe(200)
  })

  test('a value that is there as a JSON null passes: Grape requires the key only, and keeps nil', async () => {
    // lib/grape/validations/validators/presence_validator.rb: `params.key?(attr_name)`;
    // types/primitive_coercer.rb: `return nil if val.nil?`.
    const job = seedJob(latest, { status: 'manual' })
    const body = { job_variables_attributes: [{ key: 'K', value: null }] }
    const [status, answer] = await post(latest, `/projects/1/jobs/${job.id}/play`, body)
    expect([status, (answer as { status: string }).status]).toEqual([200, 'pending'])
  })

  test('a null element, or a null param, is still no variable given', async () => {
    const job = seedJob(latest, { status: 'manual' })
    expect(
      await post(latest, `/projects/1/jobs/${job.id}/play`, {
        job_variables_attributes: [null, { value: 'v' }],
      }),
    ).toEqual([400, { error: 'job_variables_attributes[0][key] is missing' }])
    expect(copy(latest, job.id)).toEqual(job)
  })

  test.each([
    [[{ value: 'v' }], 'job_variables_attributes[0][key] is missing'],
    [[{ key: 'K' }], 'job_variables_attributes[0][value] is missing'],
    [[{}], 'job_variables_attributes[0][key] is missing, job_variables_attributes[0][value] is missing'],
    [
      [{ key: 'A', value: 'a' }, { value: 'b' }, {}],
      'job_variables_attributes[1][key] is missing, job_variables_attributes[2][key] is missing, job_variables_attributes[2][value] is missing',
    ],
    [[{ key: { a: 'b' }, value: 'v' }], 'job_variables_attributes[0][key] is invalid'],
    [[{ key: 'K', value: ['v'] }], 'job_variables_attributes[0][value] is invalid'],
    ['K=v', 'job_variables_attributes is invalid'],
    [{ key: 'K', value: 'v' }, 'job_variables_attributes is invalid'],
    [['K'], 'job_variables_attributes is invalid'],
  ])('%j: 400 %s, nothing changes', async (variables, message) => {
    const job = seedJob(latest, { status: 'manual' })
    expect(
      await post(latest, `/projects/1/jobs/${job.id}/play`, { job_variables_attributes: variables }),
    ).toEqual([400, { error: message }])
    expect(copy(latest, job.id)).toEqual(job)
  })

  test('job_inputs that is no Hash: 400, after the variables', async () => {
    const job = seedJob(latest, { status: 'manual' })
    const body = { job_variables_attributes: [{ key: 'K' }], job_inputs: 'production' }
    expect(await post(latest, `/projects/1/jobs/${job.id}/play`, body)).toEqual([
      400,
      { error: 'job_variables_attributes[0][value] is missing, job_inputs is invalid' },
    ])
  })

  test('valid params on a job that is no action: the params pass, then 400 Unplayable Job', async () => {
    const job = seedJob(latest, { status: 'success' })
    const body = { job_variables_attributes: [{ key: 'K', value: 'v' }] }
    expect(await post(latest, `/projects/1/jobs/${job.id}/play`, body)).toEqual([
      400,
      { message: '400 Bad request - Unplayable Job' },
    ])
  })

  test('13.0 declares none of them: ignored, 200', async () => {
    const job = seedJob(v13, { status: 'manual' })
    const body = { job_variables_attributes: 'K=v', job_inputs: 'x' }
    expect((await post(v13, `/projects/1/jobs/${job.id}/play`, body))[0]).toBe(200)
  })
})

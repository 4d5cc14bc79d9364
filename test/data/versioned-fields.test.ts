import { describe, expect, test } from 'vitest'
import { createGitLabFake, FixtureError } from '../../src/index.js'
import { refusal } from '../support/refusal.js'

/**
 * The job fields only today's GitLab has (failure_reason, tag_list, queued_at or
 * queued_duration, archived, erased_at): a fixture gives them to the version that shows them, and state()
 * writes them back; 13.0 refuses them, naming the field.
 */

const NOW = Date.parse('2026-06-01T12:00:00.000Z')
const AT = 'Invalid fixture: projects[0].pipelines[0].jobs[0]'

function fixture(job: Record<string, unknown>) {
  return { projects: [{ path: 'v/jobs', pipelines: [{ commit: null, jobs: [job] }] }] }
}

describe('13.0: none of them', () => {
  test.each([
    ['failure_reason', { status: 'failed', failure_reason: 'runner_system_failure' }],
    ['tag_list', { tag_list: ['docker'] }],
    ['queued_at', { queued_at: '2026-01-01T10:00:00.000Z' }],
    ['queued_duration', { queued_duration: 3 }],
    ['archived', { archived: true }],
    ['erased_at', { status: 'failed', trace: null, erased_at: '2026-01-01T11:00:00.000Z' }],
  ])('%s is refused, named', (field, job) => {
    const gitlab = createGitLabFake({ dataset: 'empty' })
    const error = refusal(() => gitlab.load(fixture(job)), FixtureError)
    expect(error.message).toBe(`${AT}.${field}: GitLab 13.0 has no ${field}`)
  })

  test('state() writes none of them, and loads back', () => {
    const original = createGitLabFake({ now: () => NOW, fixtures: [fixture({ status: 'failed' })] })
    const state = original.state()
    const job = state.projects?.find((p) => p.path === 'v/jobs')?.pipelines?.[0]?.jobs?.[0] ?? {}
    for (const field of [
      'failure_reason',
      'tag_list',
      'queued_at',
      'queued_duration',
      'archived',
      'erased_at',
    ])
      expect(field in job, field).toBe(false)
    const copy = createGitLabFake({ dataset: 'empty', now: () => NOW, fixtures: [state] })
    expect(copy.state()).toEqual(state)
  })
})

describe('latest', () => {
  const latest = (job: Record<string, unknown>) =>
    createGitLabFake({ gitlab: 'latest', dataset: 'empty', now: () => NOW, fixtures: [fixture(job)] })

  test('a failed job with its reason, tags, queued time and archived flag; state() round-trips them', () => {
    const gitlab = latest({
      status: 'failed',
      failure_reason: 'runner_system_failure',
      tag_list: ['linux', 'docker'],
      created_at: '2026-01-01T10:00:00.000Z',
      queued_at: '2026-01-01T10:00:02.000Z',
      started_at: '2026-01-01T10:00:05.000Z',
      finished_at: '2026-01-01T10:01:00.000Z',
      archived: true,
    })
    expect([...gitlab.store.jobs.values()][0]).toMatchObject({
      failure_reason: 'runner_system_failure',
      tag_list: ['linux', 'docker'],
      queued_at: Date.parse('2026-01-01T10:00:02.000Z'),
      archived: true,
    })
    const state = gitlab.state()
    expect(state.projects?.[0]?.pipelines?.[0]?.jobs?.[0]).toMatchObject({
      failure_reason: 'runner_system_failure',
      tag_list: ['linux', 'docker'],
      queued_at: '2026-01-01T10:00:02.000Z',
      archived: true,
    })
    const copy = createGitLabFake({ gitlab: 'latest', dataset: 'empty', now: () => NOW, fixtures: [state] })
    expect(copy.state()).toEqual(state)
    // A state of latest is refused by 13.0, naming the first field it does not have.
    const error = refusal(() => createGitLabFake({ dataset: 'empty', fixtures: [state] }), FixtureError)
    expect(error.message).toMatch(
      /projects\[0\]\.ci_job_token_scope_enabled: GitLab 13\.0 has no ci_job_token_scope_enabled$/,
    )
    const { pipelines } = state.projects?.[0] ?? {}
    const jobsOnly = { projects: [{ path: 'v/jobs', pipelines }] }
    const jobError = refusal(() => createGitLabFake({ dataset: 'empty', fixtures: [jobsOnly] }), FixtureError)
    expect(jobError.message).toMatch(/pipelines\[0\]\.source: GitLab 13\.0 has no source$/)
  })

  test('erased_at: shown by the job entity, written back by state() after an erase, loaded back the same', async () => {
    // The default dataset, for its admin.
    const gitlab = createGitLabFake({
      gitlab: 'latest',
      now: () => NOW,
      fixtures: [fixture({ status: 'failed', trace: 'boom\n' })],
    })
    const job = [...gitlab.store.jobs.values()].at(-1)
    const API = 'https://gitlab.example.com/api/v4'
    const erase = await gitlab.handle(
      new Request(`${API}/projects/${job?.project_id}/jobs/${job?.id}/erase`, {
        method: 'POST',
        headers: { 'PRIVATE-TOKEN': 'root-token' },
      }),
    )
    expect(erase?.status).toBe(201)
    const state = gitlab.state()
    const written = state.projects?.find((p) => p.path === 'v/jobs')?.pipelines?.[0]?.jobs?.[0]
    expect(written).toMatchObject({
      trace: null,
      erased_at: new Date(NOW).toISOString(),
    })
    const copy = createGitLabFake({ gitlab: 'latest', dataset: 'empty', now: () => NOW, fixtures: [state] })
    expect(copy.state()).toEqual(state)
    const read = (fake: typeof gitlab) =>
      fake.handle(
        new Request(`${API}/projects/${job?.project_id}/jobs/${job?.id}`, {
          headers: { 'PRIVATE-TOKEN': 'root-token' },
        }),
      )
    const shown = JSON.parse((await (await read(copy))?.text()) ?? '') as { erased_at: string | null }
    expect(shown.erased_at).toBe(new Date(NOW).toISOString())
    expect(await (await read(copy))?.text()).toBe(await (await read(gitlab))?.text())
    // A job never erased: no erased_at written.
    const plain = latest({ status: 'failed' }).state()
    expect('erased_at' in (plain.projects?.[0]?.pipelines?.[0]?.jobs?.[0] ?? {})).toBe(false)
  })

  test('queued_duration counts back from the start; left out, a queued job was queued when created', () => {
    const counted = latest({
      status: 'success',
      started_at: '2026-01-01T10:00:05.000Z',
      finished_at: '2026-01-01T10:01:00.000Z',
      queued_duration: 2.5,
    })
    expect([...counted.store.jobs.values()][0]?.queued_at).toBe(Date.parse('2026-01-01T10:00:02.500Z'))
    const plain = latest({ status: 'success', created_at: '2026-01-01T10:00:00.000Z' })
    expect([...plain.store.jobs.values()][0]?.queued_at).toBe(Date.parse('2026-01-01T10:00:00.000Z'))
    const manual = latest({ status: 'manual' })
    expect([...manual.store.jobs.values()][0]?.queued_at).toBeNull()
  })

  test('failure_reason on a job that did not fail, or queued_at with queued_duration, is refused', () => {
    const gitlab = createGitLabFake({ gitlab: 'latest', dataset: 'empty' })
    expect(
      refusal(() => gitlab.load(fixture({ status: 'success', failure_reason: 'script_failure' }))).message,
    ).toBe(`${AT}.failure_reason: only a failed job has one; this one is success`)
    expect(
      refusal(() => gitlab.load(fixture({ queued_at: '2026-01-01T10:00:00.000Z', queued_duration: 1 })))
        .message,
    ).toBe(`${AT}.queued_duration: give queued_at or queued_duration, not both`)
  })
})

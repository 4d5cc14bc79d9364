import { expect, test } from 'vitest'
import { byVersion, describeEachVersion } from '../support/each-version.js'
import { api, json } from '../support/gitlab.js'

async function ids(path: string): Promise<number[]> {
  const response = await api(path)
  expect(response.status, path).toBe(200)
  return ((await json(response)) as { id: number }[]).map((j) => j.id)
}

async function statuses(path: string): Promise<string[]> {
  const response = await api(path)
  expect(response.status, path).toBe(200)
  return ((await json(response)) as { status: string }[]).map((j) => j.status)
}

// Project 1: failed 6 7 8 10; success 9 18 19; running 11; pending 12; canceled 13; skipped 14;
// created 15; manual 16; scheduled 17.
describeEachVersion('scope (lib/api/jobs.rb optional_scope)', (version) => {
  test('a string', async () => {
    expect(await ids('/projects/1/jobs?scope=failed')).toEqual([10, 8, 7, 6])
  })

  test('an array, scope[]=', async () => {
    expect(await ids('/projects/1/jobs?scope[]=pending&scope[]=running')).toEqual([12, 11])
    expect(await ids('/projects/1/jobs?scope%5B%5D=success&scope%5B%5D=failed')).toEqual([
      19, 18, 10, 9, 8, 7, 6,
    ])
  })

  test('a hash, scope[0]= (its values)', async () => {
    expect(await ids('/projects/1/jobs?scope[0]=manual&scope[1]=scheduled')).toEqual([17, 16])
  })

  test('a repeated plain key keeps the last, as Rack does', async () => {
    expect(await ids('/projects/1/jobs?scope=failed&scope=canceled')).toEqual([13])
  })

  test('every 13.0 status is a valid scope, and each answers only its own status', async () => {
    for (const status of [
      'created',
      'pending',
      'running',
      'success',
      'failed',
      'canceled',
      'skipped',
      'manual',
      'scheduled',
    ]) {
      const found = await statuses(`/projects/1/jobs?scope=${status}`)
      expect(found.length, status).toBeGreaterThan(0)
      expect(new Set(found), status).toEqual(new Set([status]))
    }
    for (const status of ['waiting_for_resource', 'preparing']) {
      expect(await ids(`/projects/1/jobs?scope=${status}`)).toEqual([])
    }
  })

  // gitlab-jobs-latest.md §1 row 3: today's statuses add canceling and waiting_for_callback.
  test.each(
    version === '13.0'
      ? ['canceling', 'waiting_for_callback', 'bogus', '', 'FAILED']
      : ['bogus', '', 'FAILED'],
  )(`"%s" is not a ${version} status: 400`, async (scope) => {
    const response = await api(`/projects/1/jobs?scope[]=failed&scope[]=${scope}`)
    expect(response.status).toBe(400)
    expect(await json(response)).toEqual({ error: 'scope does not have a valid value' })
  })

  if (version === 'latest')
    test.each(['canceling', 'waiting_for_callback'])(
      '"%s" is a status today: 200, none in the dataset',
      async (scope) => {
        expect(await ids(`/projects/1/jobs?scope[]=failed&scope[]=${scope}`)).toEqual([10, 8, 7, 6])
        expect(await ids(`/projects/1/jobs?scope=${scope}`)).toEqual([])
      },
    )

  // Pipeline jobs: id ASC in 13.0, id DESC today (gitlab-jobs-latest.md §1 row 14).
  test("pipeline jobs take the same forms, in the version's id order", async () => {
    expect(await ids('/projects/1/pipelines/7/jobs?scope[]=failed&scope[]=success&scope[]=canceled')).toEqual(
      byVersion(version, { '13.0': [9, 10, 13], latest: [13, 10, 9] }),
    )
    expect(await ids('/projects/1/pipelines/7/jobs?scope=manual')).toEqual([16])
    const response = await api('/projects/1/pipelines/7/jobs?scope=nope')
    expect([response.status, await json(response)]).toEqual([
      400,
      { error: 'scope does not have a valid value' },
    ])
  })

  // The Hash form on pipeline jobs: its values in 13.0 (lib/api/jobs.rb `optional_scope`), today
  // `['unknown']` (lib/api/ci/helpers/pipelines_helpers.rb `coerce_with`), a 400 (reference §2.1).
  test('pipeline jobs and scope[0]=: its values in 13.0, refused today', async () => {
    const response = await api('/projects/1/pipelines/7/jobs?scope[0]=manual&scope[1]=failed')
    if (version === '13.0') {
      expect(response.status).toBe(200)
      expect(((await json(response)) as { id: number }[]).map((j) => j.id)).toEqual([10, 16])
    } else {
      expect([response.status, await json(response)]).toEqual([
        400,
        { error: 'scope does not have a valid value' },
      ])
    }
  })
})

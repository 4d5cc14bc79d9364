import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'

/** GitLab's artifact expiry worker over HTTP: on the clock, and on demand through the control API. */

forEachVersion('server artifact expiry', (version) => {
  const BEFORE_RUN = '2030-01-01T12:49:59.999Z'
  const FIXTURE = {
    users: [{ username: 'alice', tokens: ['alice-token'] }],
    projects: [
      {
        path: 'group/app',
        members: [{ user: 'alice', access_level: 'maintainer' }],
        pipelines: [
          {
            ref: 'main',
            jobs: [
              {
                name: 'build',
                status: 'success',
                trace: 'built\n',
                artifacts: [
                  { file_type: 'archive', files: { 'a.txt': 'a' } },
                  { file_type: 'metadata' },
                  { file_type: 'trace' },
                ],
                artifacts_expire_at: '2030-01-01T12:00:00.000Z',
              },
            ],
          },
        ],
      },
    ],
  }

  let server: RunningServer
  beforeAll(async () => {
    server = await listen({
      gitlab: version,
      port: 0,
      clock: 'manual',
      now: BEFORE_RUN,
      dataset: 'empty',
      fixtures: [FIXTURE],
    })
  })
  afterAll(() => server.close())
  beforeEach(async () => {
    await fetch(`${server.url}/__fake/reset`, { method: 'POST' })
  })

  const control = (path: string, body?: unknown) =>
    fetch(`${server.url}/__fake${path}`, {
      method: 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const get = (path: string) =>
    fetch(`${server.url}/api/v4/projects/group%2Fapp${path}`, { headers: { 'PRIVATE-TOKEN': 'alice-token' } })

  /** The fixture's job: expired at 12:00, its rows not destroyed yet. */
  const id = 1

  describe('the artifact expiry worker over HTTP', () => {
    test('POST /__fake/artifacts/expire runs it now and answers what it destroyed', async () => {
      const before = (await (await get(`/jobs/${id}`)).json()) as Record<string, unknown>
      expect('artifacts_file' in before).toBe(false)
      expect((before.artifacts as unknown[]).length).toBe(3)
      expect((await get(`/jobs/${id}/artifacts`)).status).toBe(200)

      const response = await control('/artifacts/expire')
      expect([response.status, await response.json()]).toEqual([
        200,
        { destroyed: 2, now: BEFORE_RUN, next_run: '2030-01-01T12:50:00.000Z' },
      ])
      const after = (await (await get(`/jobs/${id}`)).json()) as { artifacts: { file_type: string }[] }
      expect(after.artifacts.map((a) => a.file_type)).toEqual(['trace'])
      expect((await get(`/jobs/${id}/artifacts`)).status).toBe(404)
      expect((await control('/artifacts/expire')).status).toBe(200)
    })

    test('moving the clock past minute 50 runs it; /__fake/reset puts the rows back', async () => {
      const rows = async () =>
        ((await (await get(`/jobs/${id}`)).json()) as { artifacts: unknown[] }).artifacts.length
      expect(await rows()).toBe(3)
      await control('/clock', { advance: 1 })
      expect(await rows()).toBe(1)
      await control('/reset')
      expect(await rows()).toBe(3)
      expect((await get(`/jobs/${id}/artifacts`)).status).toBe(200)
    })
  })
})

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createGitLabFake } from '../../src/index.js'
import { listen, type RunningServer } from '../../src/node/index.js'
import { byVersion, forEachVersion } from '../support/each-version.js'

/**
 * Names that are keys of every object (found by the fuzz test): a job called `constructor` is an
 * ordinary job, with the default stage, and an artifact of type `__proto__` gets the default file
 * name of an unknown type.
 */

forEachVersion('prototype names', (version) => {
  const NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']
  const API = 'https://gitlab.example.com/api/v4'

  describe('prototype keys as names in a fixture', () => {
    test.each(NAMES)('a job named %s: stage "test", answered as JSON', async (name) => {
      const gitlab = createGitLabFake({ gitlab: version, seed: 1 })
      const { jobs } = gitlab.load({ pipelines: [{ project: 'foo/bar', ref: 'main', jobs: [{ name }] }] })
      const response = await gitlab.handle(
        new Request(`${API}/projects/1/jobs/${jobs[0]}`, {
          headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
        }),
      )
      expect(response?.status).toBe(200)
      expect(JSON.parse((await response?.text()) ?? '')).toMatchObject({ name, stage: 'test' })
      expect(gitlab.state().projects?.[0]?.pipelines?.at(-1)?.jobs?.[0]).toMatchObject({
        name,
        stage: 'test',
      })
    })

    test.each(NAMES)('an artifact of type %s: named after its type, gzip', (file_type) => {
      const gitlab = createGitLabFake({ gitlab: version, seed: 1 })
      const { jobs } = gitlab.load({
        pipelines: [{ project: 'foo/bar', ref: 'main', jobs: [{ name: 'x', artifacts: [{ file_type }] }] }],
      })
      expect(gitlab.store.jobs.get(jobs[0] as number)?.artifacts).toMatchObject([
        { file_type, filename: `${file_type}.gz`, file_format: 'gzip' },
      ])
    })
  })

  describe('over the control API', () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await listen({ gitlab: version, port: 0, seed: 1 })
    })
    afterAll(() => server.close())

    test('a fixture naming jobs and artifact types after prototype keys: 201, not 500', async () => {
      const jobs = NAMES.map((name) => ({ name, artifacts: [{ file_type: name }] }))
      const response = await fetch(`${server.url}/__fake/fixtures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ pipelines: [{ project: 'foo/bar', ref: 'main', jobs }] }),
      })
      expect(response.status).toBe(201)
      const { created } = (await response.json()) as { created: { pipelines: number[] } }
      const list = await fetch(`${server.url}/api/v4/projects/1/pipelines/${created.pipelines[0]}/jobs`, {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
      })
      expect(list.status).toBe(200)
      const listed = JSON.parse(await list.text()) as { name: string; stage: string }[]
      // Pipeline jobs in id order in 13.0, newest first today (gitlab-jobs-latest.md §1 row 14).
      const order = byVersion(version, { '13.0': NAMES, latest: [...NAMES].reverse() })
      expect(listed.map(({ name, stage }) => [name, stage])).toEqual(order.map((name) => [name, 'test']))
    })
  })
})

import { describe, expect, test } from 'vitest'
import { byVersion, describeEachVersion } from '../support/each-version.js'
import { api, json, type Token, useGitLab } from '../support/gitlab.js'

const FORBIDDEN = { message: '403 Forbidden' }
const NO_PROJECT = { message: '404 Project Not Found' }
type Outcome = 200 | 'forbidden' | 'no-project' | 'empty'

async function expectOutcome(path: string, token: Token, outcome: Outcome): Promise<void> {
  const response = await api(path, token)
  if (outcome === 200) {
    expect(response.status, `${token} ${path}`).toBe(200)
    return
  }
  const body = await json(response)
  if (outcome === 'empty') {
    expect([response.status, body], `${token} ${path}`).toEqual([200, []])
  } else if (outcome === 'forbidden') {
    expect([response.status, body], `${token} ${path}`).toEqual([403, FORBIDDEN])
  } else {
    expect([response.status, body], `${token} ${path}`).toEqual([404, NO_PROJECT])
  }
}

// Project 1 is private with public pipelines off (§4.3: read_build needs Reporter+).
const PRIVATE: [Token, Outcome][] = [
  ['root', 200],
  ['maintainer', 200],
  ['developer', 200],
  ['reporter', 200],
  ['guest', 'forbidden'],
  ['outsider', 'no-project'],
]

describeEachVersion('permissions per role on a private project without public pipelines', () => {
  for (const path of [
    '/projects/1/jobs',
    '/projects/1/pipelines/6/jobs',
    '/projects/1/jobs/8',
    '/projects/1/jobs/8/trace',
  ]) {
    test.each(PRIVATE)(`${path} as %s`, (token, outcome) => expectOutcome(path, token, outcome))
  }
})

describeEachVersion('public pipelines (public_builds) and visibility', (version, gitlab) => {
  test('a public project with public pipelines: any logged-in user reads its jobs', async () => {
    for (const path of [
      '/projects/2/jobs',
      '/projects/2/pipelines/9/jobs',
      '/projects/2/jobs/20',
      '/projects/2/jobs/20/trace',
    ]) {
      await expectOutcome(path, 'outsider', 200)
      await expectOutcome(path, 'guest', 200)
    }
  })

  test('a public project without public pipelines: non-members get 403, not 404', async () => {
    const project = gitlab.seed.project({
      path: 'acme/closed-ci',
      visibility: 'public',
      public_builds: false,
    })
    const { pipeline, jobs } = gitlab.seed.pipeline({ project: project.id, jobs: [{ name: 'rspec' }] })
    await expectOutcome(`/projects/${project.id}/jobs`, 'outsider', 'forbidden')
    await expectOutcome(`/projects/${project.id}/jobs/${jobs[0]?.id}`, 'outsider', 'forbidden')
    // read_pipeline holds for readers of a public project; read_build on the pipeline does not:
    // 13.0 answers 403, today's Ci::JobsFinder an empty list (gitlab-jobs-latest.md §1 row 14).
    await expectOutcome(
      `/projects/${project.id}/pipelines/${pipeline.id}/jobs`,
      'outsider',
      byVersion(version, { '13.0': 'forbidden', latest: 'empty' }),
    )
  })

  test('a private project with public pipelines: a guest reads jobs, an outsider still sees nothing', async () => {
    const project = gitlab.seed.project({
      path: 'acme/private-open-ci',
      visibility: 'private',
      public_builds: true,
      members: [{ user: 'guest', access_level: 'guest' }],
    })
    const { pipeline } = gitlab.seed.pipeline({ project: project.path_with_namespace, jobs: [{}] })
    await expectOutcome(`/projects/${project.id}/jobs`, 'guest', 200)
    await expectOutcome(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`, 'guest', 200)
    await expectOutcome(`/projects/${project.id}/jobs`, 'outsider', 'no-project')
  })

  test('an internal project: every logged-in user reads it; jobs follow public_builds', async () => {
    const open = gitlab.seed.project({ path: 'corp/open', visibility: 'internal', public_builds: true })
    const closed = gitlab.seed.project({ path: 'corp/closed', visibility: 'internal', public_builds: false })
    await expectOutcome(`/projects/${open.id}/jobs`, 'outsider', 200)
    await expectOutcome(`/projects/${closed.id}/jobs`, 'outsider', 'forbidden')
  })
})

// 13.0 only (gitlab-jobs-latest.md §1 row 24): today retry, erase and keep meet find_build!'s 404
// before the job's ability; test/behaviour/gitlab-latest.test.ts has that side. Run against 13.0's
// fake alone. Deleting a job's artifacts asks the project first in both: below.
describe('13.0 check order', () => {
  useGitLab()
  test.each([
    ['POST', 'retry'],
    ['POST', 'erase'],
    ['POST', 'artifacts/keep'],
    ['DELETE', 'artifacts'],
  ])(
    '13.0 asks the project before the job: %s %s by a Reporter, for a job that is not there, 403',
    async (method, action) => {
      const response = await api(`/projects/1/jobs/999/${action}`, 'reporter', { method })
      expect([response.status, await json(response)]).toEqual([403, { message: '403 Forbidden' }])
    },
  )
})

// lib/api/ci/job_artifacts.rb today: `authorize_delete_job_artifact!` before `find_build!`, as
// 13.0's `authorize_destroy_artifacts!`.
describeEachVersion('deleting a job’s artifacts asks the project first', () => {
  test('a Reporter: 403 for a job that is not there; a Maintainer: 404', async () => {
    const reporter = await api('/projects/1/jobs/999/artifacts', 'reporter', { method: 'DELETE' })
    expect([reporter.status, await json(reporter)]).toEqual([403, { message: '403 Forbidden' }])
    const maintainer = await api('/projects/1/jobs/999/artifacts', 'maintainer', { method: 'DELETE' })
    expect([maintainer.status, await json(maintainer)]).toEqual([404, { message: '404 Not found' }])
  })
})

/**
 * A small world for the version differences: Alice maintains five projects; project grp/one has
 * a running job (its token `tok-running`), a finished one (`tok-done`) with an archive and its
 * metadata, and one with an archive but no metadata. `both` loads in either version; `latest`
 * adds the fields only today's GitLab has (allowlists, runner managers).
 */
const FILES = {
  'README.md': '# read me\n',
  'coverage/index.html': '<html></html>\n',
  'coverage/lcov/info.txt': 'TN:\n',
  'dist/app.js': 'export {}\n',
}

function project(id: number, path: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    path,
    visibility: 'private',
    members: [{ user: 'alice', access_level: 'maintainer' }],
    ...extra,
  }
}

export function both() {
  return {
    users: [
      { id: 1, username: 'alice', name: 'Alice', tokens: ['alice-token'] },
      { id: 2, username: 'dave', name: 'Dave', tokens: ['dave-token'] },
    ],
    runners: [{ id: 1, description: 'docker' }],
    projects: [
      project(1, 'grp/one', {
        members: [
          { user: 'alice', access_level: 'maintainer' },
          { user: 'dave', access_level: 'developer' },
        ],
        pipelines: [
          {
            id: 10,
            ref: 'main',
            user: 'alice',
            commit: null,
            jobs: [
              { id: 100, name: 'build', status: 'running', token: 'tok-running', user: 'alice', runner: 1 },
              {
                id: 101,
                name: 'package',
                status: 'success',
                token: 'tok-done',
                user: 'alice',
                artifacts: [{ file_type: 'archive', files: FILES }, { file_type: 'metadata' }],
              },
              {
                id: 102,
                name: 'bare',
                status: 'success',
                user: 'alice',
                artifacts: [{ file_type: 'archive', files: { 'a.txt': 'a\n' } }],
              },
              { id: 103, name: 'nothing', status: 'success', user: 'alice' },
            ],
          },
        ],
      }),
      project(2, 'grp/two', { pipelines: [{ id: 20, ref: 'main', commit: null, jobs: [archived(200)] }] }),
      project(3, 'grp/three', { pipelines: [{ id: 30, ref: 'main', commit: null, jobs: [archived(300)] }] }),
      project(4, 'grp/open', { pipelines: [{ id: 40, ref: 'main', commit: null, jobs: [archived(400)] }] }),
    ],
  }
}

function archived(id: number) {
  return {
    id,
    name: 'build',
    status: 'success',
    artifacts: [{ file_type: 'archive', files: { 'x.txt': 'x\n' } }],
  }
}

export function latest() {
  const doc = both()
  const [one, two, , open] = doc.projects
  Object.assign(two as object, { job_token_allowlist: ['grp/one'] })
  Object.assign(open as object, { ci_inbound_job_token_scope_enabled: false })
  // Pipeline 10's trigger jobs: one that started grp/two's pipeline 20, one that failed to start
  // any, and one retried already.
  const [pipeline10] = (one as unknown as { pipelines: object[] }).pipelines
  Object.assign(pipeline10 as object, {
    trigger_jobs: [
      { id: 150, name: 'deploy-two', status: 'success', user: 'alice', downstream_pipeline: 20 },
      { id: 151, name: 'child', status: 'failed', user: 'alice', downstream_pipeline: null },
      { id: 152, name: 'old', status: 'success', user: 'alice', retried: true },
    ],
  })
  return doc
}

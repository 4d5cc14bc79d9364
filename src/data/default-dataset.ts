import type { FixtureDocument } from './fixture-schema.js'

const ADMIN_AVATAR = 'http://www.gravatar.com/avatar/e64c7d89f26bd1972efa854d13d7dd61?s=80&d=identicon'
const DOCUMENTED_SHA = '0ff3ae198f8601a285adcf5c0fff204ee6fba5fd'

/** A user whose token is named after their role in project 1. */
function roleUser(id: number, username: string, name: string, avatar: string, created_at: string) {
  return {
    id,
    username,
    name,
    tokens: [`${username}-token`],
    avatar_url: `https://www.gravatar.com/avatar/${avatar}?s=80&d=identicon`,
    created_at,
    bio: null,
    location: null,
    public_email: '',
    skype: '',
    linkedin: '',
    twitter: '',
    website_url: '',
    organization: '',
  }
}

/**
 * The default dataset: the examples of GitLab 13.0's Jobs API documentation (project 1
 * `foo/bar`, pipeline 6, jobs 6 to 8, the Administrator), and around them enough to try every
 * endpoint: a pipeline with a job in every status, a newer successful `master` pipeline whose
 * `build` job has an archive, and a public project. Every value is written out, so the dataset
 * is the same in every run.
 */
export const defaultDataset = {
  users: [
    {
      id: 1,
      username: 'root',
      name: 'Administrator',
      admin: true,
      tokens: ['root-token'],
      avatar_url: ADMIN_AVATAR,
      created_at: '2015-12-21T13:14:24.077Z',
      bio: null,
      location: null,
      public_email: '',
      skype: '',
      linkedin: '',
      twitter: '',
      website_url: '',
      organization: '',
    },
    roleUser(2, 'maintainer', 'Morgan Maintainer', '7f3a1d2ec5b0e4b8a9d6c1f0e2b3a4c5', '2016-03-02T09:12:44.512Z'),
    roleUser(3, 'developer', 'Dana Developer', '1c9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f', '2016-05-17T14:03:10.004Z'),
    roleUser(4, 'reporter', 'Riley Reporter', '2b8f7e6d5c4b3a29181f0e1d2c3b4a59', '2017-01-09T08:45:31.877Z'),
    roleUser(5, 'guest', 'Gale Guest', '3a7e6d5c4b3a29180f1e2d3c4b5a6978', '2018-07-23T16:20:05.310Z'),
    roleUser(6, 'outsider', 'Oscar Outsider', '4d6c5b4a39281f0e1d2c3b4a59687766', '2019-11-30T11:11:11.111Z'),
  ],
  runners: [
    {
      id: 1,
      description: 'shared-runner-docker-1',
      ip_address: '192.0.2.10',
      active: true,
      is_shared: true,
      name: 'gitlab-runner',
      online: true,
      status: 'online',
    },
  ],
  projects: [
    {
      id: 1,
      path: 'foo/bar',
      visibility: 'private',
      // Off, so that a guest meets GitLab's 403 on the Jobs API.
      public_builds: false,
      members: [
        { user: 'maintainer', access_level: 'maintainer' },
        { user: 'developer', access_level: 'developer' },
        { user: 'reporter', access_level: 'reporter' },
        { user: 'guest', access_level: 'guest' },
      ],
      pipelines: [
        {
          // The documented pipeline and jobs (doc/api/jobs.md, GitLab 13.0).
          id: 6,
          ref: 'master',
          sha: DOCUMENTED_SHA,
          status: 'pending',
          user: 'root',
          created_at: '2015-12-24T15:50:16.123Z',
          updated_at: '2015-12-24T18:00:44.432Z',
          commit: {
            id: DOCUMENTED_SHA,
            short_id: '0ff3ae19',
            title: 'Test the CI integration.',
            message: 'Test the CI integration.',
            parent_ids: ['ae73cb07c9eeaf35924a10f713b364d32b2dd34f'],
            author_name: 'Administrator',
            author_email: 'admin@example.com',
            authored_date: '2015-12-24T16:51:14.000+01:00',
            committer_name: 'Administrator',
            committer_email: 'admin@example.com',
            committed_date: '2015-12-24T16:51:14.000+01:00',
            created_at: '2015-12-24T16:51:14.000+01:00',
          },
          jobs: [
            {
              id: 6,
              name: 'rspec:other',
              stage: 'test',
              status: 'failed',
              user: 'root',
              runner: null,
              created_at: '2015-12-24T15:51:21.727Z',
              started_at: '2015-12-24T17:54:24.729Z',
              finished_at: '2015-12-24T17:54:24.921Z',
              artifacts_expire_at: '2016-01-23T17:54:24.921Z',
              artifacts: [],
              trace: [
                'Running with gitlab-runner 13.0.0 (c127439c)',
                '$ bundle exec rspec spec/other',
                'Failures:',
                '  1) Other works',
                '     Failure/Error: expect(other).to be_truthy',
                '1 example, 1 failure',
                'ERROR: Job failed: exit code 1',
                '',
              ].join('\n'),
              token: 'job-token-6',
            },
            {
              id: 7,
              name: 'teaspoon',
              stage: 'test',
              status: 'failed',
              user: 'root',
              runner: null,
              created_at: '2015-12-24T15:51:21.802Z',
              started_at: '2015-12-24T17:54:27.722Z',
              finished_at: '2015-12-24T17:54:27.895Z',
              artifacts_expire_at: '2016-01-23T17:54:27.895Z',
              artifacts: [
                { file_type: 'archive', size: 1000, filename: 'artifacts.zip', file_format: 'zip' },
                { file_type: 'metadata', size: 186, filename: 'metadata.gz', file_format: 'gzip' },
                { file_type: 'trace', size: 1500, filename: 'job.log', file_format: 'raw' },
                { file_type: 'junit', size: 750, filename: 'junit.xml.gz', file_format: 'gzip' },
              ],
              token: 'job-token-7',
            },
            {
              id: 8,
              name: 'rubocop',
              stage: 'test',
              status: 'failed',
              user: 'root',
              runner: null,
              created_at: '2015-12-24T15:51:21.880Z',
              started_at: '2015-12-24T17:54:30.733Z',
              finished_at: '2015-12-24T17:54:31.198Z',
              artifacts_expire_at: '2016-01-23T17:54:31.198Z',
              artifacts: [],
              trace: [
                'Running with gitlab-runner 13.0.0 (c127439c)',
                '$ bundle exec rubocop',
                'Inspecting 42 files',
                'app/models/user.rb:12:81: C: Metrics/LineLength: Line is too long. [92/80]',
                '42 files inspected, 1 offense detected',
                'ERROR: Job failed: exit code 1',
                '',
              ].join('\n'),
              token: 'job-token-8',
            },
          ],
        },
        {
          // A job in every status of GitLab 13.0.
          id: 7,
          ref: 'feature/every-status',
          sha: '6104942438c14ec7bd21c6cd5bd995272b3faff6',
          user: 'developer',
          created_at: '2020-05-20T10:00:00.000Z',
          commit: {
            title: 'Exercise every job status',
            message: 'Exercise every job status\n\nOne job per status, for trying the Jobs API.\n',
            parent_ids: [DOCUMENTED_SHA],
            author_name: 'Dana Developer',
            author_email: 'developer@example.com',
            created_at: '2020-05-20T11:58:12.000+02:00',
          },
          jobs: [
            { id: 9, name: 'compile', stage: 'build', status: 'success', runner: 1, created_at: '2020-05-20T10:00:01.000Z', started_at: '2020-05-20T10:00:05.120Z', finished_at: '2020-05-20T10:01:35.620Z', coverage: null, artifacts: [ { file_type: 'archive', size: 2048 }, { file_type: 'metadata', size: 143 }, { file_type: 'trace' } ], artifacts_expire_at: null, token: 'job-token-9' },
            { id: 10, name: 'rspec', stage: 'test', status: 'failed', runner: 1, created_at: '2020-05-20T10:00:01.100Z', started_at: '2020-05-20T10:01:40.000Z', finished_at: '2020-05-20T10:04:12.250Z', token: 'job-token-10' },
            { id: 11, name: 'jest', stage: 'test', status: 'running', runner: 1, created_at: '2020-05-20T10:00:01.200Z', started_at: '2020-05-20T10:01:41.000Z', finished_at: null, token: 'job-token-11' },
            { id: 12, name: 'eslint', stage: 'test', status: 'pending', created_at: '2020-05-20T10:00:01.300Z', started_at: null, finished_at: null, trace: null, token: 'job-token-12' },
            { id: 13, name: 'coverage-report', stage: 'test', status: 'canceled', runner: 1, created_at: '2020-05-20T10:00:01.400Z', started_at: '2020-05-20T10:01:42.000Z', finished_at: '2020-05-20T10:02:00.500Z', token: 'job-token-13' },
            { id: 14, name: 'danger-review', stage: 'test', status: 'skipped', created_at: '2020-05-20T10:00:01.500Z', started_at: null, finished_at: null, trace: null, token: 'job-token-14' },
            { id: 15, name: 'package', stage: 'package', status: 'created', created_at: '2020-05-20T10:00:01.600Z', started_at: null, finished_at: null, trace: null, token: 'job-token-15' },
            { id: 16, name: 'deploy:staging', stage: 'deploy', status: 'manual', when: 'manual', allow_failure: true, created_at: '2020-05-20T10:00:01.700Z', started_at: null, finished_at: null, trace: null, token: 'job-token-16' },
            { id: 17, name: 'deploy:nightly', stage: 'deploy', status: 'scheduled', when: 'delayed', created_at: '2020-05-20T10:00:01.800Z', started_at: null, finished_at: null, trace: null, token: 'job-token-17' },
          ],
        },
        {
          // The newest successful master pipeline: what by-ref downloads find.
          id: 8,
          ref: 'master',
          sha: 'b83d6e391c22777fca1ed3012fce84f633d7fed0',
          user: 'maintainer',
          created_at: '2020-05-21T09:30:00.000Z',
          commit: {
            title: 'Build the release bundle',
            message: 'Build the release bundle\n',
            parent_ids: ['6104942438c14ec7bd21c6cd5bd995272b3faff6'],
            author_name: 'Morgan Maintainer',
            author_email: 'maintainer@example.com',
            created_at: '2020-05-21T11:29:40.000+02:00',
          },
          jobs: [
            { id: 18, name: 'build', stage: 'build', status: 'success', runner: 1, created_at: '2020-05-21T09:30:01.000Z', started_at: '2020-05-21T09:30:04.000Z', finished_at: '2020-05-21T09:32:19.480Z', artifacts: [ { file_type: 'archive', size: 4096 }, { file_type: 'metadata', size: 160 }, { file_type: 'trace' } ], artifacts_expire_at: null, token: 'job-token-18' },
            { id: 19, name: 'test', stage: 'test', status: 'success', runner: 1, coverage: 87.5, created_at: '2020-05-21T09:30:01.100Z', started_at: '2020-05-21T09:32:21.000Z', finished_at: '2020-05-21T09:35:02.750Z', token: 'job-token-19' },
          ],
        },
      ],
    },
    {
      // A public project with public pipelines: any logged-in user reads its jobs.
      id: 2,
      path: 'acme/website',
      visibility: 'public',
      public_builds: true,
      members: [{ user: 'maintainer', access_level: 'maintainer' }],
      pipelines: [
        {
          id: 9,
          ref: 'main',
          sha: 'c0ffee5d1e3a7b9c2f4e6a8b0d1c3e5f7a9b2d4c',
          user: 'maintainer',
          created_at: '2020-05-22T08:00:00.000Z',
          commit: {
            title: 'Update the landing page',
            message: 'Update the landing page\n',
            parent_ids: ['a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'],
            author_name: 'Morgan Maintainer',
            author_email: 'maintainer@example.com',
            created_at: '2020-05-22T09:59:30.000+02:00',
          },
          jobs: [
            { id: 20, name: 'build-site', stage: 'build', status: 'success', runner: 1, created_at: '2020-05-22T08:00:01.000Z', started_at: '2020-05-22T08:00:03.000Z', finished_at: '2020-05-22T08:01:10.300Z', artifacts: [ { file_type: 'archive', size: 1024 }, { file_type: 'trace' } ], artifacts_expire_at: null, token: 'job-token-20' },
            { id: 21, name: 'pages', stage: 'deploy', status: 'success', runner: 1, created_at: '2020-05-22T08:00:01.100Z', started_at: '2020-05-22T08:01:12.000Z', finished_at: '2020-05-22T08:01:40.900Z', token: 'job-token-21' },
          ],
        },
      ],
    },
  ],
} satisfies FixtureDocument

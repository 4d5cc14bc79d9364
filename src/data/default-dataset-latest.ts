import { defaultDataset } from './default-dataset.js'
import type { FixtureDocument } from './fixture-schema.js'

/**
 * The default dataset of `gitlab: 'latest'`: the examples of today's Jobs API documentation
 * (gitlabhq 41946e65, doc/api/jobs.md and doc/api/job_artifacts.md: project 1 `foo/bar`, pipeline
 * 6 on `main`, jobs 6 to 8 with their `tag_list`, `failure_reason` and `queued_duration`, job 7 run
 * by the instance runner 32 through its runner manager 1, the Administrator), and around them what
 * the 13.0 dataset has, with the same ids, users and tokens: a pipeline with a job in every status,
 * a newer successful `main` pipeline whose `build` job has an archive, and a public project. `main`
 * stands where 13.0 has `master`, as today's default branch. Written as the changes it makes to
 * the 13.0 dataset (src/data/default-dataset.ts), each value given, so that it is the same in
 * every run. Where the doc's examples disagree about a job, the list of project jobs is followed
 * (test/contract/drift-latest.md).
 */

/** The runner of today's examples: `Running with gitlab-runner 16.11.1 (535ced5f)`. */
const RUNNER_LINE = 'Running with gitlab-runner 16.11.1 (535ced5f)'

type Runner = NonNullable<FixtureDocument['runners']>[number]

/** The instance runner of the documented job 7, as the doc shows it. */
const RUNNER_32: Runner = {
  id: 32,
  description: '',
  ip_address: null,
  active: true,
  is_shared: true,
  name: null,
  online: false,
  status: 'offline',
  managers: [
    {
      id: 1,
      system_id: 's_89e5e9956577',
      version: '16.11.1',
      revision: '535ced5f',
      platform: 'linux',
      architecture: 'amd64',
      created_at: '2024-05-01T10:12:02.507Z',
      contacted_at: '2024-05-07T06:30:09.355Z',
      ip_address: '127.0.0.1',
      status: 'offline',
    },
  ],
}

/** What today's doc/api/jobs.md shows of jobs 6 to 8, beside what 13.0's showed. */
const DOCUMENTED_JOBS: Record<number, Record<string, unknown>> = {
  6: {
    failure_reason: 'stuck_or_timeout_failure',
    tag_list: ['docker runner', 'win10-2004'],
    queued_duration: 0.023,
    trace: [
      RUNNER_LINE,
      '$ bundle exec rspec spec/other',
      'ERROR: Job failed: execution took longer than 1h0m0s seconds',
      '',
    ].join('\n'),
  },
  7: {
    failure_reason: 'script_failure',
    tag_list: ['docker runner', 'ubuntu18'],
    runner: 32,
    runner_manager: 1,
    queued_duration: 0.01,
  },
  8: {
    failure_reason: 'script_failure',
    tag_list: ['docker runner', 'macos-10.15'],
    queued_duration: 0.01,
  },
}

type Job = { id: number; trace?: string } & Record<string, unknown>

function latestJob(job: Job): Job {
  const documented = DOCUMENTED_JOBS[job.id]
  const trace = job.trace?.replace('Running with gitlab-runner 13.0.0 (c127439c)', RUNNER_LINE)
  return { ...job, ...(trace === undefined ? {} : { trace }), ...documented }
}

const onMain = (ref: string) => (ref === 'master' ? 'main' : ref)

export const defaultDatasetLatest = {
  ...defaultDataset,
  runners: [...defaultDataset.runners, RUNNER_32] as Runner[],
  projects: defaultDataset.projects.map((project) => ({
    ...project,
    protected_branches: project.protected_branches?.map((branch) => ({
      ...branch,
      name: onMain(branch.name),
    })),
    pipelines: project.pipelines?.map((pipeline) => ({
      ...pipeline,
      ref: onMain(pipeline.ref),
      jobs: pipeline.jobs.map((job) => latestJob(job as Job)),
    })),
  })),
} satisfies FixtureDocument

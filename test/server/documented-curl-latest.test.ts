import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import JSZip from 'jszip'
import { beforeEach, describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { ARCHIVE, PDF, type Run, useDocumentedCurl } from '../support/documented-curl.js'
import { describeWithTool } from '../support/tools.js'

/**
 * Every curl command of today's doc/api/jobs.md and doc/api/job_artifacts.md (gitlabhq 41946e65),
 * run verbatim by a shell against the standalone server answering as `--gitlab latest`, with only
 * the host and `<your_access_token>` replaced. The .gitlab-ci.yml examples are read by a YAML
 * parser and their script line run as a runner runs it, with CI_JOB_TOKEN and CI_PROJECT_ID set
 * (the token of a running job, the only kind today's GitLab takes). Before each, the control API
 * resets the fake and loads the job the command names, in the state the doc implies. What GitLab
 * answered is read from curl's output and from the request journal.
 */

const curl = useDocumentedCurl({ gitlab: 'latest' })
const { control, given, run, answered } = curl

/** The job whose script runs the command: running, so that its CI_JOB_TOKEN is valid. */
const givenRunningJob = () =>
  given({ ref: 'main', jobs: [{ name: 'artifact_download', status: 'running', token: 'ci-job-token' }] })

/** The script line of a documented .gitlab-ci.yml job, as YAML reads it. */
function scriptOf(yaml: string): string {
  const [job] = Object.values(parse(yaml) as Record<string, { script: string[] }>)
  expect(job?.script).toHaveLength(1)
  return job?.script[0] as string
}

const CI = { CI_JOB_TOKEN: 'ci-job-token', CI_PROJECT_ID: '1' }

describeWithTool('curl', 'the curl commands of doc/api/jobs.md at 41946e65, verbatim', () => {
  test('List all jobs for a project', async () => {
    const result = await run(`curl --globoff \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs?scope[]=pending&scope[]=running"`)
    expect(result.code).toBe(0)
    expect(await answered()).toBe(200)
    const jobs = JSON.parse(result.stdout.toString()) as { id: number; status: string }[]
    expect(jobs.map((j) => [j.id, j.status])).toEqual([
      [12, 'pending'],
      [11, 'running'],
    ])
  })

  test('List all jobs by pipeline', async () => {
    const result = await run(`curl --globoff \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/pipelines/6/jobs?scope[]=pending&scope[]=running"`)
    expect(result.code).toBe(0)
    expect(await answered()).toBe(200)
    // Pipeline 6's jobs all failed (L11): none is pending or running.
    expect(JSON.parse(result.stdout.toString())).toEqual([])
  })

  test('List all trigger jobs by pipeline', async () => {
    const result = await run(`curl --globoff \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/pipelines/6/trigger_jobs?scope[]=pending&scope[]=running"`)
    expect(result.code).toBe(0)
    expect(await answered()).toBe(200)
    // The dataset's pipeline 6 starts no other pipeline (L25).
    expect(JSON.parse(result.stdout.toString())).toEqual([])
  })

  describe('Retrieve a job by job token, in a running job', () => {
    test.each([
      `curl --header "Authorization: Bearer $CI_JOB_TOKEN" \\
  --url "\${CI_API_V4_URL}/job"`,
      `curl --header "JOB-TOKEN: $CI_JOB_TOKEN" \\
  --url "\${CI_API_V4_URL}/job"`,
      `curl --url "\${CI_API_V4_URL}/job?job_token=$CI_JOB_TOKEN"`,
    ])('%s', async (command) => {
      await givenRunningJob()
      await control('DELETE', '/requests')
      const result = await run(command, { ...CI, CI_API_V4_URL: `${curl.server.url}/api/v4` })
      expect(result.code).toBe(0)
      expect(await answered()).toBe(200)
      expect(JSON.parse(result.stdout.toString())).toMatchObject({
        name: 'artifact_download',
        status: 'running',
      })
    })
  })

  test('Retrieve a job by job ID', async () => {
    const result = await run(`curl --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/8"`)
    expect(await answered()).toBe(200)
    expect(JSON.parse(result.stdout.toString())).toMatchObject({
      id: 8,
      name: 'rubocop',
      status: 'failed',
      ref: 'main',
      web_url: `${curl.server.url}/foo/bar/-/jobs/8`,
    })
  })

  test('Retrieve a log file for a job', async () => {
    const result = await run(`curl --location \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/8/trace"`)
    expect(await answered()).toBe(200)
    expect(result.stdout.toString()).toContain('bundle exec rubocop')
  })

  describe('actions on job 1', () => {
    const job1 = (job: Record<string, unknown>) =>
      given({ ref: 'main', jobs: [{ id: 1, name: 'rubocop', ...job }] })

    test('Cancel a job', async () => {
      await job1({ status: 'running' })
      const result = await run(`curl --request POST \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/1/cancel"`)
      expect(await answered()).toBe(201)
      expect(JSON.parse(result.stdout.toString())).toMatchObject({ id: 1, status: 'canceled' })
    })

    test('Retry a job', async () => {
      await job1({ status: 'failed' })
      const result = await run(`curl --request POST \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/1/retry"`)
      expect(await answered()).toBe(201)
      const retried = JSON.parse(result.stdout.toString()) as { id: number; status: string }
      expect(retried.status).toBe('pending')
      expect(retried.id).not.toBe(1)
    })

    test('Erase a job', async () => {
      await job1({ status: 'failed', trace: 'failed\n' })
      const result = await run(`curl --request POST \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/1/erase"`)
      expect(await answered()).toBe(201)
      const erased = JSON.parse(result.stdout.toString()) as Record<string, unknown>
      expect(erased).toMatchObject({ id: 1, status: 'failed', artifacts: [] })
      expect(erased.erased_at).toEqual(expect.any(String))
    })

    test('Run a job, with the documented @variables.json', async () => {
      await job1({ status: 'manual', when: 'manual' })
      const variables = `{
  "job_variables_attributes": [
    {
      "key": "TEST_VAR_1",
      "value": "test1"
    },
    {
      "key": "TEST_VAR_2",
      "value": "test2"
    }
  ]
}
`
      const result = await run(
        `curl --request POST \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --header "Content-Type: application/json" \\
  --data @variables.json \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/1/play"`,
        {},
        { 'variables.json': variables },
      )
      expect(await answered()).toBe(200)
      expect(JSON.parse(result.stdout.toString())).toMatchObject({
        id: 1,
        status: 'pending',
        user: { username: 'maintainer' },
      })
    })
  })
})

describeWithTool('curl', 'the curl commands of doc/api/job_artifacts.md at 41946e65, verbatim', () => {
  describe('Download job artifacts by job ID (job 42)', () => {
    beforeEach(async () => {
      await given({
        ref: 'main',
        jobs: [{ id: 42, name: 'rubocop', status: 'success', artifacts: ARCHIVE({ 'report.txt': 'ok\n' }) }],
      })
      await givenRunningJob()
    })

    test('with PRIVATE-TOKEN, --output artifacts.zip', async () => {
      const result = await run(`curl --request GET \\
  --location \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/42/artifacts" \\
  --output artifacts.zip`)
      expect(result.code).toBe(0)
      expect(await answered()).toBe(200)
      const zip = await JSZip.loadAsync(readFileSync(join(result.cwd, 'artifacts.zip')))
      expect(await zip.file('report.txt')?.async('string')).toBe('ok\n')
    })

    test('in .gitlab-ci.yml with job_token: L21, the folded script line fails and writes nothing', async () => {
      const script = scriptOf(`# Uses the job_token parameter
artifact_download:
  stage: test
  script:
    - 'curl --request GET \\
         --location \\
         --url "https://gitlab.example.com/api/v4/projects/1/jobs/42/artifacts?job_token=$CI_JOB_TOKEN" \\
         --output artifacts.zip'
`)
      const result = await run(script, CI)
      // GitLab answers the one URL that reaches it; curl fails on the others.
      expect(await answered()).toBe(200)
      expect(result.code).not.toBe(0)
      expect(existsSync(join(result.cwd, 'artifacts.zip'))).toBe(false)
      expect(result.stdout.subarray(0, 2).toString()).toBe('PK')
    })
  })

  describe('Download job artifacts by reference name (main, job "test")', () => {
    beforeEach(async () => {
      await given({
        ref: 'main',
        jobs: [{ name: 'test', status: 'success', artifacts: ARCHIVE({ 'coverage.txt': '87.5%\n' }) }],
      })
      await givenRunningJob()
    })

    test.each([
      `curl --request GET \\
  --location \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/artifacts/main/download?job=test"`,
      `curl --request GET \\
  --location \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/artifacts/main/download?job=test&search_recent_successful_pipelines=true"`,
    ])('%s', async (command) => {
      const result = await run(command)
      expect(result.code).toBe(0)
      expect(await answered()).toBe(200)
      const zip = await JSZip.loadAsync(result.stdout)
      expect(await zip.file('coverage.txt')?.async('string')).toBe('87.5%\n')
    })

    test('in .gitlab-ci.yml with job_token: L21', async () => {
      const script = scriptOf(`# Uses the job_token parameter
artifact_download:
  stage: test
  script:
    - 'curl --request GET \\
         --location \\
         --url "https://gitlab.example.com/api/v4/projects/$CI_PROJECT_ID/jobs/artifacts/main/download?job=test&job_token=$CI_JOB_TOKEN" \\
         --output artifacts.zip'
`)
      const result = await run(script, CI)
      expect(await answered()).toBe(200)
      expect(result.code).not.toBe(0)
      expect(existsSync(join(result.cwd, 'artifacts.zip'))).toBe(false)
      const zip = await JSZip.loadAsync(result.stdout)
      expect(await zip.file('coverage.txt')?.async('string')).toBe('87.5%\n')
    })
  })

  test('Download a single artifact file by job ID (job 5)', async () => {
    await given({
      ref: 'main',
      jobs: [{ id: 5, name: 'pdf', status: 'success', artifacts: ARCHIVE({ 'some/release/file.pdf': PDF }) }],
    })
    const result = await run(`curl --request GET \\
  --location \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/5/artifacts/some/release/file.pdf"`)
    expect(await answered()).toBe(200)
    expect(result.stdout.toString()).toBe(PDF)
  })

  describe('List all files in the artifacts archive (job 42)', () => {
    beforeEach(async () => {
      await given({
        ref: 'main',
        jobs: [
          {
            id: 42,
            name: 'rspec',
            status: 'success',
            artifacts: [
              {
                file_type: 'archive',
                files: {
                  'ci_build_artifacts.zip': 'z'.repeat(1024),
                  'coverage/reports/index.html': '<h1>91%</h1>\n',
                  'coverage/reports/lcov.info': 'TN:\n',
                },
              },
              { file_type: 'metadata' },
            ],
          },
        ],
      })
      await givenRunningJob()
    })

    const paths = (run: Run) => (JSON.parse(run.stdout.toString()) as { path: string }[]).map((e) => e.path)

    test('the root: its directories, then its files', async () => {
      const result = await run(`curl --request GET \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/42/artifacts/tree"`)
      expect(await answered()).toBe(200)
      expect(paths(result)).toEqual(['coverage/', 'ci_build_artifacts.zip'])
    })

    test('a subdirectory', async () => {
      const result = await run(`curl --request GET \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/42/artifacts/tree?path=coverage/reports"`)
      expect(await answered()).toBe(200)
      expect(paths(result)).toEqual(['coverage/reports/index.html', 'coverage/reports/lcov.info'])
    })

    test('recursive', async () => {
      const result = await run(`curl --request GET \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/42/artifacts/tree?recursive=true"`)
      expect(await answered()).toBe(200)
      expect(paths(result).sort()).toEqual([
        'ci_build_artifacts.zip',
        'coverage/',
        'coverage/reports/',
        'coverage/reports/index.html',
        'coverage/reports/lcov.info',
      ])
    })

    test('in .gitlab-ci.yml with job_token: L21, curl takes " --url" for a URL too, and goes on', async () => {
      const script = scriptOf(`# Uses the job_token parameter
list_artifacts:
  stage: test
  script:
    - 'curl --request GET \\
         --url "https://gitlab.example.com/api/v4/projects/1/jobs/42/artifacts/tree?job_token=$CI_JOB_TOKEN"'
`)
      const result = await run(script, CI)
      expect(await answered()).toBe(200)
      // The last URL decides curl's exit status: the real one, so the job passes.
      expect(result.code).toBe(0)
      expect(result.stderr).toContain('curl: (3)')
      expect(paths(result)).toEqual(['coverage/', 'ci_build_artifacts.zip'])
    })
  })

  describe('Download a single artifact file by reference name (main, job "pdf")', () => {
    beforeEach(() =>
      given({
        ref: 'main',
        jobs: [{ name: 'pdf', status: 'success', artifacts: ARCHIVE({ 'some/release/file.pdf': PDF }) }],
      }),
    )

    test.each([
      `curl --request GET \\
  --location \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/artifacts/main/raw/some/release/file.pdf?job=pdf"`,
      `curl --request GET \\
  --location \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/artifacts/main/raw/some/release/file.pdf?job=pdf&search_recent_successful_pipelines=true"`,
    ])('%s', async (command) => {
      const result = await run(command)
      expect(await answered()).toBe(200)
      expect(result.stdout.toString()).toBe(PDF)
    })
  })

  describe('job 1', () => {
    const job1 = (job: Record<string, unknown>) =>
      given({ ref: 'main', jobs: [{ id: 1, name: 'rubocop', ...job }] })

    test('Keep job artifacts', async () => {
      await job1({
        status: 'success',
        artifacts: ARCHIVE({ 'a.txt': 'a' }),
        artifacts_expire_at: '2099-01-01T00:00:00.000Z',
      })
      const result = await run(`curl --request POST \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/1/artifacts/keep"`)
      expect(await answered()).toBe(200)
      expect(JSON.parse(result.stdout.toString())).toMatchObject({ id: 1, artifacts_expire_at: null })
    })

    test('Delete job artifacts', async () => {
      await job1({ status: 'success', artifacts: ARCHIVE({ 'a.txt': 'a' }) })
      const result = await run(`curl --request DELETE \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/1/artifacts"`)
      expect(await answered()).toBe(204)
      expect(result.stdout.length).toBe(0)
    })
  })

  test('Delete all job artifacts in a project', async () => {
    const result = await run(`curl --request DELETE \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/artifacts"`)
    expect(await answered()).toBe(202)
    expect(JSON.parse(result.stdout.toString())).toEqual({ message: '202 Accepted' })
  })

  test('Troubleshooting: a merge request pipeline by its ref, refs/merge-requests/123/head', async () => {
    await given({
      ref: 'refs/merge-requests/123/head',
      jobs: [{ name: 'test', status: 'success', artifacts: ARCHIVE({ 'file.txt': 'from !123\n' }) }],
    })
    const result = await run(`curl --request GET \\
  --location \\
  --header "PRIVATE-TOKEN: <your_access_token>" \\
  --url "https://gitlab.example.com/api/v4/projects/1/jobs/artifacts/refs/merge-requests/123/head/raw/file.txt?job=test"`)
    expect(await answered()).toBe(200)
    expect(result.stdout.toString()).toBe('from !123\n')
  })
})

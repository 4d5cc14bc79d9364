import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import JSZip from 'jszip'
import { beforeEach, describe, expect, test } from 'vitest'
import { ARCHIVE, PDF, useDocumentedCurl } from '../support/documented-curl.js'
import { describeWithTool } from '../support/tools.js'

/**
 * Every curl command of GitLab 13.0's doc/api/jobs.md, run verbatim by a shell against the
 * standalone server, with only the host and `<your_access_token>` replaced (the .gitlab-ci.yml
 * ones with CI_JOB_TOKEN and CI_PROJECT_ID set, as a runner sets them). Before each, the control
 * API resets the fake and loads the job the command names, in the state the doc implies. What
 * GitLab answered is read from curl's output and from the request journal.
 */

const curl = useDocumentedCurl()
const { given, run, answered } = curl

describeWithTool('curl', 'the curl commands of doc/api/jobs.md, verbatim', () => {
  test('List project jobs', async () => {
    const result = await run(
      `curl --globoff --header "PRIVATE-TOKEN: <your_access_token>" 'https://gitlab.example.com/api/v4/projects/1/jobs?scope[]=pending&scope[]=running'`,
    )
    expect(result.code).toBe(0)
    expect(await answered()).toBe(200)
    const jobs = JSON.parse(result.stdout.toString()) as { id: number; status: string }[]
    expect(jobs.map((j) => [j.id, j.status])).toEqual([
      [12, 'pending'],
      [11, 'running'],
    ])
  })

  test('List pipeline jobs', async () => {
    const result = await run(
      `curl --header "PRIVATE-TOKEN: <your_access_token>" 'https://gitlab.example.com/api/v4/projects/1/pipelines/6/jobs?scope[]=pending&scope[]=running'`,
    )
    expect(result.code).toBe(0)
    expect(await answered()).toBe(200)
    // Pipeline 6's jobs all failed (D6): none is pending or running.
    expect(JSON.parse(result.stdout.toString())).toEqual([])
  })

  test('Get a single job', async () => {
    const result = await run(
      `curl --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/8"`,
    )
    expect(await answered()).toBe(200)
    expect(JSON.parse(result.stdout.toString())).toMatchObject({
      id: 8,
      name: 'rubocop',
      status: 'failed',
      web_url: `${curl.server.url}/foo/bar/-/jobs/8`,
    })
  })

  describe('Get job artifacts (job 42)', () => {
    beforeEach(() =>
      given({
        jobs: [
          {
            id: 42,
            name: 'rubocop',
            status: 'success',
            artifacts: ARCHIVE({ 'report.txt': 'ok\n' }),
            token: 'ci-job-token',
          },
        ],
      }),
    )

    test.each([
      `curl --output artifacts.zip --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/42/artifacts"`,
      // .gitlab-ci.yml script lines, as a runner's shell runs them
      `curl --location --output artifacts.zip --header "JOB-TOKEN: $CI_JOB_TOKEN" "https://gitlab.example.com/api/v4/projects/1/jobs/42/artifacts"`,
      `curl --location --output artifacts.zip "https://gitlab.example.com/api/v4/projects/1/jobs/42/artifacts?job_token=$CI_JOB_TOKEN"`,
    ])('%s', async (command) => {
      const result = await run(command, { CI_JOB_TOKEN: 'ci-job-token', CI_PROJECT_ID: '1' })
      expect(result.code).toBe(0)
      expect(await answered()).toBe(200)
      const zip = await JSZip.loadAsync(readFileSync(join(result.cwd, 'artifacts.zip')))
      expect(await zip.file('report.txt')?.async('string')).toBe('ok\n')
    })
  })

  describe('Download the artifacts archive (master, job "test")', () => {
    beforeEach(() =>
      given({
        ref: 'master',
        jobs: [
          {
            name: 'test',
            status: 'success',
            artifacts: ARCHIVE({ 'coverage.txt': '87.5%\n' }),
            token: 'ci-job-token',
          },
        ],
      }),
    )

    test('with PRIVATE-TOKEN, to stdout', async () => {
      const result = await run(
        `curl --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/artifacts/master/download?job=test"`,
      )
      expect(await answered()).toBe(200)
      const zip = await JSZip.loadAsync(result.stdout)
      expect(await zip.file('coverage.txt')?.async('string')).toBe('87.5%\n')
    })

    test.each([
      `curl --location --output artifacts.zip --header "JOB-TOKEN: $CI_JOB_TOKEN" "https://gitlab.example.com/api/v4/projects/$CI_PROJECT_ID/jobs/artifacts/master/download?job=test"`,
      `curl --location --output artifacts.zip "https://gitlab.example.com/api/v4/projects/$CI_PROJECT_ID/jobs/artifacts/master/download?job=test&job_token=$CI_JOB_TOKEN"`,
    ])('in .gitlab-ci.yml: %s', async (command) => {
      const result = await run(command, { CI_JOB_TOKEN: 'ci-job-token', CI_PROJECT_ID: '1' })
      expect(result.code).toBe(0)
      expect(await answered()).toBe(200)
      expect(
        Object.keys((await JSZip.loadAsync(readFileSync(join(result.cwd, 'artifacts.zip')))).files),
      ).toContain('coverage.txt')
    })
  })

  test('Download a single artifact file by job ID (job 5)', async () => {
    await given({
      jobs: [{ id: 5, name: 'pdf', status: 'success', artifacts: ARCHIVE({ 'some/release/file.pdf': PDF }) }],
    })
    const result = await run(
      `curl --location --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/5/artifacts/some/release/file.pdf"`,
    )
    expect(await answered()).toBe(200)
    expect(result.stdout.toString()).toBe(PDF)
  })

  test('Download a single artifact file from a branch (master, job "pdf")', async () => {
    await given({
      ref: 'master',
      jobs: [{ name: 'pdf', status: 'success', artifacts: ARCHIVE({ 'some/release/file.pdf': PDF }) }],
    })
    const result = await run(
      `curl --location --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/artifacts/master/raw/some/release/file.pdf?job=pdf"`,
    )
    expect(await answered()).toBe(200)
    expect(result.stdout.toString()).toBe(PDF)
  })

  test('Get a log file (job 8)', async () => {
    const result = await run(
      `curl --location --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/8/trace"`,
    )
    expect(await answered()).toBe(200)
    expect(result.stdout.toString()).toContain('bundle exec rubocop')
  })

  describe('actions on job 1', () => {
    const job1 = (job: Record<string, unknown>) => given({ jobs: [{ id: 1, name: 'rubocop', ...job }] })

    test('Cancel a job', async () => {
      await job1({ status: 'running' })
      const result = await run(
        `curl --request POST --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/1/cancel"`,
      )
      expect(await answered()).toBe(201)
      expect(JSON.parse(result.stdout.toString())).toMatchObject({ id: 1, status: 'canceled' })
    })

    test('Retry a job', async () => {
      await job1({ status: 'failed' })
      const result = await run(
        `curl --request POST --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/1/retry"`,
      )
      expect(await answered()).toBe(201)
      const retried = JSON.parse(result.stdout.toString()) as { id: number; status: string }
      expect(retried.status).toBe('pending')
      expect(retried.id).not.toBe(1)
    })

    test('Erase a job', async () => {
      await job1({ status: 'failed', trace: 'failed\n' })
      const result = await run(
        `curl --request POST --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/1/erase"`,
      )
      expect(await answered()).toBe(201)
      expect(JSON.parse(result.stdout.toString())).toMatchObject({ id: 1, status: 'failed', artifacts: [] })
    })

    test('Keep artifacts', async () => {
      await job1({
        status: 'success',
        artifacts: ARCHIVE({ 'a.txt': 'a' }),
        artifacts_expire_at: '2099-01-01T00:00:00.000Z',
      })
      const result = await run(
        `curl --request POST --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/1/artifacts/keep"`,
      )
      expect(await answered()).toBe(200)
      expect(JSON.parse(result.stdout.toString())).toMatchObject({ id: 1, artifacts_expire_at: null })
    })

    test('Delete artifacts', async () => {
      await job1({ status: 'success', artifacts: ARCHIVE({ 'a.txt': 'a' }) })
      const result = await run(
        `curl --request DELETE --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/1/artifacts"`,
      )
      expect(await answered()).toBe(204)
      expect(result.stdout.length).toBe(0)
    })

    test('Play a job', async () => {
      await job1({ status: 'manual', when: 'manual' })
      const result = await run(
        `curl --request POST --header "PRIVATE-TOKEN: <your_access_token>" "https://gitlab.example.com/api/v4/projects/1/jobs/1/play"`,
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

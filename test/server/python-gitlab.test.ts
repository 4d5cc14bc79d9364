import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { describeWithTool, pythonGitlab } from '../support/tools.js'

/** A client in another language: python-gitlab 3.12 (Debian's python3-gitlab) against the server. */

const script = fileURLToPath(new URL('./clients/python_gitlab_check.py', import.meta.url))

const python = (url: string) => pythonGitlab(script, [url])

describeWithTool('python3-gitlab', 'python-gitlab 3.12', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await listen({ port: 0 })
  })
  afterAll(() => server.close())

  test('python-gitlab reads, acts and downloads through the standalone server', async () => {
    const seen = await python(server.url)
    expect(seen.page).toEqual([19, 18, 17, 16, 15])
    expect(seen.all).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6])
    expect(seen.failed).toEqual([10, 8, 7, 6])
    expect(seen.pipeline).toEqual([6, 7, 8])
    expect(seen.job).toEqual({
      id: 8,
      name: 'rubocop',
      status: 'failed',
      web_url: `${server.url}/foo/bar/-/jobs/8`,
    })
    expect(seen.trace).toContain('bundle exec rubocop')
    expect(seen.retry).toBe('pending')
    expect(seen.cancel).toBe('canceled')
    expect(seen.played).toBe('pending')
    expect(seen.erased_trace).toBe('')
    expect(seen.archive).toEqual(['build.log', 'dist/', 'dist/app.js', 'dist/index.html'])
    expect(seen.file).toBe("console.log('foo/bar 1.4.0')\n")
    expect(seen.by_ref).toEqual(seen.archive)
    expect(seen.raw).toContain('<title>foo/bar</title>')
    expect(seen.after_delete).toEqual(['trace'])
    expect(seen.missing).toEqual([404, '404 Not found'])
    expect(seen.not_retryable).toEqual([403, '403 Forbidden  - Job is not retryable'])
  })
})

import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { type ListenOptions, listen, type RunningServer } from '../../src/node/index.js'

/**
 * The setup of the tests that run a GitLab doc's curl commands verbatim against the standalone
 * server (test/server/documented-curl*.test.ts): a server for the file, reset (and its journal
 * cleared) before each test, the control API, and the command run by a shell.
 */

export interface Run {
  code: number | null
  stdout: Buffer
  stderr: string
  cwd: string
}

export interface JournalEntry {
  method: string
  path: string
  status: number
  headers: Record<string, string>
}

export interface DocumentedCurl {
  /** The server of the file (there from `beforeAll` on). */
  readonly server: RunningServer
  control(method: string, path: string, body?: unknown): Promise<Response>
  /** Adds a pipeline to foo/bar through the control API. */
  given(pipeline: Record<string, unknown>): Promise<void>
  /**
   * The command as documented, through `sh -c`, in a folder of its own (with `files` in it), with
   * only the host and `<your_access_token>` replaced.
   */
  run(documented: string, env?: Record<string, string>, files?: Record<string, string>): Promise<Run>
  journal(): Promise<JournalEntry[]>
  /** The status of the one request the command made. */
  answered(): Promise<number>
}

export function useDocumentedCurl(options: ListenOptions = {}): DocumentedCurl {
  let server: RunningServer | undefined
  const curl: DocumentedCurl = {
    get server() {
      if (!server) throw new Error('the server starts in beforeAll')
      return server
    },
    async control(method, path, body) {
      const response = await fetch(`${curl.server.url}/__fake${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
      })
      expect(response.status, `${method} /__fake${path}`).toBeLessThan(300)
      return response
    },
    async given(pipeline) {
      const response = await curl.control('POST', '/fixtures', {
        pipelines: [{ project: 'foo/bar', ...pipeline }],
      })
      expect(
        ((await response.json()) as { created: { pipelines: number[] } }).created.pipelines,
      ).toHaveLength(1)
    },
    run(documented, env = {}, files = {}) {
      const command = documented
        .replaceAll('https://gitlab.example.com', curl.server.url)
        .replaceAll('<your_access_token>', 'maintainer-token')
      const cwd = mkdtempSync(join(tmpdir(), 'gitlab-fake-curl-'))
      for (const [name, content] of Object.entries(files)) writeFileSync(join(cwd, name), content)
      return new Promise<Run>((resolve) => {
        execFile(
          'sh',
          ['-c', command],
          { cwd, env: { ...process.env, ...env }, encoding: 'buffer' },
          (error, stdout, stderr) => {
            resolve({
              code: error ? ((error as { code?: number }).code ?? 1) : 0,
              stdout,
              stderr: stderr.toString(),
              cwd,
            })
          },
        )
      })
    },
    async journal() {
      return (await (await curl.control('GET', '/requests')).json()) as JournalEntry[]
    },
    async answered() {
      const entries = await curl.journal()
      expect(entries).toHaveLength(1)
      return entries[0]?.status as number
    },
  }
  beforeAll(async () => {
    server = await listen({ port: 0, ...options })
  })
  afterAll(() => server?.close())
  beforeEach(async () => {
    await curl.control('POST', '/reset')
    await curl.control('DELETE', '/requests')
  })
  return curl
}

/** An archive of `files` and a trace, as a job fixture's `artifacts`. */
export const ARCHIVE = (files: Record<string, string>) => [
  { file_type: 'archive', files },
  { file_type: 'trace' },
]
export const PDF = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'

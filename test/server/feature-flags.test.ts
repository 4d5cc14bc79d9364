import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { createGitLabFake } from '../../src/index.js'
import { listen } from '../../src/node/index.js'

/**
 * GitLab's feature flags are settings of the fake, as they are of an install: off unless set
 * (`Feature.enabled?`, lib/feature.rb), on by `--feature NAME` or `featureFlags`. 13.0's
 * `api_kaminari_count_with_limit` drops `X-Total`, `X-Total-Pages` and `rel="last"` above
 * 10,000 rows (lib/gitlab/pagination/offset_pagination.rb), as GitLab.com answers.
 *
 * 13.0 only, by nature (gitlab-jobs-latest.md §1 row 11 and §5.1): today the flag is gone, the
 * project jobs list never counts and the other lists drop their counts above 10,000 rows always;
 * test/behaviour/gitlab-latest.test.ts has that side, and the flag today's downloads know
 * (workhorse_download_etag_caching) is in test/latest/downloads.test.ts.
 */

const cli = fileURLToPath(new URL('../../dist/node/cli.js', import.meta.url))
const FLAG = 'api_kaminari_count_with_limit'

/** A project of 10,001 jobs that `big-token` maintains. */
const BIG = {
  users: [{ username: 'big', tokens: ['big-token'] }],
  projects: [
    {
      path: 'big/monorepo',
      members: [{ user: 'big', access_level: 'maintainer' }],
      pipelines: [
        {
          ref: 'main',
          user: null,
          jobs: Array.from({ length: 10_001 }, () => ({ name: 'shard', status: 'success', trace: null })),
        },
      ],
    },
  ],
}

async function firstPage(url: string) {
  const response = await fetch(`${url}/api/v4/projects/big%2Fmonorepo/jobs?per_page=100`, {
    headers: { 'PRIVATE-TOKEN': 'big-token' },
  })
  expect(response.status).toBe(200)
  const rels = [...(response.headers.get('link') ?? '').matchAll(/rel="([^"]+)"/g)].map((m) => m[1])
  return {
    total: response.headers.get('x-total'),
    totalPages: response.headers.get('x-total-pages'),
    next: response.headers.get('x-next-page'),
    rels,
  }
}

const COUNTED = { total: '10001', totalPages: '101', next: '2', rels: ['next', 'first', 'last'] }
const UNCOUNTED = { total: null, totalPages: null, next: '2', rels: ['next', 'first'] }

describe(`${FLAG} over HTTP`, () => {
  test('the CLI: off by default; --feature turns it on', async () => {
    for (const [args, expected] of [
      [[], COUNTED],
      [['--feature', FLAG], UNCOUNTED],
    ] as const) {
      const child = spawn(process.execPath, [cli, '--port', '0', '--quiet', '--dataset', 'empty', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      try {
        let out = ''
        await new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (d) => {
            out += d
            if (out.includes('Ctrl-C')) resolve()
          })
          child.on('exit', (code) => reject(new Error(`exited ${code}`)))
        })
        const url = out.split('\n')[0] as string
        const loaded = await fetch(`${url}/__fake/fixtures`, { method: 'POST', body: JSON.stringify(BIG) })
        expect(loaded.status).toBe(201)
        expect(await firstPage(url), args.join(' ') || 'no flag').toEqual(expected)
      } finally {
        child.kill('SIGTERM')
        await once(child, 'exit')
      }
    }
  })

  test('listen(): the featureFlags option', async () => {
    for (const [featureFlags, expected] of [
      [{}, COUNTED],
      [{ [FLAG]: true }, UNCOUNTED],
    ] as const) {
      const server = await listen({ port: 0, dataset: 'empty', fixtures: [BIG], featureFlags })
      try {
        expect(await firstPage(server.url)).toEqual(expected)
      } finally {
        await server.close()
      }
    }
  })

  test('an unknown flag is refused: the CLI exits 2 naming it, createGitLabFake throws', async () => {
    const child = spawn(process.execPath, [cli, '--port', '0', '--feature', 'api_kaminari_count'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.stdout.resume()
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(2)
    expect(stderr).toContain(
      `--feature must name a GitLab 13.0 feature flag (${FLAG}), got "api_kaminari_count"`,
    )
    expect(() => createGitLabFake({ featureFlags: { api_kaminari_count: true } })).toThrow(
      /unknown feature flag "api_kaminari_count"/,
    )
  })

  test('--help names the flag', async () => {
    const child = spawn(process.execPath, [cli, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    await once(child, 'exit')
    expect(out).toContain('--feature NAME')
    expect(out).toContain(FLAG)
  })
})

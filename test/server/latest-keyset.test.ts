import { afterEach, expect, test } from 'vitest'
import { type CliChild, startCli } from '../support/cli.js'

/** Keyset pagination over HTTP, `--gitlab latest`: the Link names the server, the walk ends. */

let child: CliChild | undefined
afterEach(() => {
  child?.kill()
  child = undefined
})

test('pagination=keyset: rel="next" by cursor to the end, every job once; sort=asc is a 405', async () => {
  const started = await startCli(['--quiet', '--gitlab', 'latest', '--clock', 'manual'])
  child = started.child
  const headers = { 'PRIVATE-TOKEN': 'maintainer-token' }
  const offset = await fetch(`${started.url}/api/v4/projects/1/jobs?per_page=100`, { headers })
  const expected = ((await offset.json()) as { id: number }[]).map((j) => j.id)
  const seen: number[] = []
  let url: string | undefined = `${started.url}/api/v4/projects/1/jobs?pagination=keyset&per_page=2`
  while (url) {
    const response: Response = await fetch(url, { headers })
    expect(response.status).toBe(200)
    seen.push(...((await response.json()) as { id: number }[]).map((j) => j.id))
    url = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1]
    if (url) expect(url.startsWith(`${started.url}/api/v4/projects/1/jobs?cursor=`)).toBe(true)
  }
  expect(seen).toEqual(expected)
  expect(seen.length).toBeGreaterThan(2)
  const refused = await fetch(`${started.url}/api/v4/projects/1/jobs?pagination=keyset&sort=asc`, { headers })
  expect([refused.status, await refused.text()]).toEqual([
    405,
    '{"error":"Keyset pagination is not yet available for this type of request"}',
  ])
})

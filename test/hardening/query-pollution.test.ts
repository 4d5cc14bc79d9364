import { afterEach, describe, expect, test } from 'vitest'
import { PARAM_DEPTH_LIMIT } from '../../src/api/query.js'
import { describeEachVersion } from '../support/each-version.js'
import { API, json, links } from '../support/gitlab.js'
import { ATTACKS, expectAccessUnchanged, expectPrototypeUntouched, ROUTES } from './pollution-cases.js'

describeEachVersion('query pollution', (_version, gitlab) => {
  describe('prototype keys in the query, in-process', () => {
    afterEach(expectPrototypeUntouched)

    for (const attack of ATTACKS) {
      test(`?${attack} on every route, anonymous and as a Maintainer`, async () => {
        for (const [method, route] of ROUTES) {
          const url = `${API}${route}${route.includes('?') ? '&' : '?'}${attack}`
          for (const headers of [{}, { 'PRIVATE-TOKEN': 'maintainer-token' }] as Record<string, string>[]) {
            const response = await fetch(url, { method, headers })
            expect(response.status, `${method} ${url}`).toBeLessThan(500)
            await response.arrayBuffer()
          }
        }
        expectPrototypeUntouched()
        await expectAccessUnchanged(API)
      })
    }

    test('a prototype key is an ordinary param, ignored as GitLab ignores undeclared params', async () => {
      const response = await fetch(`${API}/projects/1/jobs?per_page=2&__proto__[6]=50`, {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
      })
      expect(response.status).toBe(200)
      expect(((await json(response)) as unknown[]).length).toBe(2)
      // Grape's params echo it into the Link, as Rails' to_query writes a nested hash.
      expect(links(response).next).toContain('__proto__%5B6%5D=50')
    })

    test('scope given as a hash with a prototype key: its values, checked as GitLab checks them', async () => {
      const response = await fetch(`${API}/projects/1/jobs?scope[__proto__][6]=40`, {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
      })
      expect([response.status, await response.text()]).toEqual([
        400,
        '{"error":"scope does not have a valid value"}',
      ])
    })

    test('a token in a prototype key is no token', async () => {
      const response = await fetch(`${API}/projects/1/jobs?__proto__[private_token]=maintainer-token`)
      expect([response.status, await response.text()]).toEqual([401, '{"message":"401 Unauthorized"}'])
      const withToken = await fetch(`${API}/projects/1/jobs?private_token=maintainer-token&__proto__[x]=1`)
      expect(withToken.status).toBe(200)
    })

    test('the journal keeps a prototype key as a key, and filters on it', async () => {
      await fetch(`${API}/projects/1/jobs?__proto__=a&__proto__=b&constructor=c`)
      const entry = gitlab.journal.entries.at(-1)
      expect(Object.hasOwn(entry?.query ?? {}, '__proto__')).toBe(true)
      expect(Object.getOwnPropertyDescriptor(entry?.query ?? {}, '__proto__')?.value).toEqual(['a', 'b'])
      expect(entry?.query.constructor).toBe('c')
      expect(gitlab.journal.count({ query: { constructor: 'c' } })).toBe(1)
      expect(gitlab.journal.count({ query: { toString: 'x' } })).toBe(0)
    })

    test('nothing survives reset(), and the dataset is as it was', async () => {
      for (const attack of ATTACKS) await fetch(`${API}/projects/1/jobs?${attack}`)
      gitlab.reset()
      expectPrototypeUntouched()
      await expectAccessUnchanged(API)
    })
  })

  describe("Rack's nesting limit", () => {
    const nested = (depth: number) => `a${'[b]'.repeat(depth)}=1`

    test(`${PARAM_DEPTH_LIMIT - 1} levels of brackets parse; ${PARAM_DEPTH_LIMIT} are a 400`, async () => {
      const headers = { 'PRIVATE-TOKEN': 'maintainer-token' }
      const ok = await fetch(`${API}/projects/1/jobs?per_page=1&${nested(PARAM_DEPTH_LIMIT - 1)}`, {
        headers,
      })
      expect(ok.status).toBe(200)
      expect(links(ok).next).toContain(`a${'%5Bb%5D'.repeat(PARAM_DEPTH_LIMIT - 1)}=1`)
      const deep = await fetch(`${API}/projects/1/jobs?${nested(PARAM_DEPTH_LIMIT)}`, { headers })
      expect([deep.status, await deep.text()]).toEqual([400, '{"error":"400 Bad Request"}'])
    })

    test('2,000 levels: a 400, not a 500', async () => {
      const response = await fetch(`${API}/projects/1/jobs?${nested(2000)}`, {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
      })
      expect([response.status, await response.text()]).toEqual([400, '{"error":"400 Bad Request"}'])
    })
  })
})

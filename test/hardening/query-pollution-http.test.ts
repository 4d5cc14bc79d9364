import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'
import { ATTACKS, expectAccessUnchanged, expectPrototypeUntouched, ROUTES } from './pollution-cases.js'

forEachVersion('query pollution http', (version) => {
  describe('prototype keys in the query, over HTTP', () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await listen({ gitlab: version, port: 0, log: undefined })
    })
    afterAll(() => server.close())
    afterEach(expectPrototypeUntouched)

    test('every attack on every route, then access as it was, and after /__fake/reset', async () => {
      const base = `${server.url}/api/v4`
      for (const attack of ATTACKS) {
        for (const [method, route] of ROUTES) {
          const url = `${base}${route}${route.includes('?') ? '&' : '?'}${attack}`
          const response = await fetch(url, { method, headers: { 'PRIVATE-TOKEN': 'developer-token' } })
          expect(response.status, `${method} ${url}`).toBeLessThan(500)
          await response.arrayBuffer()
        }
      }
      expectPrototypeUntouched()
      await expectAccessUnchanged(base)
      await fetch(`${server.url}/__fake/reset`, { method: 'POST' })
      await expectAccessUnchanged(base)
    })
  })
})

import { connect } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'

/**
 * A request that does not parse, pipelined behind one that does: the first is answered in full
 * before the connection ends with Node's 400, as nginx answers it, so that a change made is never
 * hidden behind a 400 alone.
 */

forEachVersion('server pipelined', (version) => {
  let server: RunningServer
  beforeAll(async () => {
    server = await listen({ gitlab: version, port: 0, clock: 'manual' })
  })
  afterAll(() => server.close())

  function raw(text: string): Promise<string> {
    const { port } = new URL(server.url)
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1')
      let out = ''
      socket.on('data', (d) => {
        out += d
      })
      socket.on('error', reject)
      socket.on('close', () => resolve(out))
      socket.write(text)
    })
  }

  test.each([
    ['a request line that is not HTTP', 'FOO / HTTP/1.1\r\n\r\n', 'HTTP/1.1 400 Bad Request'],
    [
      'headers too large',
      `GET / HTTP/1.1\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`,
      'HTTP/1.1 431 Request Header Fields Too Large',
    ],
  ])('%s behind a cancel: the 201 first, then the refusal', async (_, bad, refusal) => {
    const before = server.fake.store.jobs.get(11)?.status
    expect(['running', 'pending', 'created']).toContain(before)
    const out = await raw(
      'POST /api/v4/projects/1/jobs/11/cancel HTTP/1.1\r\nHost: 127.0.0.1\r\nPRIVATE-TOKEN: maintainer-token\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}' +
        bad,
    )
    const created = out.indexOf('HTTP/1.1 201 Created')
    expect(created).toBe(0)
    expect(out.indexOf(refusal)).toBeGreaterThan(created)
    expect(out).toContain('"status":"canceled"')
    expect(server.fake.store.jobs.get(11)?.status).toBe('canceled')
    server.fake.reset()
  })

  test('alone, a request that does not parse gets the 400 at once', async () => {
    expect(await raw('FOO / HTTP/1.1\r\n\r\n')).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
  })
})

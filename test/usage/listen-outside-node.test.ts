import { afterEach, describe, expect, test } from 'vitest'
import { createGitLabFake } from '../../src/index.js'
import { isNode, LISTEN_NEEDS_NODE } from '../../src/runtime.js'

/**
 * `listen()` outside Node throws at once, naming what to use instead, rather than failing on the
 * import of the server module. The browser is simulated by taking `globalThis.process` away (or
 * putting a bundler's stand-in there) for the synchronous part of the call only, then restoring it.
 */

describe('isNode', () => {
  test.each([
    ['Node', { process: { versions: { node: '20.19.0' } } }, true],
    ['Bun', { process: { versions: { node: '24.3.0', bun: '1.2.0' } } }, true],
    ['a browser: no process', {}, false],
    ["a bundler's process stand-in", { process: { env: {}, versions: {}, browser: true } }, false],
    ['a process without versions', { process: { env: {} } }, false],
    ['a non-string version', { process: { versions: { node: 20 } } }, false],
    ['process null', { process: null }, false],
  ])('%s', (_name, scope, expected) => {
    expect(isNode(scope)).toBe(expected)
  })

  test('this test runs on Node', () => {
    expect(isNode()).toBe(true)
  })
})

const realProcess = Object.getOwnPropertyDescriptor(globalThis, 'process') as PropertyDescriptor

/** Runs `call` with `globalThis.process` replaced (or removed, for `undefined`), then puts it back. */
function asIn<T>(processLike: object | undefined, call: () => T): T {
  if (processLike === undefined) Reflect.deleteProperty(globalThis, 'process')
  else Object.defineProperty(globalThis, 'process', { value: processLike, configurable: true })
  try {
    return call()
  } finally {
    Object.defineProperty(globalThis, 'process', realProcess)
  }
}

afterEach(() => {
  expect(Object.getOwnPropertyDescriptor(globalThis, 'process')).toEqual(realProcess)
})

describe('listen() outside Node', () => {
  test.each([
    ['a browser (no process)', undefined],
    ['a bundle with a process stand-in (no versions.node)', { env: {}, versions: {}, browser: true }],
  ])('%s: throws at once (no promise), naming setupWorker and npx gitlab-fake', (_name, processLike) => {
    const gitlab = createGitLabFake()
    const seen: string[] = []
    expect(() =>
      asIn(processLike, () => {
        seen.push(typeof globalThis.process)
        return gitlab.listen({ port: 0 })
      }),
    ).toThrow(LISTEN_NEEDS_NODE)
    expect(seen).toEqual([processLike === undefined ? 'undefined' : 'object'])
    expect(LISTEN_NEEDS_NODE).toContain('setupWorker(...gitlab.handlers)')
    expect(LISTEN_NEEDS_NODE).toContain('npx gitlab-fake')
    expect(LISTEN_NEEDS_NODE).not.toContain('server.js')
  })

  test('on Node the same call serves', async () => {
    const running = await createGitLabFake().listen({ port: 0 })
    try {
      const response = await fetch(`${running.url}/api/v4/projects/1/jobs/8`, {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
      })
      expect(response.status).toBe(200)
    } finally {
      await running.close()
    }
  })
})

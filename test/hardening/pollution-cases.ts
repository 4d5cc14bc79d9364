import { expect } from 'vitest'
import { json } from '../support/gitlab.js'

/**
 * Keys of a query string are Rack hash keys, nothing more: `__proto__`, `constructor` and
 * `prototype` reach no object's prototype, in-process or over HTTP, on any route.
 */

export const ATTACKS = [
  '__proto__[6]=50',
  '__proto__[private_token]=1',
  '__proto__[status]=1',
  '__proto__[scope]=failed',
  '__proto__=x',
  'scope[__proto__][6]=40',
  'constructor[prototype][6]=50',
  'constructor[prototype][private_token]=1',
  'a[__proto__][b]=1',
  'x[][__proto__][y]=1',
  '__proto__[]=1',
  'prototype[6]=1',
]

export const ROUTES: [string, string][] = [
  ['GET', '/projects/1/jobs'],
  ['GET', '/projects/1/pipelines/6/jobs'],
  ['GET', '/projects/1/jobs/6'],
  ['GET', '/projects/1/jobs/8/trace'],
  ['POST', '/projects/1/jobs/8/retry'],
  ['GET', '/projects/1/jobs/7/artifacts'],
  ['GET', '/projects/1/jobs/artifacts/master/download?job=build'],
  ['DELETE', '/projects/1/jobs/7/artifacts'],
  ['GET', '/nothing/here'],
]

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort()
const pristine = prototypeKeys()

export function expectPrototypeUntouched(): void {
  expect(prototypeKeys()).toEqual(pristine)
  const probe = {} as Record<string, unknown>
  for (const key of ['6', 'private_token', 'status', 'scope', 'b', 'y'])
    expect(probe[key], `Object.prototype.${key}`).toBeUndefined()
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype)
}

/** After the attacks: the outsider is still a stranger to the private project; tokens still work. */
export async function expectAccessUnchanged(base: string): Promise<void> {
  const outsider = await fetch(`${base}/projects/1/jobs/6`, {
    headers: { 'PRIVATE-TOKEN': 'outsider-token' },
  })
  expect([outsider.status, await outsider.text()]).toEqual([404, '{"message":"404 Project Not Found"}'])
  const retry = await fetch(`${base}/projects/1/jobs/6/retry`, {
    method: 'POST',
    headers: { 'PRIVATE-TOKEN': 'outsider-token' },
  })
  expect(retry.status).toBe(404)
  const maintainer = await fetch(`${base}/projects/1/jobs`, {
    headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
  })
  expect(maintainer.status).toBe(200)
  expect(((await json(maintainer)) as unknown[]).length).toBeGreaterThan(0)
}

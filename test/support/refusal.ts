import { expect } from 'vitest'
import { FixtureError } from '../../src/index.js'

/** The error `run` throws, checked to be a `kind` (a FixtureError unless said). */
export function refusal<E extends Error = FixtureError>(
  run: () => unknown,
  kind: new (...args: never[]) => E = FixtureError as unknown as new (
    ...args: never[]
  ) => E,
): E {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(kind)
    return error as E
  }
  throw new Error(`expected a ${kind.name}`)
}

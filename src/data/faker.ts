import type { Faker } from '@faker-js/faker'
import { SeededRandom } from './random.js'

/** The instant seeded fakers count from, so that a seed gives the same dates on every day. */
const SEEDED_REF_DATE = Date.parse('2020-05-22T12:00:00.000Z')

/** Faker's English locale: `locale/en` loads one locale instead of all of them. */
const FAKER_EN = '@faker-js/faker/locale/en'

type FakerModule = typeof import('@faker-js/faker/locale/en')

let loaded: FakerModule | undefined

export const FAKER_NOT_LOADED =
  'gitlab-fake: this seeding leaves values for faker to fill in, and faker is not loaded: ' +
  'outside Node it loads on demand, so `await gitlab.seed.ready()` first (or `await loadFaker()` ' +
  'before createGitLabFake() with fixtures), or give every value'

/**
 * Loads faker, which the fake needs only to fill in values a seeding call or a fixture leaves
 * out: the default dataset is shipped as records (docs/decisions/bundle.md). A browser bundle
 * gets faker as a chunk of its own, fetched when this is first called.
 */
export async function loadFaker(): Promise<void> {
  loaded ??= await import('@faker-js/faker/locale/en')
}

/**
 * Faker, now. Loaded already, or in Node, where it is required synchronously (`require` of an
 * ES module, Node 20.19 and later); elsewhere it throws, naming what to await.
 */
function fakerNow(): FakerModule {
  if (loaded) return loaded
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  if (typeof node?.getBuiltinModule === 'function') {
    const { createRequire } = node.getBuiltinModule('node:module') as typeof import('node:module')
    try {
      loaded = createRequire(import.meta.url)(FAKER_EN) as FakerModule
      return loaded
    } catch {
      // An older Node, without require of ES modules: as elsewhere.
    }
  }
  throw new Error(FAKER_NOT_LOADED)
}

/**
 * A generator of our own (faker's MT19937), seeded now, and a faker of our own (English) over it,
 * made the first time a value is left for it to fill in: never faker's shared instance, so that
 * two fakes in one process do not draw from each other. Faker draws only from the generator, so
 * a seed gives the same values whenever faker came.
 */
export function createFaker(seed: number | undefined, now: () => number): SeededFaker {
  // Without a seed, a random one, as faker's `seed()` draws.
  const random = new SeededRandom(seed)
  let faker: Faker | undefined
  return {
    random,
    get faker() {
      if (faker) return faker
      const { faker: enFaker } = fakerNow()
      const FakerClass = enFaker.constructor as new (options: {
        locale: Faker['rawDefinitions']
        randomizer: SeededRandom
      }) => Faker
      // Not seeded here: that would move the generator back to its start.
      faker = new FakerClass({ locale: enFaker.rawDefinitions, randomizer: random })
      if (seed === undefined) faker.setDefaultRefDate(() => new Date(now()))
      else faker.setDefaultRefDate(new Date(SEEDED_REF_DATE))
      return faker
    },
  }
}

/** A faker, made when first read, and the generator behind it, whose position a refused load puts back. */
export interface SeededFaker {
  readonly faker: Faker
  readonly random: SeededRandom
}

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
// @ts-expect-error: a bench module in plain JavaScript, without types.
import { buildApp } from '../../bench/vite-app.mjs'

/**
 * A production Vite build of an app that only starts the default fake under setupWorker (the
 * one `npm run bench` measures): what it loads at start must hold neither faker, zod nor the
 * zip code, which load when a seeding call, a fixture or an archive's file first needs them.
 * Needs dist/ (`npm test` builds it first).
 */

interface Chunk {
  fileName: string
  isEntry: boolean
  code: string
}
interface App {
  initial: { min: number; gzip: number; chunks: Chunk[] }
  total: { chunks: Chunk[] }
  initialModules: string[]
  allModules: string[]
  remove(): void
}

/** The package's modules and the packages the fake loads on demand. */
const ON_DEMAND = [
  /node_modules\/@faker-js\/faker\//,
  /node_modules\/zod\//,
  /node_modules\/fflate\//,
  /dist\/data\/seeding\.js$/,
  /dist\/data\/fixture-schema\.js$/,
  /dist\/data\/batch\.js$/,
  /dist\/domain\/archive\.js$/,
  /dist\/api\/sha256\.js$/,
]

describe('a browser app that starts the default fake', () => {
  let fake: App
  let msw: App
  beforeAll(async () => {
    fake = await buildApp('fake')
    msw = await buildApp('msw')
  }, 120_000)
  afterAll(() => {
    fake?.remove()
    msw?.remove()
  })

  test('loads the fake at start, and its default dataset as data', () => {
    expect(fake.initialModules).toContain('dist/fake.js')
    expect(fake.initialModules).toContain('dist/data/default-records.js')
    expect(fake.initialModules.filter((id) => id.startsWith('dist/data/default-dataset'))).toEqual([])
  })

  test('loads neither faker, zod nor the zip code at start', () => {
    expect(fake.initialModules.filter((id) => ON_DEMAND.some((pattern) => pattern.test(id)))).toEqual([])
  })

  test('has them in chunks of their own, fetched on demand', () => {
    for (const pattern of ON_DEMAND.slice(0, 4))
      expect(
        fake.allModules.some((id) => pattern.test(id)),
        String(pattern),
      ).toBe(true)
    expect(fake.total.chunks.length).toBeGreaterThan(fake.initial.chunks.length)
  })

  test('adds at most 60 kB gzip to what the app loads at start with msw alone', () => {
    const added = fake.initial.gzip - msw.initial.gzip
    expect(added).toBeGreaterThan(10_000)
    expect(added, `${added} bytes gzip added over msw alone`).toBeLessThanOrEqual(60_000)
  })
})

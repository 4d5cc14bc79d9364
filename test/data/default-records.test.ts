import { describe, expect, test } from 'vitest'
import { DEFAULT_DATASET_SEED, recordDataset, unpackDataset } from '../../src/data/dataset-records.js'
import { defaultDatasets } from '../../src/data/default-datasets.js'
import { defaultBlobs, defaultRecords } from '../../src/data/default-records.js'
import { createFaker } from '../../src/data/faker.js'
import { Seeder } from '../../src/data/seeder.js'
import { createGitLabFake } from '../../src/index.js'
import { type GitLabVersion, profileFor } from '../../src/profiles/index.js'
import { Store } from '../../src/store/store.js'

/** Every blob of a store, by key, in key order. */
function blobsOf(store: Store): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>()
  for (let i = 1; ; i++) {
    const bytes = store.blob(`blob-${i}`)
    if (!bytes) return out
    out.set(`blob-${i}`, bytes)
  }
}

describe('the default datasets ship as the records the seeder makes of them', () => {
  test('the generated module holds every default dataset, and nothing else', () => {
    expect(Object.keys(defaultRecords).sort()).toEqual(Object.keys(defaultDatasets).sort())
    // Each blob once, and each used.
    expect(new Set(defaultBlobs).size).toBe(defaultBlobs.length)
    const used = Object.values(defaultRecords).flatMap((json) => Object.values(JSON.parse(json).blobs))
    expect(new Set(used).size).toBe(defaultBlobs.length)
  })

  for (const [version, dataset] of Object.entries(defaultDatasets)) {
    test(`${version}: src/data/default-records.ts is what the seeder makes now (else: npm run generate:datasets)`, () => {
      const shipped = unpackDataset(defaultRecords[version] as string, defaultBlobs)
      // Strict: a field the JSON would lose (undefined) or change fails here.
      expect(shipped).toStrictEqual(recordDataset(dataset, profileFor(version)))
    })
  }

  for (const [version, dataset] of Object.entries(defaultDatasets)) {
    test(`${version}: a fake starts from them exactly as if the seeder had loaded the dataset`, () => {
      const seeded = new Store()
      new Seeder(seeded, createFaker(DEFAULT_DATASET_SEED, Date.now), {
        profile: profileFor(version),
      }).loadValid(dataset)
      const fake = createGitLabFake({ gitlab: version as GitLabVersion })
      expect(fake.store.snapshot()).toStrictEqual(seeded.snapshot())
      const bytes = blobsOf(fake.store)
      expect(bytes.size).toBeGreaterThan(0)
      expect(bytes).toEqual(blobsOf(seeded))
      // The next blob key and ids follow on as after a load.
      expect(fake.store.newBlobKey()).toBe(seeded.newBlobKey())
      for (const kind of ['user', 'project', 'pipeline', 'runner', 'job'] as const)
        expect(fake.store.nextId(kind)).toBe(seeded.nextId(kind))
    })
  }

  test('two fakes share no record', () => {
    const a = createGitLabFake()
    const b = createGitLabFake()
    a.store.updateJob(a.store.jobs.get(8) as never, { status: 'success' })
    expect(b.store.jobs.get(8)?.status).toBe('failed')
    expect(a.store.jobs.get(8)).not.toBe(b.store.jobs.get(8))
  })
})

import type { GitLabProfile } from '../profiles/profile.js'
import type { Records } from '../store/records.js'
import { Store } from '../store/store.js'
import { defaultRecords } from './default-records.js'
import { createFaker } from './faker.js'
import type { FixtureDocument } from './fixture-schema.js'
import { Seeder } from './seeder.js'

/** The fixed seed of the default datasets, so that they are the same in every process. */
export const DEFAULT_DATASET_SEED = 1300

/**
 * A dataset as the records the seeder makes of it, with its artifacts' bytes: how the default
 * datasets ship (src/data/default-records.ts, made by `npm run generate:datasets`), so that a
 * fake starts from them without faker, zip or gzip (docs/decisions/bundle.md).
 */
export interface DatasetRecords {
  readonly records: Records
  readonly nextIds: Readonly<Record<'user' | 'project' | 'pipeline' | 'runner' | 'job', number>>
  /** How many blob keys the load took (`blob-1` on). */
  readonly blobCount: number
  /** The artifacts' bytes, base64, by blob key. */
  readonly blobs: Readonly<Record<string, string>>
}

/**
 * What the seeder makes of `dataset` in an empty store, with the default datasets' seed: what the
 * generated module holds, and what a test compares it with.
 */
export function recordDataset(dataset: FixtureDocument, profile: GitLabProfile): DatasetRecords {
  const store = new Store()
  new Seeder(store, createFaker(DEFAULT_DATASET_SEED, Date.now), { profile }).loadValid(dataset)
  const { records, nextIds } = store.snapshot()
  // Blob keys are taken in order, from `blob-1`; the first not taken is the next one.
  const blobCount = Number(store.newBlobKey().slice('blob-'.length)) - 1
  const blobs: Record<string, string> = {}
  for (let i = 1; i <= blobCount; i++) {
    const bytes = store.blob(`blob-${i}`)
    if (bytes) blobs[`blob-${i}`] = btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))
  }
  return { records, nextIds, blobCount, blobs }
}

/**
 * The default dataset of a profile's version as records (JSON); a profile of another version
 * starts from 13.0's, as in src/data/default-datasets.ts.
 */
export function defaultRecordsOf(version: string): string {
  return (Object.hasOwn(defaultRecords, version) ? defaultRecords[version] : defaultRecords['13.0']) as string
}

/** Decoded bytes, shared by every fake that starts from the same records (blobs never change). */
const decoded = new Map<string, Map<string, Uint8Array>>()

/**
 * Adds a dataset's records to an empty store, as the seeder would have (`json`: a
 * `DatasetRecords` as JSON, parsed anew for each store, so that no two stores share a record).
 */
export function loadDatasetRecords(store: Store, json: string): void {
  const data = JSON.parse(json) as DatasetRecords
  let bytes = decoded.get(json)
  if (!bytes) {
    bytes = new Map(Object.entries(data.blobs).map(([key, base64]) => [key, fromBase64(base64)]))
    decoded.set(json, bytes)
  }
  const { records } = data
  for (const u of records.users) store.addUser(u)
  for (const r of records.runners) store.addRunner(r)
  for (const p of records.projects) store.addProject(p)
  for (const c of records.commits) store.addCommit(c)
  for (const p of records.pipelines) store.addPipeline(p)
  for (const j of records.jobs) store.addJob(j)
  for (const b of records.bridges ?? []) store.addBridge(b)
  for (let i = 0; i < data.blobCount; i++) {
    const key = store.newBlobKey()
    const blob = bytes.get(key)
    if (blob) store.putBlob(key, blob)
  }
  for (const [kind, next] of Object.entries(data.nextIds))
    store.takeId(kind as keyof DatasetRecords['nextIds'], next - 1)
}

function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

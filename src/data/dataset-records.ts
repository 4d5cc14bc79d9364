import type { GitLabProfile } from '../profiles/profile.js'
import type { Records } from '../store/records.js'
import { Store } from '../store/store.js'
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
 * The datasets as the generated module holds them: each one's records as JSON, side by side (so
 * that gzip finds what they share), and their artifacts' bytes once, in a list of their own
 * (two datasets' archives are often the same bytes); a blob key names its index in the list.
 */
export function packDatasets(datasets: Readonly<Record<string, DatasetRecords>>): {
  records: Record<string, string>
  blobs: string[]
} {
  const blobs: string[] = []
  const records: Record<string, string> = {}
  for (const [name, data] of Object.entries(datasets)) {
    const refs: Record<string, number> = {}
    for (const [key, base64] of Object.entries(data.blobs)) {
      let index = blobs.indexOf(base64)
      if (index === -1) index = blobs.push(base64) - 1
      refs[key] = index
    }
    records[name] = JSON.stringify({ ...data, blobs: refs })
  }
  return { records, blobs }
}

/** A packed dataset's records, with its blobs' base64 put back (fresh objects each call). */
export function unpackDataset(json: string, blobs: readonly string[]): DatasetRecords {
  const data = JSON.parse(json) as Omit<DatasetRecords, 'blobs'> & { blobs: Record<string, number> }
  const base64: Record<string, string> = {}
  for (const [key, index] of Object.entries(data.blobs)) base64[key] = blobs[index] as string
  return { ...data, blobs: base64 }
}

/** Decoded bytes, shared by every fake (blobs never change): by their base64. */
const decoded = new Map<string, Uint8Array>()

/**
 * Adds a dataset's records to an empty store, as the seeder would have: `json`, a packed
 * dataset (`packDatasets`) whose blobs index `blobs`, is parsed
 * anew for each store, so that no two stores share a record.
 */
export function loadDatasetRecords(store: Store, json: string, blobs: readonly string[]): void {
  const data = unpackDataset(json, blobs)
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
    const base64 = data.blobs[key]
    if (base64 === undefined) continue
    let bytes = decoded.get(base64)
    if (!bytes) {
      bytes = fromBase64(base64)
      decoded.set(base64, bytes)
    }
    store.putBlob(key, bytes)
  }
  for (const [kind, next] of Object.entries(data.nextIds))
    store.takeId(kind as keyof DatasetRecords['nextIds'], next - 1)
}

function fromBase64(base64: string): Uint8Array {
  // Native where there is one (Chromium 140, Firefox 133, Safari 18.2, Node 25): quicker from cold.
  const native = Uint8Array as { fromBase64?: (base64: string) => Uint8Array }
  if (typeof native.fromBase64 === 'function') return native.fromBase64(base64)
  const binary = atob(base64)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

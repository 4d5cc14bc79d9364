import type { GitLabVersion } from '../profiles/index.js'
import { defaultDataset } from './default-dataset.js'
import { defaultDatasetLatest } from './default-dataset-latest.js'
import type { FixtureDocument } from './fixture-schema.js'

/** Each version's default dataset: the examples of that version's documentation. */
export const defaultDatasets = {
  '13.0': defaultDataset,
  latest: defaultDatasetLatest,
} as const satisfies Record<GitLabVersion, FixtureDocument>

/** The default dataset of a profile's version; a profile of another version starts from 13.0's. */
export function defaultDatasetOf(version: string): (typeof defaultDatasets)[GitLabVersion] {
  return Object.hasOwn(defaultDatasets, version)
    ? defaultDatasets[version as GitLabVersion]
    : defaultDatasets['13.0']
}

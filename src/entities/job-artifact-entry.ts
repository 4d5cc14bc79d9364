import type { ListedEntry } from '../domain/archive.js'
import { type Fields, type Json, OMIT, type PresentContext, present } from './present.js'

// lib/api/entities/ci/job_artifact_entry.rb (no GitLab version before it has the entity)
const KEYS = ['name', 'path', 'type', 'size', 'mode'] as const

const fields: Fields<ListedEntry> = {
  // Gitlab::Ci::Build::Artifacts::Path#name: the last segment, without the folder's slash.
  name: (e) => e.path.replace(/\/$/, '').split('/').pop() ?? '',
  path: (e) => e.path,
  type: (e) => (isDirectory(e) ? 'directory' : 'file'),
  // `expose :size, if: ->(entry, _) { entry.file? }`: the metadata's size, uncompressed.
  size: (e) => (isDirectory(e) ? OMIT : e.size),
  // `mode_value.to_s.rjust(6, '0')`, or nil without one.
  mode: (e) => (e.mode === null ? null : e.mode.toString(8).padStart(6, '0')),
}

function isDirectory(entry: ListedEntry): boolean {
  return entry.path.endsWith('/')
}

export function presentArtifactEntry(entry: ListedEntry, ctx: PresentContext): Json {
  return present(entry, KEYS, fields, ctx)
}

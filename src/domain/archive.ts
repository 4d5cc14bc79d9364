import { gzipSync, strToU8, unzipSync, type Zippable, zipSync } from 'fflate'

/**
 * Real artifact files: zip archives and gzip reports, built once when a job is seeded and kept.
 * Built with fflate, which builds synchronously (so that a seeded job knows its artifact sizes at
 * once) and reads one entry without inflating the rest (docs/decisions/archives.md).
 */

export type FileContent = string | Uint8Array

export class ArchiveSizeError extends Error {}

type ZipEntryOptions = { mtime: Date; os: number; attrs: number; comment?: string; level?: 0 | 6 }

/**
 * Unix modes, as gitlab-runner's archiver (Go's archive/zip `SetMode`) writes them: made on Unix,
 * the mode in the high 16 bits, and MS-DOS's directory bit on folders. The artifacts tree shows them.
 */
const FILE_MODE = { os: 3, attrs: 0o100644 * 0x10000 }
const DIRECTORY_MODE = { os: 3, attrs: 0o040755 * 0x10000 + 0x10 }

/** The most a zip file comment may pad (APPNOTE 4.4.26). */
const MAX_COMMENT = 65_535
/**
 * Above this much content an archive is deflated at the fastest level, as gitlab-runner's fastzip
 * does with `ARTIFACT_COMPRESSION_LEVEL: fastest`: a 50 MB build stays within seconds.
 */
const FAST_ABOVE = 8 * 1024 * 1024

/**
 * A zip of `files` (path → content), with a directory entry for every parent folder as
 * gitlab-runner's archiver writes them. With `size`, the archive is exactly that many bytes:
 * the last entry's comment takes up the difference.
 */
export function buildArchive(
  files: ReadonlyMap<string, FileContent>,
  mtime: number,
  size?: number,
): Uint8Array {
  const date = new Date(clampDosTime(mtime))
  const entries: Record<string, [Uint8Array, ZipEntryOptions]> = {}
  const paths = [...files.keys()].sort()
  for (const path of paths) {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = `${parts.slice(0, i).join('/')}/`
      entries[dir] ??= [new Uint8Array(0), { mtime: date, ...DIRECTORY_MODE }]
    }
    const content = files.get(path) as FileContent
    entries[path] = [typeof content === 'string' ? strToU8(content) : content, { mtime: date, ...FILE_MODE }]
  }
  let total = 0
  for (const [data] of Object.values(entries)) total += data.length
  const level = total > FAST_ABOVE ? 1 : 6
  const natural = zipSync(entries as Zippable, { level, mtime: date })
  if (size === undefined || size === natural.length) return natural
  const pad = size - natural.length
  const last = Object.keys(entries).at(-1)
  if (pad < 0 || pad > MAX_COMMENT || last === undefined) {
    throw new ArchiveSizeError(
      pad < 0
        ? `is ${size} but the archive needs at least ${natural.length} bytes`
        : `is more than the files can fill`,
    )
  }
  ;(entries[last] as [Uint8Array, { comment?: string }])[1].comment = ' '.repeat(pad)
  return zipSync(entries as Zippable, { level, mtime: date })
}

/**
 * A gzip file of `content`, exactly `size` bytes when asked: the header's file name field
 * takes up the difference (it is `name` padded with spaces).
 */
export function buildGzip(content: FileContent, name: string, mtime: number, size?: number): Uint8Array {
  let data = typeof content === 'string' ? strToU8(content) : content
  for (let attempt = 0; attempt < 4; attempt++) {
    const natural = gzipSync(data, { level: 6, mtime: clampDosTime(mtime) })
    if (size === undefined || size === natural.length) return natural
    const pad = size - natural.length
    if (pad < 0) throw new ArchiveSizeError(`is ${size} but the file needs at least ${natural.length} bytes`)
    // The name field is the name and a NUL: two bytes at least.
    if (pad >= 2)
      return gzipSync(data, {
        level: 6,
        mtime: clampDosTime(mtime),
        filename: name.padEnd(pad - 1, ' ').slice(0, pad - 1),
      })
    data = new Uint8Array([...data, 0x0a])
  }
  throw new ArchiveSizeError(`cannot be made ${size} bytes`)
}

export type Entry = { kind: 'file'; bytes: Uint8Array } | { kind: 'directory' } | { kind: 'missing' }

/** An entry of a zip's central directory: its name, uncompressed size and Unix mode (null: none). */
export interface ListedEntry {
  readonly path: string
  readonly size: number
  readonly mode: number | null
}

const utf8 = new TextDecoder()

/** Every entry of a zip, in the archive's order, from its central directory (nothing inflated). */
export function listEntries(archive: Uint8Array): ListedEntry[] {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength)
  // The end of central directory record: its signature, searched from the end past any comment.
  let end = archive.length - 22
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--
  if (end < 0) return []
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  const out: ListedEntry[] = []
  for (let i = 0; i < count && at + 46 <= archive.length; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) break
    const madeOn = view.getUint8(at + 5)
    const size = view.getUint32(at + 24, true)
    const nameLength = view.getUint16(at + 28, true)
    const extraLength = view.getUint16(at + 30, true)
    const commentLength = view.getUint16(at + 32, true)
    const attrs = view.getUint32(at + 38, true)
    const path = utf8.decode(archive.subarray(at + 46, at + 46 + nameLength))
    const mode = madeOn === 3 && attrs >>> 16 !== 0 ? attrs >>> 16 : null
    out.push({ path, size, mode })
    at += 46 + nameLength + extraLength + commentLength
  }
  return out
}

/** One entry of a zip, matched by its exact name as gitlab-zip-cat matches it. */
export function readEntry(archive: Uint8Array, path: string): Entry {
  let found: Entry = { kind: 'missing' }
  const out = unzipSync(archive, {
    filter: (file) => {
      if (file.name !== path) return false
      if (path.endsWith('/')) {
        found = { kind: 'directory' }
        return false
      }
      return true
    },
  })
  const bytes = out[path]
  return bytes && !path.endsWith('/') ? { kind: 'file', bytes } : found
}

/** Zip stores DOS times: 1980 to 2107. */
function clampDosTime(ms: number): number {
  return Math.min(Math.max(ms, Date.UTC(1980, 0, 1, 12)), Date.UTC(2107, 0, 1))
}

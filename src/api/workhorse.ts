import { type Answer, answer } from './responses.js'

/**
 * What GitLab Workhorse answers for one file out of an artifacts archive
 * (workhorse/internal/artifacts/entry.go): Rails only names the entry; Workhorse sends it.
 */

/**
 * Go's `mime.TypeByExtension` as Workhorse 13.0 (Go 1.13) sees it: Go's built-in table, then the
 * system's mime.types, where Go adds `charset=utf-8` to text types. Unknown: octet-stream.
 */
const TYPES: Record<string, string> = {
  // Go 1.13 built-ins (src/mime/type.go)
  '.css': 'text/css; charset=utf-8',
  '.gif': 'image/gif',
  '.htm': 'text/html; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.js': 'application/javascript',
  '.mjs': 'application/javascript',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.webp': 'image/webp',
  '.xml': 'text/xml; charset=utf-8',
  // /etc/mime.types (Debian's media-types)
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.text': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.gz': 'application/gzip',
  '.tgz': 'application/gzip',
  '.zip': 'application/zip',
  '.tar': 'application/x-tar',
  '.ico': 'image/vnd.microsoft.icon',
  '.sh': 'application/x-sh',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.jar': 'application/java-archive',
  '.deb': 'application/vnd.debian.binary-package',
  '.rpm': 'application/x-redhat-package-manager',
  '.bin': 'application/octet-stream',
}

export function contentTypeFor(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  // filepath.Ext: from the last dot of the last element; Go lower-cases before the built-in lookup.
  return (dot === -1 ? undefined : TYPES[base.slice(dot).toLowerCase()]) ?? 'application/octet-stream'
}

export function sendEntry(path: string, bytes: Uint8Array, etag?: string): Answer {
  const basename = path.slice(path.lastIndexOf('/') + 1)
  if (etag !== undefined) {
    return answer(
      200,
      {
        'Content-Disposition': `attachment; filename="${headerBytes(escapeQuotes(basename))}"`,
        'Content-Length': String(bytes.length),
        'Content-Type': contentTypeFor(path),
        Etag: etag,
      },
      bytes,
    )
  }
  // In the order Go writes headers (sorted). Node's server also re-encodes a Content-Disposition
  // that follows a Content-Length (nodejs/node#46528), which would garble the bytes.
  return answer(
    200,
    {
      'Content-Disposition': `attachment; filename="${headerBytes(escapeQuotes(basename))}"`,
      'Content-Length': String(bytes.length),
      'Content-Type': contentTypeFor(path),
    },
    bytes,
  )
}

/** internal/artifacts/escape_quotes.go, from Go's mime/multipart: `\` and `"` escaped. */
function escapeQuotes(name: string): string {
  return name.replace(/[\\"]/g, '\\$&')
}

/**
 * A header value as Go's net/http writes it: the UTF-8 bytes as they are, one character per
 * byte, which is how a header carries bytes here too (a client decoding them as Latin-1 reads
 * what it would read from GitLab).
 */
function headerBytes(value: string): string {
  let out = ''
  for (const byte of encoder.encode(value)) out += String.fromCharCode(byte)
  return out
}

const encoder = new TextEncoder()

/** Go's `http.NotFound`. */
export function entryNotFound(): Answer {
  return answer(
    404,
    { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    '404 page not found\n',
  )
}

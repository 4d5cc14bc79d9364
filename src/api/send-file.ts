import { type Answer, answer } from './responses.js'

/**
 * How GitLab 13.0 sends an artifacts archive. Rails only names the file: `present_disk_file!`
 * answers an empty body with an `X-Sendfile` header (lib/api/helpers.rb), and Workhorse serves the
 * file with `http.ServeContent(w, r, "", fi.ModTime(), content)`
 * (internal/sendfile/sendfile.go). So the download has Go's byte ranges, `Accept-Ranges`,
 * `Last-Modified` and conditional requests (net/http/fs.go), which this module follows.
 *
 * Rails' answer carries no ETag (Rack::ETag digests no empty body), so an entity tag matches only
 * as `*`. GET and HEAD are the only methods that reach here.
 */

export interface SentFile {
  /** The file's bytes as the store keeps them: the answer holds views of them, never a copy. */
  readonly bytes: Uint8Array
  /** The file's modification time on disk (epoch ms): `Last-Modified`. */
  readonly modtime: number
  /** What Rails set: `Content-Type`, `Content-Disposition`, `Content-Transfer-Encoding`. */
  readonly headers: Readonly<Record<string, string>>
  /**
   * The strong entity tag Rails set (`ETag`, where the version sends one): Go's preconditions then
   * compare against it (net/http/fs.go reads `w.Header().Get("Etag")`).
   */
  readonly etag?: string
}

interface RequestHead {
  readonly headers: { get(name: string): string | null }
}

/** `http.ServeContent` for a file of known size and type. */
export function serveContent(request: RequestHead, file: SentFile): Answer {
  const { bytes, modtime } = file
  const size = bytes.length
  const header = (name: string) => request.headers.get(name) ?? ''
  const { etag } = file
  const headers: Record<string, string> = { ...file.headers }
  if (etag !== undefined) headers.Etag = etag
  // setLastModified
  if (!isZeroTime(modtime)) headers['Last-Modified'] = new Date(modtime).toUTCString()

  // checkPreconditions, which "carefully follows RFC 7232 section 6".
  let condition = checkIfMatch(header('if-match'), etag)
  if (condition === NONE) condition = checkIfUnmodifiedSince(header('if-unmodified-since'), modtime)
  if (condition === FALSE) return answer(412, goOrder(headers), '')
  const noneMatch = checkIfNoneMatch(header('if-none-match'), etag)
  if (
    noneMatch === FALSE ||
    (noneMatch === NONE && checkIfModifiedSince(header('if-modified-since'), modtime))
  ) {
    // writeNotModified: no Content-Type or Content-Length; Last-Modified goes where there is an ETag.
    delete headers['Content-Type']
    if (etag !== undefined) delete headers['Last-Modified']
    return answer(304, goOrder(headers))
  }
  let range = header('range')
  if (range !== '' && !checkIfRange(header('if-range'), modtime, etag)) range = ''

  const parsed = parseRange(range, size)
  if (typeof parsed === 'string') {
    // http.Error: its text and a newline, as plain text.
    if (parsed === NO_OVERLAP) headers['Content-Range'] = `bytes */${size}`
    headers['Content-Type'] = 'text/plain; charset=utf-8'
    headers['X-Content-Type-Options'] = 'nosniff'
    return answer(416, goOrder(headers), `${parsed}\n`)
  }
  // More bytes asked than the file has: "probably an attack, or a dumb client", so the whole file.
  let ranges = parsed
  if (ranges.reduce((n, r) => n + r.length, 0) > size) ranges = []

  let status = 200
  let pieces: Uint8Array[] = [bytes]
  let length = size
  if (ranges.length === 1) {
    const [r] = ranges as [ByteRange]
    status = 206
    pieces = [bytes.subarray(r.start, r.start + r.length)]
    length = r.length
    headers['Content-Range'] = contentRange(r, size)
  } else if (ranges.length > 1) {
    status = 206
    const type = headers['Content-Type'] ?? 'application/octet-stream'
    const boundary = randomBoundary()
    pieces = byteranges(bytes, ranges, type, size, boundary)
    length = pieces.reduce((n, piece) => n + piece.length, 0)
    headers['Content-Type'] = `multipart/byteranges; boundary=${boundary}`
  }
  headers['Accept-Ranges'] = 'bytes'
  headers['Content-Length'] = String(length)
  // The pieces as they are, views of the kept bytes: the server writes them, and a Fetch Response
  // streams copies of them (toResponse).
  return answer(status, goOrder(headers), pieces)
}

/** A byte range: `length` bytes from `start`. */
interface ByteRange {
  readonly start: number
  readonly length: number
}

const INVALID = 'invalid range'
/** errNoOverlap */
const NO_OVERLAP = 'invalid range: failed to overlap'

/**
 * parseRange (net/http/fs.go): `bytes=a-b`, `bytes=a-`, `bytes=-n`, comma-separated. Ranges that
 * begin past the end are dropped, and when nothing is left the answer is errNoOverlap; anything
 * that does not parse is "invalid range" (both a 416). No header, or only empty specs: no range.
 */
export function parseRange(header: string, size: number): ByteRange[] | typeof INVALID | typeof NO_OVERLAP {
  if (header === '') return []
  if (!header.startsWith('bytes=')) return INVALID
  const ranges: ByteRange[] = []
  let noOverlap = false
  for (const spec of header.slice('bytes='.length).split(',')) {
    const ra = trimString(spec)
    if (ra === '') continue
    const dash = ra.indexOf('-')
    if (dash < 0) return INVALID
    const start = trimString(ra.slice(0, dash))
    const end = trimString(ra.slice(dash + 1))
    if (start === '') {
      // A suffix: the last `end` bytes. The Go of 2020 took `bytes=--5` as a negative length, a
      // broken answer; later Go refuses a suffix that starts with a sign (`end[0] == '-'`), and so
      // does the fake.
      const n = parseInt64(end)
      if (n === undefined || end.startsWith('-')) return INVALID
      const from = size - Math.min(n, size)
      ranges.push({ start: from, length: size - from })
      continue
    }
    const from = parseInt64(start)
    if (from === undefined || from < 0) return INVALID
    if (from >= size) {
      noOverlap = true
      continue
    }
    if (end === '') {
      ranges.push({ start: from, length: size - from })
      continue
    }
    const to = parseInt64(end)
    if (to === undefined || from > to) return INVALID
    ranges.push({ start: from, length: Math.min(to, size - 1) - from + 1 })
  }
  if (noOverlap && ranges.length === 0) return NO_OVERLAP
  return ranges
}

function contentRange(r: ByteRange, size: number): string {
  return `bytes ${r.start}-${r.start + r.length - 1}/${size}`
}

/**
 * `multipart/byteranges` as Go's mime/multipart writes it: each part's headers sorted, the part a
 * view of the file, and the closing delimiter.
 */
function byteranges(
  bytes: Uint8Array,
  ranges: readonly ByteRange[],
  type: string,
  size: number,
  boundary: string,
): Uint8Array[] {
  const pieces: Uint8Array[] = []
  ranges.forEach((r, i) => {
    const head = `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Range: ${contentRange(r, size)}\r\nContent-Type: ${type}\r\n\r\n`
    pieces.push(encoder.encode(head), bytes.subarray(r.start, r.start + r.length))
  })
  pieces.push(encoder.encode(`\r\n--${boundary}--\r\n`))
  return pieces
}

/** mime/multipart's randomBoundary: 30 random bytes, in hex. */
function randomBoundary(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(30)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  )
}

const encoder = new TextEncoder()

/** Go writes a response's headers sorted by name. */
function goOrder(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

// Preconditions (net/http/fs.go). A condition is true, false, or absent.

const NONE = 0
const TRUE = 1
const FALSE = 2
type Condition = typeof NONE | typeof TRUE | typeof FALSE

/** checkIfMatch: `*`, or the answer's ETag compared strongly (with none, only `*` matches). */
function checkIfMatch(value: string, etag: string | undefined): Condition {
  if (value === '') return NONE
  return listMatches(value, etag, strongMatch) ? TRUE : FALSE
}

/** checkIfNoneMatch: `*`, or the answer's ETag compared weakly, is false; any other list is true. */
function checkIfNoneMatch(value: string, etag: string | undefined): Condition {
  if (value === '') return NONE
  return listMatches(value, etag, weakMatch) ? FALSE : TRUE
}

/** etagStrongMatch: the same tag, neither of them weak. */
function strongMatch(a: string, b: string): boolean {
  return a === b && a !== '' && a[0] === '"'
}

/** etagWeakMatch: the same tag once `W/` is dropped from both. */
function weakMatch(a: string, b: string): boolean {
  return a.replace(/^W\//, '') === b.replace(/^W\//, '')
}

/**
 * Whether Go's scan of an entity-tag list meets `*`, or a tag that matches the answer's, before it
 * ends or stops at something that is no entity tag (`"…"` or `W/"…"`).
 */
function listMatches(
  list: string,
  etag: string | undefined,
  match: (a: string, b: string) => boolean,
): boolean {
  let rest = list
  for (;;) {
    rest = trimString(rest)
    if (rest === '') return false
    if (rest[0] === ',') {
      rest = rest.slice(1)
      continue
    }
    if (rest[0] === '*') return true
    const tag = scanETag(rest)
    if (tag === undefined) return false
    if (etag !== undefined && match(tag, etag)) return true
    rest = rest.slice(tag.length)
  }
}

/** scanETag: a syntactically valid ETag at the start of `s`, or undefined. */
function scanETag(s: string): string | undefined {
  const start = s.startsWith('W/') ? 2 : 0
  if (s.length - start < 2 || s[start] !== '"') return undefined
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x22) return s.slice(0, i + 1)
    if (!(c === 0x21 || (c >= 0x23 && c <= 0x7e) || c >= 0x80)) return undefined
  }
  return undefined
}

/** checkIfUnmodifiedSince */
function checkIfUnmodifiedSince(value: string, modtime: number): Condition {
  if (value === '' || isZeroTime(modtime)) return NONE
  const t = parseHttpTime(value)
  if (t === undefined) return NONE
  return truncate(modtime) <= t ? TRUE : FALSE
}

/** checkIfModifiedSince: true when the answer is "not modified". */
function checkIfModifiedSince(value: string, modtime: number): boolean {
  if (value === '' || isZeroTime(modtime)) return false
  const t = parseHttpTime(value)
  return t !== undefined && truncate(modtime) <= t
}

/**
 * checkIfRange: an entity tag must match the answer's strongly (without one, none does); a date
 * must be the file's time to the second. Anything else drops the Range and sends the whole file.
 */
function checkIfRange(value: string, modtime: number, etag: string | undefined): boolean {
  if (value === '') return true
  const tag = scanETag(trimString(value))
  if (tag !== undefined) return etag !== undefined && strongMatch(tag, etag)
  const t = parseHttpTime(value)
  return t !== undefined && Math.floor(t / 1000) === Math.floor(modtime / 1000)
}

/** isZeroTime: the Unix epoch counts as no time. */
function isZeroTime(ms: number): boolean {
  return ms === 0
}

/** Last-Modified holds whole seconds, so the file's time is compared truncated. */
function truncate(ms: number): number {
  return ms - (((ms % 1000) + 1000) % 1000)
}

/** textproto.TrimString: ASCII spaces, tabs and line ends. */
function trimString(s: string): string {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
}

/** strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, within int64. */
function parseInt64(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined
  const n = BigInt(s)
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined
  return Number(n)
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const LONG_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

// http.ParseTime tries TimeFormat, then RFC 850, then ANSI C's asctime. Go's names are
// case-insensitive; its numbers fixed-width where the layout pads with 0, the hour 1 or 2 digits; a
// fraction of a second after the seconds is taken too.
const IMF_FIXDATE = /^([A-Za-z]{3}), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?) GMT$/
const RFC_850 =
  /^([A-Za-z]+), (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?) (?:[A-Z]{3}|[A-Z]{3,4}T|WITA)$/
const ASCTIME = /^([A-Za-z]{3}) ([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?) (\d{4})$/

/**
 * http.ParseTime, as epoch milliseconds; undefined when no layout fits or a field is out of range.
 * A zone other than GMT counts as UTC, as Go makes of an abbreviation it does not know.
 */
export function parseHttpTime(text: string): number | undefined {
  let m = IMF_FIXDATE.exec(text)
  if (m) return timeOf(DAYS, m[1], m[4], m[3], m[2], m[5], m[6], m[7])
  m = RFC_850.exec(text)
  if (m) {
    const yy = Number(m[4])
    return timeOf(LONG_DAYS, m[1], String(yy >= 69 ? 1900 + yy : 2000 + yy), m[3], m[2], m[5], m[6], m[7])
  }
  m = ASCTIME.exec(text)
  if (m) return timeOf(DAYS, m[1], m[7], m[2], m[3], m[4], m[5], m[6])
  return undefined
}

function timeOf(dayNames: readonly string[], ...fields: (string | undefined)[]): number | undefined {
  const [dayName, year, monthName, day, hour, minute, second] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  const month = MONTHS.indexOf(monthName.toLowerCase())
  if (!dayNames.includes(dayName.toLowerCase()) || month < 0) return undefined
  const [whole, fraction = ''] = second.split('.') as [string, string?]
  const [y, d, h, min, s] = [year, day, hour, minute, whole].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ]
  const daysInMonth = new Date(Date.UTC(2000, month + 1, 0)).getUTCDate() - (month === 1 && !leap(y) ? 1 : 0)
  if (d < 1 || d > daysInMonth || h > 23 || min > 59 || s >= 60) return undefined
  const date = new Date(0)
  date.setUTCFullYear(y, month, d)
  date.setUTCHours(h, min, 0, 0)
  return date.getTime() + s * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3))
}

function leap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
}

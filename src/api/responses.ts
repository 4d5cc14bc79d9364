import { concat, Json, JsonList, toGitLabJson } from '../entities/index.js'

const encoder = new TextEncoder()

/**
 * What a route answers: a status, headers and a body, turned into a Fetch Response at the edge
 * (MSW) or written straight to a socket (the standalone server), so that neither pays for the
 * other's objects.
 */
export interface Answer {
  readonly status: number
  readonly headers: Record<string, string>
  /** Text, bytes, bytes in pieces (written one after another), a stream, or nothing. */
  readonly body: string | Uint8Array | readonly Uint8Array[] | ReadableStream<Uint8Array> | null
}

export function answer(status: number, headers: Record<string, string>, body: Answer['body'] = null): Answer {
  return { status, headers, body }
}

/** A JSON answer: a value, or JSON text an entity rendered. */
export function jsonResponse(
  value: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Answer {
  // A list of entities goes out as the pieces each entity keeps; the server writes them as they are.
  const body =
    value instanceof JsonList
      ? value.chunks
      : value instanceof Json
        ? value.bytes
        : encoder.encode(toGitLabJson(value))
  const length = Array.isArray(body)
    ? body.reduce((n, chunk) => n + chunk.length, 0)
    : (body as Uint8Array).length
  return {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(length), ...init.headers },
    body,
  }
}

export function toResponse(a: Answer): Response {
  const body = Array.isArray(a.body)
    ? piecesBody(a.body)
    : a.body instanceof Uint8Array
      ? piecesBody([a.body])
      : a.body
  return new Response(body as BodyInit | null, { status: a.status, headers: a.headers })
}

/**
 * Above this size, bytes go out as a stream (a download: an archive, one file out of it, a long
 * trace) rather than as one body (a page of JSON, joined).
 */
const STREAM_ABOVE = 1024 * 1024
/** The size of a streamed body's chunks (bench/worker-download-child.mjs measured it). */
const CHUNK = 1024 * 1024

function piecesBody(pieces: readonly Uint8Array[]): Uint8Array | ReadableStream<Uint8Array> {
  let size = 0
  for (const piece of pieces) size += piece.length
  if (size > STREAM_ABOVE) return streamOf(pieces)
  return pieces.length === 1 ? (pieces[0] as Uint8Array) : concat(pieces)
}

/**
 * Pieces of bytes as a stream, a chunk when the reader asks for one: a download copies nothing up
 * front, and one opened but not read holds nothing. Each chunk is a copy, not a view: a view takes
 * the whole buffer behind it wherever it is structured-cloned, and MSW's `setupWorker` clones each
 * chunk over to its service worker (a 20 MB archive sent as 64 KiB views took 40 s). Chunks of 1
 * MiB: fewer messages to the worker, and the copy is lost in a download's time. (A plain stream:
 * a byte stream would transfer, and so detach, the kept bytes.)
 */
export function streamOf(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let piece = 0
  let at = 0
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        while (piece < pieces.length && at >= (pieces[piece] as Uint8Array).length) {
          piece++
          at = 0
        }
        const bytes = pieces[piece]
        if (!bytes) {
          controller.close()
          return
        }
        const end = Math.min(at + CHUNK, bytes.length)
        controller.enqueue(bytes.slice(at, end))
        at = end
      },
    },
    { highWaterMark: 0 },
  )
}

/** The request as routes read it: a Fetch Request fits, and so does the server's own. */
export interface ApiRequest {
  readonly method: string
  /** Absolute, with the path as sent. */
  readonly url: string
  /** The same, parsed already (saves parsing it again). */
  readonly parsedUrl?: URL
  /**
   * The path exactly as it came on the wire, when a server has it: URL parsing resolves `.`,
   * `..`, `%2e` and `\` before any route could see them, which GitLab does not.
   */
  readonly rawPath?: string
  readonly headers: { get(name: string): string | null }
  /** The body as text ('' when there is none). */
  text(): Promise<string>
}

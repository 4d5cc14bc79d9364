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
  const body = Array.isArray(a.body) ? concat(a.body) : a.body
  return new Response(body as BodyInit | null, { status: a.status, headers: a.headers })
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

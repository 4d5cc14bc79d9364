import { Json, toGitLabJson } from '../entities/index.js'

export interface ResponseInit {
  status?: number
  headers?: Record<string, string>
}

/** A JSON answer: a value, or JSON text an entity rendered. */
export function jsonResponse(value: unknown, init: ResponseInit = {}): Response {
  const body = value instanceof Json ? (value.bytes as Uint8Array<ArrayBuffer>) : toGitLabJson(value)
  return new Response(body, {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  })
}

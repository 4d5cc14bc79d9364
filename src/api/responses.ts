import { Json, toGitLabJson } from '../entities/index.js'

export interface ResponseInit {
  status?: number
  headers?: Record<string, string>
}

/** A JSON answer: a value, or JSON text an entity rendered. */
export function jsonResponse(value: unknown, init: ResponseInit = {}): Response {
  return new Response(value instanceof Json ? value.text : toGitLabJson(value), {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  })
}

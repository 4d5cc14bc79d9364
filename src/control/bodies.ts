import { type Answer, jsonResponse } from '../api/responses.js'
import { FieldError } from '../domain/field-error.js'

/** A control call refused: 400, naming the field. */
export function refused(field: string, message: string): Answer {
  return jsonResponse({ error: `${field}: ${message}`, field }, { status: 400 })
}

/** A refusal of the clock, the runner or a fault rule as its 400; anything else is thrown on. */
export function refusedFor(error: unknown): Answer {
  if (error instanceof FieldError) return refused(error.field, error.reason)
  throw error
}

/**
 * A request body that must be a JSON object (an empty body is `{}` when `emptyIs` says so), or
 * the 400 that says why it is not.
 */
export function objectBody(text: string, emptyIsObject = false): Record<string, unknown> | Answer {
  if (emptyIsObject && text.trim() === '') return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return refused('(body)', 'the body is not JSON')
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return refused('(body)', 'must be a JSON object')
  return body as Record<string, unknown>
}

export function isAnswer(value: unknown): value is Answer {
  return (
    typeof value === 'object' && value !== null && 'status' in value && 'headers' in value && 'body' in value
  )
}

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
 * A request body that must be a JSON object (an empty body is `{}` when `emptyIsObject`), or the
 * 400 that says why it is not.
 */
export function objectBody(
  text: string,
  emptyIsObject = false,
): { body: Record<string, unknown> } | { refusal: Answer } {
  if (emptyIsObject && text.trim() === '') return { body: {} }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { refusal: refused('(body)', 'the body is not JSON') }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { refusal: refused('(body)', 'must be a JSON object') }
  return { body: body as Record<string, unknown> }
}

import { MAX_PATTERN_LENGTH } from '../api/journal.js'
import { type Answer, answer, jsonResponse } from '../api/responses.js'
import { FieldError } from '../domain/field-error.js'
import { FAULT_PRESETS, type FaultPreset, isFaultPreset, presetEffect } from './presets.js'

/**
 * What a fault answers in place of GitLab: a preset, a status, a dropped connection, or nothing
 * but a wait before the real answer. `delay` (milliseconds of real time) may precede any of them.
 */
export interface FaultAnswer {
  /** A failure as GitLab or its proxies send it: 'rate-limit', '500', '502', '503', '504', 'timeout'. */
  preset?: FaultPreset
  /** For 'rate-limit': the seconds in `Retry-After` (default 1). */
  retryAfter?: number
  /** A status of your choosing, 200–599; its body is GitLab's `{"message": "… "}` unless `body` is given. */
  status?: number
  /** With `status`: a string is sent as it is (text/plain unless `headers` say otherwise), anything else as JSON. */
  body?: unknown
  /** Headers added to the answer (with `status` or `preset`). */
  headers?: Record<string, string>
  /** The connection is dropped: no answer at all (fetch rejects; over HTTP the socket closes). */
  drop?: boolean
  /** Milliseconds of real time before answering; alone, the real answer then follows. */
  delay?: number
}

/** One answer of a scenario: an answer, a preset's name, 'drop', or 'pass' (the real answer). */
export type FaultStep = FaultAnswer | FaultPreset | 'drop' | 'pass'

/** Which requests a rule meets. */
export interface FaultMatch {
  /** GET (which meets HEAD too), POST, …; left out, any method. */
  method?: string
  /**
   * The path as sent (`/api/v4/projects/foo%2Fbar/jobs`), a pattern whose `*` matches any run of
   * characters (slashes too), or a RegExp (in-process only).
   */
  path: string | RegExp
  /** Only requests carrying this token (PRIVATE-TOKEN, Bearer, JOB-TOKEN or their query forms). */
  token?: string
  /** Only requests whose query holds these keys with these values. */
  query?: Record<string, string | string[]>
  /** Only requests with these headers (names in any case) and these values. */
  requestHeaders?: Record<string, string>
}

export interface FaultRule extends FaultMatch, FaultAnswer {
  /** What the journal calls the faulted requests; default: the preset, the status, 'drop', 'delay' or 'scenario'. */
  name?: string
  /** The next N requests that meet the rule; left out, until the rule is removed. */
  times?: number
  /** The chance (0 to 1) that a request meeting the rule is faulted; drawn from the fake's seed. */
  probability?: number
  /** A scenario: one answer per request that meets the rule, in order; then the rule is spent. */
  answers?: FaultStep[]
}

/** A rule the fake cannot take, naming the field at fault; nothing was added. */
export class FaultRuleError extends FieldError {
  override readonly name = 'FaultRuleError'
}

/** What a request that meets a rule gets. */
export type Effect =
  | { readonly kind: 'answer'; readonly answer: Answer; readonly delay: number }
  | { readonly kind: 'drop'; readonly delay: number }
  | { readonly kind: 'pass'; readonly delay: number }

/** A rule checked and compiled. */
export interface ParsedRule {
  readonly rule: FaultRule
  readonly name: string
  readonly method: string | undefined
  readonly path: string | RegExp
  readonly token: string | undefined
  readonly query: ReadonlyArray<readonly [string, readonly string[]]>
  readonly requestHeaders: ReadonlyArray<readonly [string, string]>
  readonly times: number | undefined
  readonly probability: number
  /** One effect for every request (single answer), or one per request in order (scenario). */
  readonly effects: readonly Effect[]
  readonly scenario: boolean
}

/** The longest delay a fault may hold a request: an hour, nginx's `proxy_read_timeout` in Omnibus. */
export const MAX_DELAY_MS = 3_600_000
const MAX_STEPS = 1000
const MAX_NAME = 200

const MATCH_FIELDS = ['method', 'path', 'token', 'query', 'requestHeaders'] as const
const ANSWER_FIELDS = ['preset', 'retryAfter', 'status', 'body', 'headers', 'drop', 'delay'] as const
const RULE_FIELDS = new Set<string>([
  ...MATCH_FIELDS,
  ...ANSWER_FIELDS,
  'name',
  'times',
  'probability',
  'answers',
])
const STEP_FIELDS = new Set<string>(ANSWER_FIELDS)

/** Checks a rule (from code or from JSON) and compiles it; a bad one throws FaultRuleError. */
export function parseRule(input: unknown): ParsedRule {
  const rule = object(input, '(rule)')
  for (const key of Object.keys(rule))
    if (!RULE_FIELDS.has(key))
      throw new FaultRuleError(key, `is not a fault field (${[...RULE_FIELDS].join(', ')})`)

  const method = optional(rule, 'method', (v, f) => {
    const text = string(v, f)
    if (!/^[A-Za-z]+$/.test(text) && text !== '*')
      throw new FaultRuleError(f, 'must be an HTTP method such as "GET"')
    return text === '*' ? undefined : text.toUpperCase()
  })
  const path = pathPattern(rule.path)
  const token = optional(rule, 'token', (v, f) => nonEmpty(v, f))
  const query = optional(rule, 'query', queryOf) ?? []
  const requestHeaders = optional(rule, 'requestHeaders', headersOf) ?? []
  const name = optional(rule, 'name', (v, f) => {
    const text = nonEmpty(v, f)
    if (text.length > MAX_NAME) throw new FaultRuleError(f, `is at most ${MAX_NAME} characters`)
    return text
  })
  const times = optional(rule, 'times', (v, f) => {
    if (!Number.isSafeInteger(v) || (v as number) < 1)
      throw new FaultRuleError(f, `must be a whole number of requests, 1 or more, got ${show(v)}`)
    return v as number
  })
  const probability = optional(rule, 'probability', (v, f) => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw new FaultRuleError(f, `must be a number from 0 to 1, got ${show(v)}`)
    return v
  })

  let effects: Effect[]
  const scenario = rule.answers !== undefined
  if (scenario) {
    for (const field of [...ANSWER_FIELDS, 'times'])
      if (rule[field] !== undefined)
        throw new FaultRuleError(field, 'cannot be given with "answers": each answer says what it does')
    if (!Array.isArray(rule.answers) || rule.answers.length === 0 || rule.answers.length > MAX_STEPS)
      throw new FaultRuleError('answers', `must be a list of 1 to ${MAX_STEPS} answers`)
    effects = rule.answers.map((step, i) => stepEffect(step, `answers[${i}]`))
  } else {
    const answerPart: Record<string, unknown> = {}
    for (const field of ANSWER_FIELDS) if (rule[field] !== undefined) answerPart[field] = rule[field]
    effects = [answerEffect(answerPart, '')]
  }

  return {
    rule: input as FaultRule,
    name: name ?? defaultName(rule, scenario),
    method,
    path,
    token,
    query,
    requestHeaders,
    times,
    probability: probability ?? 1,
    effects,
    scenario,
  }
}

function stepEffect(step: unknown, field: string): Effect {
  if (step === 'pass') return { kind: 'pass', delay: 0 }
  if (step === 'drop') return { kind: 'drop', delay: 0 }
  if (typeof step === 'string') {
    if (!isFaultPreset(step))
      throw new FaultRuleError(
        field,
        `must be a preset (${FAULT_PRESETS.join(', ')}), "drop", "pass" or an answer, got ${show(step)}`,
      )
    return answerEffect({ preset: step }, field)
  }
  const answerPart = object(step, field)
  for (const key of Object.keys(answerPart))
    if (!STEP_FIELDS.has(key))
      throw new FaultRuleError(`${field}.${key}`, `is not an answer field (${[...STEP_FIELDS].join(', ')})`)
  return answerEffect(answerPart, field)
}

/** `prefix` is '' for a rule's own fields, `answers[i]` for a scenario's. */
function answerEffect(a: Record<string, unknown>, prefix: string): Effect {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name)
  const delay = a.delay === undefined ? undefined : delayOf(a.delay, at('delay'))
  const kinds = (['preset', 'status', 'drop'] as const).filter((k) => a[k] !== undefined && a[k] !== false)
  if (kinds.length > 1)
    throw new FaultRuleError(
      at(kinds[1] as string),
      `cannot be given with "${kinds[0]}": give one of preset, status and drop`,
    )
  if (a.drop !== undefined && typeof a.drop !== 'boolean')
    throw new FaultRuleError(at('drop'), 'must be true or false')
  if (a.retryAfter !== undefined && a.preset !== 'rate-limit')
    throw new FaultRuleError(at('retryAfter'), 'goes with the "rate-limit" preset only')
  if (a.body !== undefined && a.status === undefined)
    throw new FaultRuleError(at('body'), 'goes with "status" (a preset has its own body)')
  const headers =
    a.headers === undefined ? undefined : Object.fromEntries(headersOf(a.headers, at('headers')))
  if (headers && a.status === undefined && a.preset === undefined)
    throw new FaultRuleError(at('headers'), 'go with "status" or "preset"')

  if (a.preset !== undefined) {
    if (!isFaultPreset(a.preset))
      throw new FaultRuleError(
        at('preset'),
        `must be one of ${FAULT_PRESETS.join(', ')}, got ${show(a.preset)}`,
      )
    let retryAfter: number | undefined
    if (a.retryAfter !== undefined) {
      if (!Number.isSafeInteger(a.retryAfter) || (a.retryAfter as number) < 0)
        throw new FaultRuleError(
          at('retryAfter'),
          `must be a whole number of seconds, 0 or more, got ${show(a.retryAfter)}`,
        )
      retryAfter = a.retryAfter as number
    }
    const effect = presetEffect(a.preset, retryAfter === undefined ? {} : { retryAfter })
    if ('drop' in effect) {
      if (headers) throw new FaultRuleError(at('headers'), 'a dropped connection has no headers')
      return { kind: 'drop', delay: delay ?? effect.delay }
    }
    return { kind: 'answer', answer: withHeaders(effect.answer, headers), delay: delay ?? 0 }
  }
  if (a.status !== undefined) {
    if (!Number.isInteger(a.status) || (a.status as number) < 200 || (a.status as number) > 599)
      throw new FaultRuleError(at('status'), `must be an HTTP status from 200 to 599, got ${show(a.status)}`)
    return {
      kind: 'answer',
      answer: statusAnswer(a.status as number, a.body, headers, at('body')),
      delay: delay ?? 0,
    }
  }
  if (a.drop === true) return { kind: 'drop', delay: delay ?? 0 }
  if (delay === undefined)
    throw new FaultRuleError(
      prefix || '(rule)',
      'says nothing to do: give "preset", "status", "drop" or "delay"',
    )
  return { kind: 'pass', delay }
}

function statusAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> | undefined,
  field: string,
): Answer {
  if (NO_BODY.has(status)) {
    if (body !== undefined) throw new FaultRuleError(field, `a ${status} has no body`)
    return answer(status, { ...headers })
  }
  if (body === undefined) {
    // Grape's `error!` / `render_api_error!` envelope, as GitLab's helpers write it (lib/api/helpers.rb).
    if (status < 300) return answer(status, { ...headers })
    return jsonResponse({ message: `${status} ${reasonOf(status)}` }, { status, headers: { ...headers } })
  }
  if (typeof body === 'string') return answer(status, { 'Content-Type': 'text/plain', ...headers }, body)
  let text: string | undefined
  try {
    text = JSON.stringify(body)
  } catch {
    text = undefined
  }
  if (text === undefined) throw new FaultRuleError(field, 'must be a string or a JSON value')
  return answer(status, { 'Content-Type': 'application/json', ...headers }, text)
}

/** Statuses whose answers have no body (Fetch refuses one). */
const NO_BODY = new Set([204, 205, 304])

function withHeaders(a: Answer, headers: Record<string, string> | undefined): Answer {
  return headers ? answer(a.status, { ...a.headers, ...headers }, a.body) : a
}

function defaultName(rule: Record<string, unknown>, scenario: boolean): string {
  if (scenario) return 'scenario'
  if (typeof rule.preset === 'string') return rule.preset
  if (rule.status !== undefined) return String(rule.status)
  if (rule.drop === true) return 'drop'
  return 'delay'
}

function pathPattern(value: unknown): string | RegExp {
  if (value === undefined)
    throw new FaultRuleError('path', 'is required: the path as sent, `*` matching any run of characters')
  if (value instanceof RegExp) return new RegExp(value.source, value.flags.replace(/[gy]/g, ''))
  if (typeof value !== 'string')
    throw new FaultRuleError('path', `must be a path or a pattern, got ${show(value)}`)
  if (!value.startsWith('/') && !value.startsWith('*'))
    throw new FaultRuleError(
      'path',
      `must start with "/" (the path as sent, e.g. "/api/v4/projects/*/jobs"), got ${show(value)}`,
    )
  if (value.includes('?') || value.includes('#'))
    throw new FaultRuleError('path', 'holds no query: give the query as "query"')
  if (value.length > MAX_PATTERN_LENGTH)
    throw new FaultRuleError(
      'path',
      `is at most ${MAX_PATTERN_LENGTH.toLocaleString('en')} characters, got ${value.length.toLocaleString('en')}`,
    )
  return value
}

function delayOf(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_DELAY_MS)
    throw new FaultRuleError(
      field,
      `must be milliseconds from 0 to ${MAX_DELAY_MS.toLocaleString('en')}, got ${show(value)}`,
    )
  return value
}

function queryOf(value: unknown, field: string): Array<[string, string[]]> {
  const entries = Object.entries(object(value, field))
  return entries.map(([key, want]) => {
    const values = Array.isArray(want) ? want : [want]
    if (values.length === 0 || values.some((v) => typeof v !== 'string'))
      throw new FaultRuleError(`${field}.${key}`, 'must be a string or a list of strings')
    return [key, values as string[]]
  })
}

function headersOf(value: unknown, field: string): Array<[string, string]> {
  return Object.entries(object(value, field)).map(([name, v]) => {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw new FaultRuleError(`${field}.${name}`, 'is not a header name')
    if (typeof v !== 'string' || /[\r\n\0]/.test(v))
      throw new FaultRuleError(`${field}.${name}`, 'must be a string on one line')
    return [name, v]
  })
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof RegExp)
    throw new FaultRuleError(field, `must be an object, got ${show(value)}`)
  return value as Record<string, unknown>
}

function optional<T>(
  rule: Record<string, unknown>,
  field: string,
  parse: (value: unknown, field: string) => T,
): T | undefined {
  return rule[field] === undefined ? undefined : parse(rule[field], field)
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new FaultRuleError(field, `must be a string, got ${show(value)}`)
  return value
}

function nonEmpty(value: unknown, field: string): string {
  const text = string(value, field)
  if (text === '') throw new FaultRuleError(field, 'must not be empty')
  return text
}

function show(value: unknown): string {
  if (value instanceof RegExp) return String(value)
  try {
    const text = JSON.stringify(value)
    if (text === undefined) return String(value)
    return text.length > 60 ? `${text.slice(0, 57)}...` : text
  } catch {
    return typeof value
  }
}

/** Rack's reason phrases (Rack::Utils::HTTP_STATUS_CODES), for the default body of `status`. */
const REASONS: Record<number, string> = {
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Entity',
  423: 'Locked',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  507: 'Insufficient Storage',
}

function reasonOf(status: number): string {
  return REASONS[status] ?? (status < 500 ? 'Client Error' : 'Server Error')
}

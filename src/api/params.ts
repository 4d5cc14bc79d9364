import type { GitLabProfile } from '../profiles/profile.js'
import { errors } from './errors.js'
import type { Query, QueryValue } from './query.js'

/**
 * Grape's declared parameters: coercion and `values:` checks, every failure collected in
 * declaration order and answered as one 400 `{"error": "a is invalid, b is missing"}`.
 */
export class Params {
  private readonly failures: string[] = []
  /** The request's params after coercion, as Grape's `params` holds them (for Link headers). */
  readonly values: Record<string, unknown>

  constructor(query: Query, route: Record<string, string>) {
    this.values = Object.assign(Object.create(null) as Record<string, unknown>, query, route)
  }

  /** `requires :name, type: Integer` (also for route segments such as `:job_id`). */
  requiredInteger(name: string): number {
    const raw = this.values[name] as QueryValue | undefined
    if (raw === undefined) return this.fail(name, 'is missing', 0)
    const n = rubyInteger(raw)
    if (n === undefined) return this.fail(name, 'is invalid', 0)
    this.values[name] = n
    return n
  }

  /** `optional :name, type: Integer, default: d` (and `except_values: […]`) */
  optionalInteger(name: string, fallback: number, exceptValues: readonly number[] = []): number {
    const raw = this.values[name] as QueryValue | undefined
    if (raw === undefined) {
      this.values[name] = fallback
      return fallback
    }
    const n = rubyInteger(raw)
    if (n === undefined) return this.fail(name, 'is invalid', fallback)
    if (exceptValues.includes(n)) return this.fail(name, 'has a value not allowed', fallback)
    this.values[name] = n
    return n
  }

  /**
   * `optional :name, type: Boolean, default: d`: dry-types' `Params::Bool` words; an empty value
   * is nil, so false.
   */
  optionalBoolean(name: string, fallback: boolean): boolean {
    const raw = this.values[name] as QueryValue | undefined
    if (raw === undefined) {
      this.values[name] = fallback
      return fallback
    }
    const b = raw === '' ? false : typeof raw === 'string' ? RUBY_BOOLEANS.get(raw) : undefined
    if (b === undefined) return this.fail(name, 'is invalid', fallback)
    this.values[name] = b
    return b
  }

  /** `optional :name, type: Integer, values: min..max` (max null: `min..`), no default. */
  optionalIntegerIn(name: string, min: number, max: number | null): number | undefined {
    const raw = this.values[name] as QueryValue | undefined
    if (raw === undefined) return undefined
    const n = rubyInteger(raw)
    if (n === undefined) return this.fail(name, 'is invalid', undefined)
    if (n < min || (max !== null && n > max)) return this.fail(name, 'does not have a valid value', undefined)
    this.values[name] = n
    return n
  }

  /** `optional :name, type: String` */
  optionalString(name: string): string | undefined {
    const raw = this.values[name]
    if (raw === undefined) return undefined
    if (typeof raw !== 'string') return this.fail(name, 'is invalid', undefined)
    return raw
  }

  /** `requires :name, type: String` */
  requiredString(name: string): string {
    const raw = this.values[name]
    if (raw === undefined) return this.fail(name, 'is missing', '')
    if (typeof raw !== 'string') return this.fail(name, 'is invalid', '')
    return raw
  }

  /**
   * `optional :name, type: Hash`: a hash (`a[k]=v`, or a JSON object); anything else, an empty
   * string too (Grape's `reject?`: a String is never a Hash), is invalid.
   */
  optionalHash(name: string): Record<string, QueryValue> | undefined {
    const raw = this.values[name] as QueryValue | undefined
    if (raw === undefined || raw === null) return undefined
    if (typeof raw === 'string' || Array.isArray(raw)) return this.fail(name, 'is invalid', undefined)
    return raw
  }

  /**
   * `optional :name, type: Array do requires :a, type: String; requires :b, type: String end`:
   * an array of hashes (else `name is invalid`), each field's failures named
   * `name[i][field]`, one field's over every element before the next field's (Grape runs each
   * declared param's validators across the array in turn). A field that is there as a JSON null
   * passes (Grape's `requires` asks only for the key; its String coercion keeps nil).
   */
  optionalHashArray<F extends string>(
    name: string,
    fields: readonly F[],
  ): Record<F, string | null>[] | undefined {
    const raw = this.values[name] as QueryValue | undefined
    if (raw === undefined) return undefined
    if (!Array.isArray(raw) || !raw.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e)))
      return this.fail(name, 'is invalid', undefined)
    const elements = raw as Record<string, QueryValue>[]
    let valid = true
    for (const field of fields) {
      elements.forEach((element, i) => {
        if (!Object.hasOwn(element, field)) {
          valid = this.fail(`${name}[${i}][${field}]`, 'is missing', false)
        }
      })
      elements.forEach((element, i) => {
        const value = element[field]
        if (Object.hasOwn(element, field) && value !== null && typeof value !== 'string')
          valid = this.fail(`${name}[${i}][${field}]`, 'is invalid', false)
      })
    }
    return valid ? (elements as Record<F, string | null>[]) : undefined
  }

  /**
   * `optional :scope, types: [String, Array[String]], values: AVAILABLE_STATUSES, coerce_with:`
   * (lib/api/jobs.rb): a String becomes `[s]`, a Hash its values (or, where the route's helper
   * does not take the Hash form, `['unknown']`), anything else `['unknown']`.
   */
  scope(profile: GitLabProfile, hash: 'values' | 'unknown' = 'values'): string[] | undefined {
    const raw = this.values.scope as QueryValue | undefined
    if (raw === undefined || raw === null) return undefined
    const scope: QueryValue[] =
      typeof raw === 'string'
        ? [raw]
        : Array.isArray(raw)
          ? raw
          : hash === 'values'
            ? Object.values(raw)
            : ['unknown']
    if (!scope.every((s) => typeof s === 'string' && profile.statuses.includes(s))) {
      return this.fail('scope', 'does not have a valid value', undefined)
    }
    this.values.scope = scope
    return scope as string[]
  }

  /** Throws the collected failures as one Grape 400. */
  check(): void {
    if (this.failures.length) throw errors.validation(this.failures)
  }

  private fail<T>(name: string, message: string, value: T): T {
    this.failures.push(`${name} ${message}`)
    return value
  }
}

/** dry-types `Coercions::Params::TRUE_VALUES` and `FALSE_VALUES`. */
const RUBY_BOOLEANS = new Map<string, boolean>([
  ...['1', 'on', 'On', 'ON', 't', 'true', 'True', 'TRUE', 'T', 'y', 'yes', 'Yes', 'YES', 'Y'].map(
    (w) => [w, true] as const,
  ),
  ...['0', 'off', 'Off', 'OFF', 'f', 'false', 'False', 'FALSE', 'F', 'n', 'no', 'No', 'NO', 'N'].map(
    (w) => [w, false] as const,
  ),
])

/** Ruby's `Integer(s, 10)`, as dry-types coerces `params.integer`: sign, digits, single underscores. */
export function rubyInteger(raw: QueryValue): number | undefined {
  if (typeof raw !== 'string') return undefined
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(raw)
  if (!m) return undefined
  const n = Number((m[2] as string).replace(/_/g, ''))
  return m[1] === '-' ? -n : n
}

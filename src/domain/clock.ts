/**
 * The fake's clock: every time the fake shows or acts on (running durations, what the simulated
 * runner does, artifact expiry, scheduled jobs) is read from it.
 *
 * - `manual`: starts at a given time (by default the real time of creation) and stands still
 *   until a test moves it, so that tests are deterministic;
 * - `real`: follows real time; moving it shifts it from real time by that much.
 *
 * It only moves forward; `reset()` takes it back to where it started.
 */
import { FieldError } from './field-error.js'

export type ClockMode = 'manual' | 'real'

/** A clock call that cannot be carried out; `field` names what was wrong. */
export class ClockError extends FieldError {
  override readonly name = 'ClockError'
}

/** The latest instant a Date holds (ECMAScript's time range), and the longest duration taken. */
const MAX_TIME = 8.64e15
const MAX_DURATION = 100 * 365 * 86_400_000

export class Clock {
  private offset = 0
  private initialOffset = 0
  /** The clock's time at the mark, which `reset()` takes it back to. */
  private initialNow: number
  private readonly listeners: ((now: number) => void)[] = []

  constructor(
    readonly mode: ClockMode | 'source',
    /** Where the time comes from before the offset: real time, a fixed instant, or the user's function. */
    private readonly source: () => number,
  ) {
    this.initialNow = source()
  }

  /** A clock standing at `at` until moved. */
  static manual(at: number): Clock {
    return new Clock('manual', () => at)
  }

  /** A clock following real time, starting `at` (default: now). */
  static real(at?: number): Clock {
    const clock = new Clock('real', Date.now)
    if (at !== undefined) clock.offset = at - Date.now()
    clock.markInitial()
    return clock
  }

  /** A clock following a function of the user's (the `now` option). */
  static following(now: () => number): Clock {
    return new Clock('source', now)
  }

  /** Epoch milliseconds. */
  now(): number {
    return this.source() + this.offset
  }

  /** Moves the clock forward: `'90s'`, `'1h30m'`, `'2 days'`, or milliseconds. Answers the new time. */
  advance(by: string | number): number {
    const ms = typeof by === 'number' ? by : parseDuration(by, 'advance')
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DURATION)
      throw new ClockError(
        'advance',
        `must be a duration such as "90s" or a number of milliseconds from 0 to 100 years, got ${JSON.stringify(by)}`,
      )
    if (this.now() + ms > MAX_TIME)
      throw new ClockError('advance', 'would move the clock past the last date there is')
    this.offset += ms
    return this.moved()
  }

  /** Sets the clock to an instant (ISO 8601, epoch milliseconds or a Date), never backwards. */
  set(to: string | number | Date): number {
    const at = instant(to, 'now')
    const now = this.now()
    if (at < now) {
      throw new ClockError(
        'now',
        `${new Date(at).toISOString()} is before the clock's time ${new Date(now).toISOString()}; the clock only moves forward (reset() takes it back)`,
      )
    }
    this.offset += at - now
    return this.moved()
  }

  /** Back to where it started (or to where it stood at the last `markInitial()`). */
  reset(): void {
    // A clock of the user's function goes back by what it was moved; any other to the instant it
    // stood at (a real clock too: the jobs it brings back must not have run in the meantime).
    this.offset = this.mode === 'source' ? this.initialOffset : this.initialNow - this.source()
  }

  /** Makes where it stands now the point `reset()` returns to. */
  markInitial(): void {
    this.initialOffset = this.offset
    this.initialNow = this.now()
  }

  /** Called after every move, with the new time (the runner catches up then). */
  onMove(listener: (now: number) => void): void {
    this.listeners.push(listener)
  }

  private moved(): number {
    const now = this.now()
    for (const listener of this.listeners) listener(now)
    return now
  }
}

/** Epoch milliseconds of an ISO 8601 string, a number or a Date; `field` names it in errors. */
export function instant(value: string | number | Date, field: string): number {
  const at: number =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value
        : /^\d{4}-\d{2}-\d{2}/.test(value)
          ? Date.parse(value)
          : Number.NaN
  if (!Number.isFinite(at) || Math.abs(at) > MAX_TIME)
    throw new ClockError(
      field,
      `must be an ISO 8601 time such as "2015-12-24T18:00:00Z", got ${JSON.stringify(value)}`,
    )
  return at
}

const UNITS = new Map<string, number>(
  Object.entries({
    ms: 1,
    millisecond: 1,
    milliseconds: 1,
    s: 1000,
    sec: 1000,
    secs: 1000,
    second: 1000,
    seconds: 1000,
    m: 60_000,
    min: 60_000,
    mins: 60_000,
    minute: 60_000,
    minutes: 60_000,
    h: 3_600_000,
    hr: 3_600_000,
    hrs: 3_600_000,
    hour: 3_600_000,
    hours: 3_600_000,
    d: 86_400_000,
    day: 86_400_000,
    days: 86_400_000,
    w: 604_800_000,
    wk: 604_800_000,
    wks: 604_800_000,
    week: 604_800_000,
    weeks: 604_800_000,
    // ChronicDuration, which reads GitLab's `expire_in`: a month is 30 days, a year 365.
    mo: 2_592_000_000,
    month: 2_592_000_000,
    months: 2_592_000_000,
    y: 31_536_000_000,
    yr: 31_536_000_000,
    yrs: 31_536_000_000,
    year: 31_536_000_000,
    years: 31_536_000_000,
  }),
)

/**
 * Milliseconds of a duration: `'90s'`, `'1h30m'`, `'500ms'`, or GitLab's `expire_in` words
 * (`'1 week'`, `'2 days 4 hrs'`, `'30 mins'`); a bare number is seconds, as in `expire_in`.
 */
export function parseDuration(text: string, field: string): number {
  const source = text.trim().toLowerCase()
  let total = 0
  if (/^\d+(\.\d+)?$/.test(source)) return bounded(Number(source) * 1000, field, text)
  let matched = ''
  for (const m of source.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)\s*(?:,|and)?\s*/g)) {
    const unit = UNITS.get(m[2] as string)
    if (unit === undefined) break
    total += Number(m[1]) * unit
    matched += m[0]
  }
  if (!source || matched.length !== source.length)
    throw new ClockError(
      field,
      `must be a duration such as "90s", "1h30m" or "2 days", got ${JSON.stringify(text)}`,
    )
  return bounded(total, field, text)
}

function bounded(ms: number, field: string, text: string): number {
  if (!Number.isFinite(ms) || ms > MAX_DURATION)
    throw new ClockError(field, `must be at most 100 years, got ${JSON.stringify(text)}`)
  return ms
}

import { pathMatches } from '../api/journal.js'
import type { Answer, ApiRequest } from '../api/responses.js'
import {
  type Effect,
  type FaultMatch,
  type FaultRule,
  FaultRuleError,
  type FaultStep,
  type ParsedRule,
  parseRule,
} from './rule.js'

/** A rule as the fake holds it: the rule given, its id and name, and how far it has gone. */
export interface FaultInfo extends FaultRule {
  readonly id: number
  readonly name: string
  /** Requests the rule has acted on (faulted, delayed or, in a scenario, passed). */
  readonly faulted: number
  /** How many more it will act on; null while it lasts until removed. */
  readonly remaining: number | null
}

/** What the router does with a request that met a fault. */
export interface FaultDecision {
  /** The rule's name, for the journal. */
  readonly name: string
  /** Milliseconds of real time to wait first. */
  readonly delay: number
  /** The fault's answer; with neither this nor `drop`, the real answer follows the wait. */
  readonly answer?: Answer
  /** Drop the connection without an answer. */
  readonly drop?: true
}

/** The most rules a fake holds at once. */
export const MAX_RULES = 1000

interface LiveRule extends ParsedRule {
  readonly id: number
  readonly seed: number
  random: () => number
  acted: number
}

/**
 * Faults: rules the router consults before any route runs, so that a test can meet what clients
 * meet in life (rate limits, a proxy's 502, a dropped connection, a slow answer) on the requests
 * it chooses. A request answered by a fault changes no state. The first rule that matches a
 * request, and that is not spent, decides; a rule with a probability that draws "no" lets the
 * next one decide. Draws come from the fake's seed, one stream per rule, so that a seeded fake
 * faults the same requests on every run.
 */
export class Faults {
  private rules: LiveRule[] = []
  private nextId = 1
  private readonly seed: number

  constructor(options: { seed?: number } = {}) {
    this.seed = options.seed === undefined ? Math.floor(Math.random() * 2 ** 32) : hashSeed(options.seed)
  }

  /** Adds a rule; answers it with its id. A bad rule throws FaultRuleError naming the field, and nothing is added. */
  add(rule: FaultRule): FaultInfo {
    const parsed = parseRule(rule)
    if (this.rules.length >= MAX_RULES)
      throw new FaultRuleError('(rules)', `a fake holds at most ${MAX_RULES} rules; remove some first`)
    const id = this.nextId++
    const seed = mix(this.seed, id)
    const live: LiveRule = { ...parsed, rule: copyRule(rule), id, seed, random: mulberry32(seed), acted: 0 }
    this.rules.push(live)
    return info(live)
  }

  /** The next `times` (default 1) requests that meet the rule get its answer; then it is spent. */
  failNext(rule: FaultRule): FaultInfo {
    return this.add({ times: 1, ...rule })
  }

  /**
   * One answer per request that meets the rule, in order, e.g. `answers: ['502', '502', 'pass']`;
   * after the last, the rule is spent and requests get the real answer.
   */
  scenario(rule: FaultMatch & { name?: string; probability?: number; answers: FaultStep[] }): FaultInfo {
    return this.add(rule)
  }

  /** Removes a rule; false when there was none with that id. */
  remove(id: number): boolean {
    const before = this.rules.length
    this.rules = this.rules.filter((r) => r.id !== id)
    return this.rules.length !== before
  }

  /** Removes every rule; ids, scenario positions and draws start again. */
  clear(): void {
    this.rules = []
    this.nextId = 1
  }

  /** Every rule, spent ones included, in the order they are consulted. */
  list(): FaultInfo[] {
    return this.rules.map(info)
  }

  get(id: number): FaultInfo | undefined {
    const rule = this.rules.find((r) => r.id === id)
    return rule && info(rule)
  }

  /** Keeps every rule but takes each back to its start: counts, scenario positions and draws. */
  rewind(): void {
    for (const rule of this.rules) {
      rule.acted = 0
      rule.random = mulberry32(rule.seed)
    }
  }

  /** What a request meets, if anything; the rule that decides counts it. */
  decide(request: ApiRequest, url: URL, rawPath: string): FaultDecision | undefined {
    for (const rule of this.rules) {
      if (spent(rule) || !matches(rule, request, url, rawPath)) continue
      if (rule.probability < 1 && !(rule.random() < rule.probability)) continue
      const effect = (rule.scenario ? rule.effects[rule.acted] : rule.effects[0]) as Effect
      rule.acted++
      if (effect.kind === 'pass')
        return effect.delay > 0 ? { name: rule.name, delay: effect.delay } : undefined
      if (effect.kind === 'drop') return { name: rule.name, delay: effect.delay, drop: true }
      return { name: rule.name, delay: effect.delay, answer: effect.answer }
    }
    return undefined
  }
}

function spent(rule: LiveRule): boolean {
  if (rule.scenario) return rule.acted >= rule.effects.length
  return rule.times !== undefined && rule.acted >= rule.times
}

function remaining(rule: LiveRule): number | null {
  if (rule.scenario) return rule.effects.length - rule.acted
  return rule.times === undefined ? null : rule.times - rule.acted
}

function info(rule: LiveRule): FaultInfo {
  return {
    ...copyRule(rule.rule),
    id: rule.id,
    name: rule.name,
    faulted: rule.acted,
    remaining: remaining(rule),
  }
}

/** A copy of the rule as given, so that changing the object afterwards changes nothing here. */
function copyRule(rule: FaultRule): FaultRule {
  const { path, ...rest } = rule
  const copy = JSON.parse(JSON.stringify(rest)) as FaultRule
  copy.path = path instanceof RegExp ? new RegExp(path.source, path.flags) : path
  return copy
}

function matches(rule: LiveRule, request: ApiRequest, url: URL, rawPath: string): boolean {
  // GET rules meet HEAD too: Rack::Head runs the GET route.
  if (rule.method !== undefined && request.method !== rule.method)
    if (!(rule.method === 'GET' && request.method === 'HEAD')) return false
  if (!pathMatches(rawPath, rule.path)) return false
  if (rule.token !== undefined && !carries(request, url, rule.token)) return false
  for (const [key, want] of rule.query) {
    const have = url.searchParams.getAll(key)
    if (have.length !== want.length || have.some((v, i) => v !== want[i])) return false
  }
  for (const [name, want] of rule.requestHeaders) if (request.headers.get(name) !== want) return false
  return true
}

/** Whether the request carries the token in any of the places GitLab reads one (src/api/auth.ts). */
function carries(request: ApiRequest, url: URL, token: string): boolean {
  const params = url.searchParams
  for (const name of ['private_token', 'access_token', 'job_token', 'token'])
    if (params.getAll(name).includes(token)) return true
  if (request.headers.get('private-token') === token || request.headers.get('job-token') === token)
    return true
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')
  return m?.[1] === token
}

/** A seed of any number as 32 bits (FNV-1a over its text). */
function hashSeed(seed: number): number {
  let h = 0x811c9dc5
  for (const c of String(seed)) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193)
  return h >>> 0
}

function mix(seed: number, id: number): number {
  let h = (seed ^ Math.imul(id, 0x9e3779b9)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** Mulberry32: a small, fast generator, plenty for coin flips. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

import { randomInt } from 'node:crypto'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, test } from 'vitest'
import { createGitLabFake, FixtureError } from '../../src/index.js'
import { type RunningServer, serve } from '../../src/node/index.js'
import { forEachVersion } from '../support/each-version.js'
import {
  API_PATH,
  describeCase,
  type FollowUp,
  type FuzzCase,
  fuzzCase,
  ORIGIN,
  PROBE_KEYS,
} from './fuzz-cases.js'

/**
 * Seeded hostile input: requests in-process, fixture documents, raw bytes on the server's
 * socket. For every case: no 5xx, no exception out of the fake, an answer within two seconds,
 * `Object.prototype` as it was, and a refused request or fixture leaves the data as it was.
 *
 * FUZZ_CASES (default 4,000), FUZZ_SEED (an integer, or `random`), FUZZ_CASE (one case, to replay
 * a failure: the input is the same, the values faker fills in may differ); `npm run fuzz` runs
 * 100,000 with a random seed. Each version's fake meets the same cases.
 */

const SEED = process.env.FUZZ_SEED === 'random' ? randomInt(2 ** 32) : Number(process.env.FUZZ_SEED ?? 1300)
const CASES = Number(process.env.FUZZ_CASES ?? 4000)
const ONLY = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE)
for (const [name, value] of [
  ['FUZZ_SEED', SEED],
  ['FUZZ_CASES', CASES],
  ['FUZZ_CASE', ONLY ?? 0],
] as const)
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`)
const CHUNK = 500
/** How long one request, load or exchange may take. */
const DEADLINE_MS = 2000

forEachVersion('hostile input', (version) => {
  const gitlab = createGitLabFake({ gitlab: version, seed: 7, maxArtifactsSize: 1, maxLoadSize: 4 })
  let server: RunningServer
  let port = 0
  const serverErrors: string[] = []
  let initialState = ''
  const tally = new Map<string, number>()

  beforeAll(async () => {
    server = await serve(gitlab, {
      port: 0,
      maxBodyBytes: 1024 * 1024,
      onError: (line) => serverErrors.push(line),
    })
    port = Number(new URL(server.url).port)
    initialState = fingerprint()
    if (process.env.FUZZ_SEED === 'random') console.log(`fuzz: FUZZ_SEED=${SEED}, ${CASES} cases`)
  })

  afterAll(async () => {
    await server?.close({ graceMs: 0 })
    if (process.env.FUZZ_CASES !== undefined)
      console.log(
        `fuzz: answers by kind and status: ${JSON.stringify(Object.fromEntries([...tally].sort()))}`,
      )
  })

  describe(`fuzz, FUZZ_SEED=${SEED}`, () => {
    if (ONLY !== undefined) {
      test(`case ${ONLY}`, async () => {
        console.log(describeCase(fuzzCase(SEED, ONLY), 4000))
        await runCase(ONLY)
      })
      return
    }
    for (let from = 0; from < CASES; from += CHUNK) {
      const to = Math.min(from + CHUNK, CASES)
      test(`cases ${from}–${to - 1}`, { timeout: 120_000 }, async () => {
        for (let i = from; i < to; i++) await runCase(i)
      })
    }
  })

  /** Runs case `index`, throwing with the replay command and the input if an assertion fails. */
  async function runCase(index: number): Promise<void> {
    const c = fuzzCase(SEED, index)
    let problem: string | undefined
    try {
      problem =
        c.kind === 'request'
          ? await requestCase(c)
          : c.kind === 'fixture'
            ? await fixtureCase(c)
            : await socketCase(c)
      problem ??= prototypeProblem()
    } catch (error) {
      problem = `the fuzz test itself failed: ${stack(error)}`
    }
    gitlab.journal.clear()
    if (gitlab.store.changesSinceInitial > 0) gitlab.reset()
    if (problem === undefined) return
    throw new Error(
      `${problem}\n\nreplay: FUZZ_SEED=${SEED} FUZZ_CASE=${index} npx vitest run test/hardening/fuzz.test.ts\ninput: ${describeCase(c)}`,
    )
  }

  // ---------------------------------------------------------------------------------------------
  // In-process

  type RequestCase = Extract<FuzzCase, { kind: 'request' }>

  async function requestCase(c: RequestCase): Promise<string | undefined> {
    const outcome = await send(c.method, c.url, c.headers, c.body)
    if (typeof outcome === 'string') return outcome
    count(`request ${outcome.status === 0 ? 'outside' : outcome.status}`)
    const refused = outcome.status >= 400 || outcome.status === 0
    const read = ['GET', 'HEAD', 'OPTIONS'].includes(c.method.toUpperCase())
    if (refused) return stateProblem('a refused request')
    if (read && gitlab.store.changesSinceInitial > 0)
      return `a ${c.method} answered ${outcome.status} changed the data`
    return undefined
  }

  /** Sends one request to `gitlab.handle()`; its status (0 outside /api/v4), or what went wrong. */
  async function send(
    method: string,
    url: string,
    headers: readonly (readonly [string, string])[],
    body: string | null,
  ): Promise<{ status: number } | string> {
    let request: Request
    try {
      request = new Request(url, { method, headers: headers as [string, string][], body })
    } catch (error) {
      return `the generator made a request fetch would not send: ${stack(error)}`
    }
    const handled = await within(() => gitlab.handle(request))
    if ('error' in handled) return `gitlab.handle() threw: ${stack(handled.error)}`
    if ('timedOut' in handled) return `gitlab.handle() gave no answer within ${DEADLINE_MS} ms`
    if (handled.late) return `gitlab.handle() took ${handled.late} ms`
    const response = handled.value
    if (response === undefined) return { status: 0 }
    const { status } = response
    const text = await within(() => response.text())
    if ('error' in text) return `reading the ${status} answer failed: ${stack(text.error)}`
    if ('timedOut' in text) return `the body of the ${status} answer did not end within ${DEADLINE_MS} ms`
    if (text.late) return `the body of the ${status} answer took ${text.late} ms`
    const answered = text.value
    if (status >= 500 || status < 100) return `answered ${status}: ${answered.slice(0, 2000)}`
    const type = response.headers.get('content-type') ?? ''
    if (type.startsWith('application/json') && answered !== '') {
      try {
        JSON.parse(answered)
      } catch {
        return `answered ${status} with Content-Type ${type} and a body that is not JSON: ${answered.slice(0, 2000)}`
      }
    }
    return { status }
  }

  type FixtureCase = Extract<FuzzCase, { kind: 'fixture' }>

  async function fixtureCase(c: FixtureCase): Promise<string | undefined> {
    const started = performance.now()
    let created: ReturnType<typeof gitlab.load>
    try {
      created = gitlab.load(c.document)
    } catch (error) {
      if (!(error instanceof FixtureError)) return `load() threw ${stack(error)}, not a FixtureError`
      count('fixture refused')
      const late = performance.now() - started
      if (late > DEADLINE_MS) return `load() took ${Math.round(late)} ms to refuse the document`
      return stateProblem('a refused fixture')
    }
    count('fixture loaded')
    const late = performance.now() - started
    if (late > DEADLINE_MS) return `load() took ${Math.round(late)} ms`
    for (const follow of c.follow) {
      const outcome = await send(follow.method, followUrl(follow, created), followHeaders(follow), null)
      if (typeof outcome === 'string')
        return `after the fixture loaded, ${follow.method} ${follow.path}: ${outcome}`
      count(`after fixture ${outcome.status}`)
    }
    return undefined
  }

  function followUrl(follow: FollowUp, created: ReturnType<typeof gitlab.load>): string {
    const path = follow.path
      .replace('{project}', String(created.projects[0] ?? 1))
      .replace('{pipeline}', String(created.pipelines[0] ?? 6))
      .replace('{job}', String(created.jobs[0] ?? 6))
    return `${ORIGIN}${API_PATH}${path}`
  }

  function followHeaders(follow: FollowUp): [string, string][] {
    return follow.token === null ? [] : [['PRIVATE-TOKEN', follow.token]]
  }

  // ---------------------------------------------------------------------------------------------
  // Over the socket

  type SocketCase = Extract<FuzzCase, { kind: 'socket' }>

  async function socketCase(c: SocketCase): Promise<string | undefined> {
    const exchanged = await exchange(c.bytes, c.hangUp)
    if (exchanged.timedOut) return `the server neither answered in full nor closed within ${DEADLINE_MS} ms`
    const idle = await connectionsClosed()
    if (!idle) return `the server still held the connection ${DEADLINE_MS} ms after the client closed it`
    const statuses = statusesOf(exchanged.out)
    for (const status of statuses) count(`socket ${status}`)
    if (!statuses.length) count(`socket closed without an answer`)
    if (statuses.some((s) => s >= 500))
      return `the server answered ${statuses.join(', ')}: ${exchanged.out.slice(0, 2000)}`
    if (serverErrors.length) return `the server reported: ${serverErrors.splice(0).join('\n')}`
    // A client that hung up may have been answered, or not: what it changed is not knowable.
    if (!c.hangUp && statuses.every((s) => s >= 400)) {
      const problem = stateProblem('a refused exchange')
      if (problem) return `${problem}; the server answered ${statuses.join(', ') || 'nothing'}`
    }
    const health = await exchange(
      `GET ${API_PATH}/projects/1/jobs/6 HTTP/1.1\r\nHost: localhost\r\nPRIVATE-TOKEN: maintainer-token\r\nConnection: close\r\n\r\n`,
      false,
    )
    const healthy = statusesOf(health.out)
    if (healthy.length !== 1 || healthy[0] !== 200)
      return `the server is unwell after the case: a plain GET got ${health.timedOut ? 'no answer' : healthy.join(', ') || 'a closed connection'}`
    return undefined
  }

  /** Writes the bytes (latin1) and reads until the server closes, or the deadline. */
  function exchange(bytes: string, hangUp: boolean): Promise<{ out: string; timedOut: boolean }> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1')
      let out = ''
      const timer = setTimeout(() => {
        socket.destroy()
        resolve({ out, timedOut: true })
      }, DEADLINE_MS)
      socket.on('connect', () => {
        const data = Buffer.from(bytes, 'latin1')
        if (hangUp) socket.write(data, () => socket.destroy())
        else socket.end(data)
      })
      socket.on('data', (chunk: Buffer) => {
        if (out.length < 1_000_000) out += chunk.toString('latin1')
      })
      // A reset or a broken pipe is the server closing on bytes it refused.
      socket.on('error', () => {})
      socket.on('close', () => {
        clearTimeout(timer)
        resolve({ out, timedOut: false })
      })
    })
  }

  /** Waits until the server holds no connection (so that what the case sent is all handled). */
  async function connectionsClosed(): Promise<boolean> {
    const until = performance.now() + DEADLINE_MS
    while (performance.now() < until) {
      const open = await new Promise<number>((resolve) =>
        server.server.getConnections((error, n) => resolve(error ? -1 : n)),
      )
      if (open === 0) return true
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    return false
  }

  function statusesOf(out: string): number[] {
    return [...out.matchAll(/(?:^|\r\n)HTTP\/\d\.\d (\d{3})\b/g)].map((m) => Number(m[1]))
  }

  // ---------------------------------------------------------------------------------------------
  // Invariants

  /** The records and id counters, as text: equal before and after a refusal. */
  function fingerprint(): string {
    return JSON.stringify(gitlab.store.snapshot())
  }

  function stateProblem(what: string): string | undefined {
    const changes = gitlab.store.changesSinceInitial
    const now = fingerprint()
    if (changes === 0 && now === initialState) return undefined
    let at = 0
    while (at < now.length && now[at] === initialState[at]) at++
    return `${what} changed the data (${changes} writes; the records differ from character ${at}: before …${initialState.slice(Math.max(0, at - 80), at + 80)}…, after …${now.slice(Math.max(0, at - 80), at + 80)}…)`
  }

  const PROTOTYPES: [string, object][] = [
    ['Object.prototype', Object.prototype],
    ['Array.prototype', Array.prototype],
    ['Function.prototype', Function.prototype],
    ['String.prototype', String.prototype],
  ]
  const pristine = PROTOTYPES.map(([, proto]) => Object.getOwnPropertyDescriptors(proto))

  function prototypeProblem(): string | undefined {
    for (const [i, [name, proto]] of PROTOTYPES.entries()) {
      const before = pristine[i] as PropertyDescriptorMap
      const now = Object.getOwnPropertyDescriptors(proto)
      const keys = new Set([...Reflect.ownKeys(before), ...Reflect.ownKeys(now)])
      for (const key of keys) {
        const a = before[key as string]
        const b = now[key as string]
        if (!a || !b || a.value !== b.value || a.get !== b.get || a.set !== b.set)
          return `${name}.${String(key)} was ${a ? 'changed' : 'added'}`
      }
    }
    const probes: Record<string, unknown>[] = [
      {},
      [] as unknown as Record<string, unknown>,
      Object.create({}),
    ]
    for (const probe of probes)
      for (const key of PROBE_KEYS)
        if (probe[key] !== undefined) return `a new object has ${key}: ${String(probe[key])}`
    return undefined
  }

  // ---------------------------------------------------------------------------------------------

  type Timed<T> = { value: T; late?: number } | { error: unknown } | { timedOut: true }

  /** Runs `work` with the deadline; `late` is set when it finished, but after the deadline. */
  async function within<T>(work: () => Promise<T> | T): Promise<Timed<T>> {
    const started = performance.now()
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), DEADLINE_MS)
    })
    try {
      const result = await Promise.race([Promise.resolve().then(work), timeout])
      if (result === TIMED_OUT) return { timedOut: true }
      const elapsed = performance.now() - started
      // Synchronous work blocks the timer: measured instead.
      return elapsed > DEADLINE_MS
        ? { value: result as T, late: Math.round(elapsed) }
        : { value: result as T }
    } catch (error) {
      return { error }
    } finally {
      clearTimeout(timer)
    }
  }

  const TIMED_OUT = Symbol('timed out')

  function stack(error: unknown): string {
    return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  }

  function count(key: string): void {
    tally.set(key, (tally.get(key) ?? 0) + 1)
  }
})

import { JournalFilterError } from '../api/journal.js'
import { type Answer, type ApiRequest, answer, jsonResponse } from '../api/responses.js'
import { FixtureError } from '../data/fixture-schema.js'
import type { GitLabFake } from '../fake.js'
import type { FaultInfo } from '../faults/faults.js'
import { objectBody, refused, refusedFor } from './bodies.js'
import { jsonStream } from './json-stream.js'
import { overview } from './overview.js'
import { driveRunner } from './runner-routes.js'

/** Where the control API lives: no GitLab route starts with it. */
export const CONTROL_PREFIX = '/__fake'

/** Entries in a page of the journal unless `limit` says otherwise, and the most it may say. */
export const JOURNAL_PAGE = 1000
const JOURNAL_PAGE_MAX = 10_000

/** Whether a path (as sent) is the control API's. */
export function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)
}

/**
 * The control API of the standalone server, for test suites in any language (in the manner of
 * moto's server mode and WireMock's admin API). Each operation is a method of the fake too.
 *
 * - `POST /__fake/reset`: back to the initial dataset
 * - `POST /__fake/fixtures`: add a fixture document; answers the ids created
 * - `GET /__fake/requests[?method=&path=&limit=&after=]`, `DELETE /__fake/requests`: the
 *   request journal, a page at a time
 * - `GET /__fake/state`: the whole dataset as a fixture document, streamed
 * - `GET /__fake/overview`: the projects (with their counts) and every token, for the fake's page
 * - `GET /__fake/clock`, `POST /__fake/clock` with `{"advance": "90s"}` or `{"now": "…"}`: the
 *   fake's clock
 * - `POST /__fake/runner/jobs/:id/start|log|finish`: the runner, driven by hand
 * - `POST /__fake/artifacts/expire`: runs GitLab's artifact expiry worker now
 * - `POST /__fake/faults` (a rule as JSON), `GET /__fake/faults`, `DELETE /__fake/faults`,
 *   `GET|DELETE /__fake/faults/:id`, `POST /__fake/faults/rewind`: faults on the GitLab routes
 *
 * HEAD answers as GET without the body.
 */
export async function handleControl(
  fake: GitLabFake,
  request: ApiRequest,
  url: URL,
): Promise<Answer | undefined> {
  const path = request.rawPath ?? url.pathname
  if (!isControlPath(path)) return undefined
  const method = request.method === 'HEAD' ? 'GET' : request.method
  const route = `${method} ${path.slice(CONTROL_PREFIX.length).replace(/\/$/, '')}`
  const fault = /^(GET|DELETE) \/faults\/([^/]+)$/.exec(route)
  if (fault && fault[2] !== 'rewind') return oneFault(fake, fault[1] as string, fault[2] as string)
  const runnerStep = /^POST \/runner\/jobs\/([^/]+)\/(start|log|finish)$/.exec(route)
  if (runnerStep)
    return driveRunner(fake, runnerStep[1] as string, runnerStep[2] as string, await request.text())
  switch (route) {
    case 'POST /reset':
      fake.reset()
      return jsonResponse({ reset: true })
    case 'POST /fixtures': {
      let document: unknown
      try {
        document = JSON.parse(await request.text())
      } catch {
        return jsonResponse({ error: 'the body is not JSON' }, { status: 400 })
      }
      try {
        return jsonResponse({ created: fake.load(document) }, { status: 201 })
      } catch (error) {
        if (error instanceof FixtureError)
          return jsonResponse({ error: error.message, issues: error.issues }, { status: 400 })
        throw error
      }
    }
    case 'GET /requests':
      return journalPage(fake, url.searchParams)
    case 'DELETE /requests':
      fake.journal.clear()
      return answer(204, {})
    case 'GET /state':
      return answer(200, { 'Content-Type': 'application/json' }, jsonStream(fake.state()))
    case 'GET /overview':
      return overview(fake)
    case 'GET /clock':
      return jsonResponse(clockOf(fake))
    case 'POST /clock':
      return moveClock(fake, await request.text())
    case 'POST /artifacts/expire': {
      const destroyed = fake.artifacts.expire()
      return jsonResponse({
        destroyed,
        now: new Date(fake.clock.now()).toISOString(),
        next_run: new Date(fake.artifacts.nextRun()).toISOString(),
      })
    }
    case 'POST /faults':
      return addFault(fake, await request.text())
    case 'GET /faults':
      return jsonResponse(fake.faults.list().map(faultJson))
    case 'DELETE /faults':
      fake.faults.clear()
      return answer(204, {})
    case 'POST /faults/rewind':
      fake.faults.rewind()
      return jsonResponse(fake.faults.list().map(faultJson))
    default:
      return jsonResponse(
        { error: `no control operation ${request.method} ${route.slice(route.indexOf(' ') + 1)}` },
        { status: 404 },
      )
  }
}

function clockOf(fake: GitLabFake): { now: string; mode: string } {
  return { now: new Date(fake.clock.now()).toISOString(), mode: fake.clock.mode }
}

/** `{"advance": "90s"}` (or milliseconds) or `{"now": "2015-12-24T18:00:00Z"}`: exactly one. */
function moveClock(fake: GitLabFake, text: string): Answer {
  const parsed = objectBody(text)
  if ('refusal' in parsed) return parsed.refusal
  const { advance, now, ...rest } = parsed.body
  const unknown = Object.keys(rest)[0]
  if (unknown !== undefined) return refused(unknown, 'is not a clock field; give "advance" or "now"')
  if ((advance === undefined) === (now === undefined))
    return refused('(body)', 'give one of "advance" and "now"')
  try {
    if (advance !== undefined) {
      if (typeof advance !== 'string' && typeof advance !== 'number')
        return refused('advance', 'must be a duration such as "90s" or a number of milliseconds')
      fake.clock.advance(advance)
    } else {
      if (typeof now !== 'string' && typeof now !== 'number')
        return refused('now', 'must be an ISO 8601 time such as "2015-12-24T18:00:00Z"')
      fake.clock.set(now)
    }
  } catch (error) {
    return refusedFor(error)
  }
  return jsonResponse(clockOf(fake))
}

/** A fault rule as JSON (201 with its id), or 400 naming the field; a refused rule adds nothing. */
function addFault(fake: GitLabFake, text: string): Answer {
  let rule: unknown
  try {
    rule = JSON.parse(text)
  } catch {
    return refused('(body)', 'the body is not JSON')
  }
  try {
    return jsonResponse(faultJson(fake.faults.add(rule as Parameters<GitLabFake['faults']['add']>[0])), {
      status: 201,
    })
  } catch (error) {
    return refusedFor(error)
  }
}

function oneFault(fake: GitLabFake, method: string, rawId: string): Answer {
  const id = /^[1-9]\d{0,8}$/.test(rawId) ? Number(rawId) : undefined
  const found = id === undefined ? undefined : fake.faults.get(id)
  if (!found) return jsonResponse({ error: `no fault ${rawId}` }, { status: 404 })
  if (method === 'GET') return jsonResponse(faultJson(found))
  fake.faults.remove(found.id)
  return answer(204, {})
}

/** A rule as JSON: a RegExp path (given in-process) as its source text. */
function faultJson(info: FaultInfo): unknown {
  return info.path instanceof RegExp ? { ...info, path: String(info.path) } : info
}

/**
 * A page of the journal, oldest first. When more match, `X-Next-After` holds the `after` of the
 * next page and `Link` its URL (relative: the server may be reached under any name).
 */
function journalPage(fake: GitLabFake, params: URLSearchParams): Answer {
  const limit = integerParam(params, 'limit', 1, JOURNAL_PAGE_MAX)
  const after = integerParam(params, 'after', 0, Number.MAX_SAFE_INTEGER)
  if (typeof limit === 'string') return jsonResponse({ error: limit }, { status: 400 })
  if (typeof after === 'string') return jsonResponse({ error: after }, { status: 400 })
  const faulted = params.get('faulted')
  if (faulted !== null && faulted !== 'true' && faulted !== 'false')
    return jsonResponse(
      { error: `faulted: must be true or false, got ${JSON.stringify(faulted)}` },
      { status: 400 },
    )
  const filter = {
    method: params.get('method') ?? undefined,
    path: params.get('path') ?? undefined,
    faulted: faulted === null ? undefined : faulted === 'true',
    fault: params.get('fault') ?? undefined,
  }
  let page: ReturnType<GitLabFake['journal']['page']>
  try {
    page = fake.journal.page(filter, { after: after ?? 0, limit: limit ?? JOURNAL_PAGE })
  } catch (error) {
    if (error instanceof JournalFilterError) return jsonResponse({ error: error.message }, { status: 400 })
    throw error
  }
  if (page.next === undefined) return jsonResponse(page.entries)
  const next = new URLSearchParams(params)
  next.set('after', String(page.next))
  return jsonResponse(page.entries, {
    headers: {
      'X-Next-After': String(page.next),
      Link: `<${CONTROL_PREFIX}/requests?${next}>; rel="next"`,
    },
  })
}

/** The param as an integer, undefined when absent, or the reason it is refused. */
function integerParam(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
): number | undefined | string {
  const text = params.get(name)
  if (text === null) return undefined
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max)
    return `${name}: must be an integer from ${min} to ${max.toLocaleString('en')}, got ${JSON.stringify(text)}`
  return value
}

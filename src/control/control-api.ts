import { type Answer, type ApiRequest, answer, jsonResponse } from '../api/responses.js'
import { FixtureError } from '../data/fixture-schema.js'
import type { GitLabFake } from '../fake.js'

/** Where the control API lives: no GitLab route starts with it. */
export const CONTROL_PREFIX = '/__fake'

/**
 * The control API of the standalone server, for test suites in any language (in the manner of
 * moto's server mode and WireMock's admin API). Each operation is a method of the fake too.
 *
 * - `POST /__fake/reset`: back to the initial dataset
 * - `POST /__fake/fixtures`: add a fixture document; answers the ids created
 * - `GET /__fake/requests[?method=&path=]`, `DELETE /__fake/requests`: the request journal
 * - `GET /__fake/state`: the whole dataset as a fixture document
 */
export async function handleControl(
  fake: GitLabFake,
  request: ApiRequest,
  url: URL,
): Promise<Answer | undefined> {
  if (url.pathname !== CONTROL_PREFIX && !url.pathname.startsWith(`${CONTROL_PREFIX}/`)) return undefined
  const route = `${request.method} ${url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, '')}`
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
    case 'GET /requests': {
      const method = url.searchParams.get('method') ?? undefined
      const path = url.searchParams.get('path') ?? undefined
      return jsonResponse(fake.journal.filter({ method, path }))
    }
    case 'DELETE /requests':
      fake.journal.clear()
      return answer(204, {})
    case 'GET /state':
      return jsonResponse(fake.state())
    default:
      return jsonResponse({ error: `no control operation ${route}` }, { status: 404 })
  }
}

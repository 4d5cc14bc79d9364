import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
// @ts-expect-error: a bench module in plain JavaScript, without types.
import { buildApp, serveApp } from '../../bench/vite-app.mjs'
import { createGitLabFake } from '../../src/index.js'
import { type ChromiumSession, launchChromium } from '../support/chromium.js'
import { describeWithTool } from '../support/tools.js'

/**
 * Seeding on demand in a real browser: a production Vite build of the package (from dist/) in
 * Chromium. The default fake starts and answers without faker or the fixture checks; a seeding
 * call before `seed.ready()` throws, saying so; after it, a seed gives the values it gives in Node.
 */

interface Chunk {
  fileName: string
  modules: Record<string, unknown>
}
interface BuiltApp {
  outDir: string
  total: { chunks: Chunk[] }
  remove(): void
}

type Fake = ReturnType<typeof createGitLabFake>
declare const __app: {
  createGitLabFake: typeof createGitLabFake
  loadSeeding(): Promise<void>
}

/** The same calls in Node and in the page: what a seed fills in. */
function seedSome(gitlab: Fake): unknown {
  const user = gitlab.seed.user()
  const project = gitlab.seed.project({ members: [{ user: user.username, access_level: 'developer' }] })
  const { pipeline, jobs } = gitlab.seed.pipeline({ project: project.id, jobs: [{}, { status: 'failed' }] })
  return JSON.parse(JSON.stringify({ user, project, pipeline, jobs }))
}

describeWithTool('chromium', 'seeding on demand in Chromium', () => {
  let app: BuiltApp
  let server: { url: string; close(): Promise<void> }
  let session: ChromiumSession
  let page: Page
  /** The chunks that hold faker and the fixture checks. */
  let onDemand: string[]

  beforeAll(async () => {
    app = await buildApp('seeding')
    onDemand = app.total.chunks
      .filter((c) => Object.keys(c.modules).some((id) => /@faker-js\/faker|node_modules\/zod\//.test(id)))
      .map((c) => c.fileName.split('/').pop() as string)
    server = await serveApp(app.outDir)
    session = await launchChromium()
    page = await session.newPage()
    await page.goto(server.url)
    await page.waitForFunction(() => '__app' in window)
  })
  afterAll(async () => {
    await session?.close()
    await server?.close()
    app?.remove()
  })

  const fetched = () =>
    page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()))

  describe('before seed.ready()', () => {
    test('the default fake answers, a file of an archive included, and faker and zod are not fetched', async () => {
      const answered = await page.evaluate(async () => {
        const gitlab = __app.createGitLabFake()
        const get = async (path: string) => {
          const request = new Request(`${gitlab.apiUrl}${path}`, {
            headers: { 'PRIVATE-TOKEN': 'root-token' },
          })
          const response = (await gitlab.handle(request)) as Response
          return [response.status, await response.text()]
        }
        return [await get('/projects/1/jobs/8'), await get('/projects/1/jobs/18/artifacts/dist/app.js')]
      })
      expect(answered[0]?.[0]).toBe(200)
      expect(JSON.parse(answered[0]?.[1] as string).name).toBe('rubocop')
      expect(answered[1]).toEqual([200, "console.log('foo/bar 1.4.0')\n"])
      expect(onDemand.length).toBeGreaterThan(0)
      expect((await fetched()).filter((name) => onDemand.includes(name as string))).toEqual([])
    })

    test('a seeding call, load() and state() throw, naming what to await', async () => {
      const messages = await page.evaluate(() => {
        const gitlab = __app.createGitLabFake()
        return [
          () => gitlab.seed.user(),
          () => gitlab.load({ users: [{ username: 'x' }] }),
          () => gitlab.state(),
          () => __app.createGitLabFake({ fixtures: [{}] }),
        ].map((call) => {
          try {
            call()
            return 'no error'
          } catch (error) {
            return String(error)
          }
        })
      })
      for (const message of messages) expect(message).toContain('await gitlab.seed.ready()')
    })
  })

  describe('after seed.ready()', () => {
    test('a seed gives the values it gives in Node, and the fixture checks refuse as in Node', async () => {
      const inPage = await page.evaluate(
        async ([source]) => {
          const gitlab = __app.createGitLabFake({ seed: 7 })
          await gitlab.seed.ready()
          const seed = new Function('gitlab', `return (${source})(gitlab)`) as (g: unknown) => unknown
          let refusal = ''
          try {
            gitlab.load({ users: [{ username: 1 }] })
          } catch (error) {
            refusal = `${(error as Error).name}: ${(error as Error).message}`
          }
          return { seeded: seed(gitlab), refusal, state: gitlab.state().users?.length }
        },
        [seedSome.toString()],
      )
      const gitlab = createGitLabFake({ seed: 7 })
      expect(inPage.seeded).toEqual(seedSome(gitlab))
      expect(inPage.refusal).toMatch(/^FixtureError: Invalid fixture: users\[0\]\.username: /)
      expect(inPage.state).toBe(7)
      expect((await fetched()).filter((name) => onDemand.includes(name as string)).sort()).toEqual(
        [...onDemand].sort(),
      )
    })

    test('createGitLabFake() takes fixtures once loadSeeding() has resolved', async () => {
      const paths = await page.evaluate(async () => {
        await __app.loadSeeding()
        const gitlab = __app.createGitLabFake({ fixtures: [{ projects: [{ path: 'a/b' }] }] })
        return [...gitlab.store.projects.values()].map((p) => p.path_with_namespace)
      })
      expect(paths).toContain('a/b')
    })
  })
})

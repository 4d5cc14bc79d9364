import { readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { type ChromiumSession, launchChromium } from '../support/chromium.js'
import { describeWithTool } from '../support/tools.js'

/**
 * The fake's own page (src/page, built into dist/page) in real Chromium: served by the
 * standalone server at /__fake/, and again from a plain static server with no fake server, where
 * it starts the fake in the page under MSW's worker. Screenshots of its views go to
 * test-output/screenshots.
 */

const PAGE_DIR = fileURLToPath(new URL('../../dist/page/', import.meta.url))
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
}

/** A tiny static server: dist/page at `/`, plus pages given by path (for the cross-origin checks). */
async function staticServer(extra: Record<string, string> = {}): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (extra[path] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(extra[path])
      return
    }
    const file = normalize(join(PAGE_DIR, path.endsWith('/') ? `${path}index.html` : path))
    if (!file.startsWith(PAGE_DIR) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404)
      res.end()
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    res.end(readFileSync(file))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

/** The fake's own bytes for a GitLab path, as a client gets them from the server. */
async function bytesOf(server: RunningServer, path: string): Promise<Buffer> {
  const response = await fetch(`${server.url}/api/v4${path}`, { headers: { 'PRIVATE-TOKEN': 'root-token' } })
  expect(response.status).toBe(200)
  return Buffer.from(await response.arrayBuffer())
}

/** The texts of the job links shown, as `name #id status`. */
async function jobsShown(page: Page): Promise<string[]> {
  return page.$$eval('a.job', (links) =>
    links.map(
      (a) =>
        `${a.querySelector('.name')?.textContent} #${a.getAttribute('data-job')} ${a.getAttribute('data-status')}`,
    ),
  )
}

describeWithTool('chromium', "the fake's own page", () => {
  let session: ChromiumSession
  let server: RunningServer
  let statics: { url: string; server: Server }
  /** The server's request log, without the times. */
  const log: string[] = []

  beforeAll(async () => {
    session = await launchChromium()
    server = await listen({ port: 0, log: (line) => log.push(line.replace(/ [\d.]+ms.*$/, '')) })
    statics = await staticServer({
      '/drive.html':
        '<!doctype html><link rel="icon" href="data:,"><title>another app</title><p>another app</p>',
    })
  })
  afterAll(async () => {
    await session?.close()
    await server?.close({ graceMs: 0 })
    statics?.server.close()
  })
  beforeEach(() => {
    server.fake.reset()
    session.errors.length = 0
  })

  async function open(path = '/__fake/'): Promise<Page> {
    const page = await session.newPage()
    await page.goto(server.url + path)
    await page.waitForSelector('#token option[value="maintainer-token"]', { state: 'attached' })
    return page
  }

  describe('served by the standalone server', () => {
    test('`/` leads to the page; GitLab routes and their 404s are unchanged', async () => {
      const root = await fetch(`${server.url}/`, { redirect: 'manual' })
      expect(root.status).toBe(302)
      expect(root.headers.get('location')).toBe('/__fake/')
      const page = await fetch(`${server.url}/__fake/`)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
      const html = await page.text()
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1]
      expect(script).toBeDefined()
      const asset = await fetch(`${server.url}/__fake/${script}`)
      expect(asset.status).toBe(200)
      expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
      expect((await fetch(`${server.url}/__fake/assets/nothing.js`)).status).toBe(404)
      const other = await fetch(`${server.url}/elsewhere`)
      expect([other.status, await other.text()]).toEqual([404, 'Not Found\n'])
      const api = await fetch(`${server.url}/api/v4/projects/1/jobs`)
      expect(api.status).toBe(401)
    })

    test('lists the projects and the jobs of one as its pipelines’ stages, with GitLab’s status names', async () => {
      const page = await open()
      await page.waitForSelector('table.list a[href="#/projects/1"]')
      expect(await page.textContent('table.list tbody')).toContain('foo/bar')
      expect(await page.textContent('table.list tbody')).toContain('acme/website')
      await session.screenshot(page, 'page-projects')

      await page.click('a[href="#/projects/1"]')
      await page.waitForSelector('section.pipeline')
      // The API's first page, by the token chosen.
      const api = (await (
        await fetch(`${server.url}/api/v4/projects/1/jobs?per_page=20`, {
          headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
        })
      ).json()) as { id: number; name: string; status: string }[]
      expect((await jobsShown(page)).sort()).toEqual(api.map((j) => `${j.name} #${j.id} ${j.status}`).sort())
      const pipeline7 = page.locator('section.pipeline', { hasText: 'Pipeline #7' })
      expect(await pipeline7.locator('h2 .badge').textContent()).toBe('running')
      // GitLab's labels: success reads "passed", scheduled "delayed".
      await page.click('a[href="#/projects/1/pipelines/8"]')
      await page.waitForSelector('h1 .badge')
      expect(await page.textContent('h1 .badge')).toBe('passed')
      const stageNames = await page.$$eval('.stage h3', (hs) => hs.map((e) => e.textContent))
      expect(stageNames).toEqual(['build', 'test'])
      await page.goBack()
      await page.waitForSelector('a.job[data-job="17"]')
      const colour = await page.$eval('a.job[data-job="9"] .status-icon', (e) => getComputedStyle(e).color)
      expect(colour).toBe('rgb(26, 170, 85)')
      await session.screenshot(page, 'page-pipelines')
      // Every control has a label a screen reader reads out.
      const unlabelled = await page.$$eval('select, input, button', (controls) =>
        controls
          .filter(
            (c) =>
              !(c as HTMLInputElement).labels?.length &&
              !c.getAttribute('aria-label') &&
              !c.textContent?.trim(),
          )
          .map((c) => c.outerHTML),
      )
      expect(unlabelled).toEqual([])
      expect(session.errors).toEqual([])
      await page.close()
    })

    test('a job: its trace, its archive downloaded byte for byte, its files browsed', async () => {
      const page = await open('/__fake/#/projects/1/jobs/18')
      await page.waitForSelector('#download')
      expect(await page.textContent('h1')).toContain('build')
      expect(await page.textContent('#trace')).toBe(
        (await bytesOf(server, '/projects/1/jobs/18/trace')).toString('utf8') || '(empty)',
      )
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
      const saved = readFileSync((await download.path()) as string)
      expect(saved.equals(await bytesOf(server, '/projects/1/jobs/18/artifacts'))).toBe(true)
      expect(download.suggestedFilename()).toBe('artifacts.zip')

      await page.click('#browse')
      await page.waitForSelector('#archive-files')
      const names = await page.$$eval('#archive-files tbody th', (ths) => ths.map((t) => t.textContent))
      expect(names.sort()).toEqual(['build.log', 'dist/app.js', 'dist/index.html'])
      await page.click('button[aria-label="Open dist/index.html"]')
      await page.waitForSelector('.viewer pre')
      expect(await page.textContent('.viewer pre')).toBe(
        (await bytesOf(server, '/projects/1/jobs/18/artifacts/dist/index.html')).toString('utf8'),
      )
      await session.screenshot(page, 'page-artifacts')
      expect(session.errors).toEqual([])
      await page.close()
    })

    test('plays a manual job as the chosen user and follows it: its status and its growing trace', async () => {
      const page = await open('/__fake/#/projects/1/jobs/16')
      await page.waitForSelector('h1 .badge')
      expect(await page.textContent('h1 .badge')).toBe('manual')
      // A reporter may not: GitLab's 403 shows, and the job stays manual.
      await page.selectOption('#token', 'reporter-token')
      await page.waitForSelector('button:text-is("Play")')
      await page.click('button:text-is("Play")')
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('403'))
      expect(server.fake.store.jobs.get(16)?.status).toBe('manual')

      await page.selectOption('#token', 'maintainer-token')
      await page.waitForSelector('button:text-is("Play")')
      await page.click('button:text-is("Play")')
      await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent !== 'manual')
      expect(['pending', 'running']).toContain(await page.textContent('h1 .badge'))
      expect(server.fake.store.jobs.get(16)?.user_id).toBe(2)
      await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent === 'running', null, {
        timeout: 15_000,
      })
      await page.waitForFunction(() => (document.getElementById('trace')?.textContent ?? '').length > 10)
      await session.screenshot(page, 'page-job-running')
      await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent === 'passed', null, {
        timeout: 30_000,
      })
      expect(await page.textContent('#trace')).toContain('Job succeeded')
      expect(await page.textContent('#trace')).toBe(
        (await bytesOf(server, '/projects/1/jobs/16/trace')).toString('utf8'),
      )
      await session.screenshot(page, 'page-job-trace')
      // Chromium's line for the reporter's refused play, and nothing else.
      expect(session.errors).toEqual([
        'Failed to load resource: the server responded with a status of 403 (Forbidden)',
      ])
      await page.close()
    })

    test('works from the keyboard: Tab to a project, Enter, Tab to a job, Enter', async () => {
      const page = await open()
      await page.waitForSelector('table.list a[href="#/projects/1"]')
      /** Presses Tab until the focused element matches, at most 40 times. */
      const tabTo = async (selector: string) => {
        for (let i = 0; i < 40; i++) {
          await page.keyboard.press('Tab')
          if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
        }
        throw new Error(`Tab never reached ${selector}`)
      }
      await tabTo('a[href="#/projects/1"]')
      await page.keyboard.press('Enter')
      await page.waitForSelector('a.job[data-job="16"]')
      // After a view changes, focus is on the view (the next Tab goes into it, not back to the bar).
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')
      await tabTo('a.job[data-job="16"]')
      await page.keyboard.press('Enter')
      await page.waitForSelector('button:text-is("Play")')
      await tabTo('.actions button[title="POST …/play"]')
      await page.keyboard.press('Enter')
      await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent !== 'manual')
      expect(server.fake.store.jobs.get(16)?.status).not.toBe('manual')
      await page.close()
    })

    test('retries a failed job and shows the new one', async () => {
      const page = await open('/__fake/#/projects/1/jobs/10')
      await page.waitForSelector('button:text-is("Retry")')
      await page.click('button:text-is("Retry")')
      await page.waitForFunction(() => !document.querySelector('h1')?.textContent?.startsWith('Job #10 '))
      const retried = [...server.fake.store.jobs.values()].find((j) => j.name === 'rspec' && j.id > 21)
      expect(retried).toBeDefined()
      expect(await page.textContent('h1')).toContain(`Job #${retried?.id} rspec`)
      expect(page.url()).toBe(`${server.url}/__fake/#/projects/1/jobs/${retried?.id}`)
      expect(await page.textContent('#status')).toBe(`Retry: job #${retried?.id} created (pending)`)
      expect(server.fake.store.jobs.get(10)?.retried).toBe(true)
      await page.close()
    })

    test('the request journal is a live table', async () => {
      const page = await open('/__fake/#/requests')
      await page.waitForSelector('#journal')
      await fetch(`${server.url}/api/v4/projects/1/jobs/9?marker=1`, {
        headers: { 'PRIVATE-TOKEN': 'developer-token' },
      })
      const row = page.locator('#journal tbody tr', { hasText: '/api/v4/projects/1/jobs/9?marker=1' })
      await row.waitFor()
      expect(await row.locator('td').nth(4).textContent()).toBe('200')
      expect(await row.locator('td').nth(6).textContent()).toBe('token developer-token')
      await session.screenshot(page, 'page-journal')

      // A long journal: the newest 500, newest first, from pages of 1,000 read in turn.
      await page.click('button:text-is("Pause")')
      const last = server.fake.journal.entries.at(-1)?.id as number
      // Answered in-process: the journal records them as it records the server's.
      for (let i = 0; i < 1200; i++)
        await server.fake.handle(new Request(`${server.fake.apiUrl}/projects/1/jobs/9?n=${i}`))
      await page.click('button:text-is("Resume")')
      await page.waitForFunction(
        (at) => Number(document.querySelector('#journal tbody tr')?.getAttribute('data-id')) >= at,
        last + 1200,
      )
      expect(await page.$$eval('#journal tbody tr', (rows) => rows.length)).toBe(500)
      const ids = await page.$$eval('#journal tbody tr', (rows) =>
        rows.map((r) => Number(r.getAttribute('data-id'))),
      )
      expect(ids).toEqual(Array.from({ length: 500 }, (_, i) => last + 1200 - i))
      // Every entry since the server started (ids from 1), read once each.
      expect(await page.textContent('#journal-count')).toBe(
        `${(last + 1200).toLocaleString('en')} requests seen, the newest 500 shown`,
      )
      expect(session.errors).toEqual([])
      await page.close()
    })

    test('a project of 10,000 jobs pages as GitLab does, and a page switch shows that page', async () => {
      const { fake } = server
      fake.seed.project({ path: 'big/project', visibility: 'public' })
      for (let p = 0; p < 100; p++)
        fake.seed.pipeline({
          project: 'big/project',
          ref: 'main',
          jobs: Array.from({ length: 100 }, (_, i) => ({
            name: `job ${i}`,
            stage: ['build', 'test', 'deploy'][i % 3] as string,
            status: 'success' as const,
          })),
        })
      const project = fake.store.projectByPath('big/project')?.id as number
      const page = await open(`/__fake/#/projects/${project}`)
      await page.waitForSelector('.pager .where')
      expect(await page.textContent('.pager .where')).toBe('Page 1 of 500')
      expect((await jobsShown(page)).length).toBe(20)

      await page.fill('.pager input[name="page"]', '250')
      await page.press('.pager input[name="page"]', 'Enter')
      await page.waitForFunction(
        () => document.querySelector('.pager .where')?.textContent === 'Page 250 of 500',
      )
      const api = (await (
        await fetch(`${server.url}/api/v4/projects/${project}/jobs?page=250&per_page=20`, {
          headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
        })
      ).json()) as { id: number }[]
      const shown = await page.$$eval('a.job', (links) =>
        links.map((a) => Number(a.getAttribute('data-job'))),
      )
      expect(shown.sort((a, b) => a - b)).toEqual(api.map((j) => j.id).sort((a, b) => a - b))

      await page.click('.pager a[rel="next"]')
      await page.waitForFunction(
        () => document.querySelector('.pager .where')?.textContent === 'Page 251 of 500',
      )
      await page.selectOption('#per-page', '100')
      await page.click('.filters button[type="submit"]')
      await page.waitForFunction(
        () => document.querySelector('.pager .where')?.textContent === 'Page 1 of 100',
      )
      expect((await jobsShown(page)).length).toBe(100)
      // Each page asked the API for that page only.
      const asked = server.fake.journal
        .page({ path: `/api/v4/projects/${project}/jobs` }, { after: 0, limit: 100 })
        .entries.filter((e) => e.headers['user-agent']?.includes('Chrome'))
        .map((e) => `${e.query.page}/${e.query.per_page}`)
      expect(asked).toEqual(['1/20', '250/20', '251/20', '1/100'])
      expect(session.errors).toEqual([])
      await page.close()
    })

    test('reset from the page through the control API', async () => {
      const page = await open('/__fake/#/projects/1/jobs/16')
      await page.waitForSelector('button:text-is("Play")')
      await page.click('button:text-is("Play")')
      await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent !== 'manual')
      await page.click('#reset')
      await page.waitForFunction(() =>
        document.getElementById('status')?.textContent?.includes('initial dataset'),
      )
      expect(server.fake.store.jobs.get(16)?.status).toBe('manual')
      await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent === 'manual')
      await page.close()
    })
  })

  describe('the control API from another origin', () => {
    // A second Chromium in which *.example names this machine: pages of sites that are not
    // loopback names, served by the static server (as a site behind DNS rebinding would be).
    let other: ChromiumSession
    beforeAll(async () => {
      other = await launchChromium({ args: ['--host-resolver-rules=MAP *.example 127.0.0.1'] })
    })
    afterAll(async () => {
      await other?.close()
    })

    test('a page on another loopback origin resets the fake and loads a fixture (preflight included)', async () => {
      server.fake.runner.start(12)
      expect(server.fake.store.jobs.get(12)?.status).toBe('running')
      log.length = 0
      const page = await other.newPage()
      await page.goto(`${statics.url}/drive.html`)
      const result = await page.evaluate(async (fake) => {
        const reset = await fetch(`${fake}/__fake/reset`, { method: 'POST' })
        // JSON: not a "simple request", so Chromium asks first (OPTIONS).
        const loaded = await fetch(`${fake}/__fake/fixtures`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ users: [{ username: 'from-a-page', tokens: ['page-token'] }] }),
        })
        const journal = await fetch(`${fake}/__fake/requests?limit=1`)
        return { reset: [reset.status, await reset.text()], loaded: loaded.status, journal: journal.status }
      }, server.url)
      expect(result).toEqual({ reset: [200, '{"reset":true}'], loaded: 201, journal: 200 })
      expect(server.fake.store.jobs.get(12)?.status).toBe('pending')
      expect(server.fake.store.userByUsername('from-a-page')).toBeDefined()
      expect(log).toEqual([
        'POST /__fake/reset 200',
        'OPTIONS /__fake/fixtures 204',
        'POST /__fake/fixtures 201',
        'GET /__fake/requests?limit=1 200',
      ])
      expect(other.errors).toEqual([])
      await page.close()
    })

    test('a page of another site is refused and changes nothing; one allowed with allowOrigins may', async () => {
      const lines: string[] = []
      const port = new URL(statics.url).port
      const allowing = await listen({
        port: 0,
        allowOrigins: [`http://allowed.example:${port}`],
        log: (line) => lines.push(line.replace(/ [\d.]+ms.*$/, '')),
      })
      const drive = (page: Page) =>
        page.evaluate(async (url) => {
          const attempt = async (path: string, init: RequestInit) => {
            try {
              return String((await fetch(url + path, init)).status)
            } catch (error) {
              return String(error)
            }
          }
          return [
            // A "simple request": sent without asking first; the fake must refuse it itself.
            await attempt('/__fake/reset', { method: 'POST' }),
            await attempt('/__fake/fixtures', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ users: [{ username: 'planted', tokens: ['planted-token'] }] }),
            }),
          ]
        }, allowing.url)
      try {
        allowing.fake.runner.start(12)
        const page = await other.newPage()
        await page.goto(`http://evil.example:${port}/drive.html`)
        expect(await drive(page)).toEqual(['TypeError: Failed to fetch', 'TypeError: Failed to fetch'])
        expect(lines).toEqual(['POST /__fake/reset 403', 'OPTIONS /__fake/fixtures 403'])
        expect(allowing.fake.store.jobs.get(12)?.status).toBe('running')
        expect(allowing.fake.store.userByUsername('planted')).toBeUndefined()
        other.errors.length = 0
        lines.length = 0

        await page.goto(`http://allowed.example:${port}/drive.html`)
        expect(await drive(page)).toEqual(['200', '201'])
        expect(lines).toEqual([
          'POST /__fake/reset 200',
          'OPTIONS /__fake/fixtures 204',
          'POST /__fake/fixtures 201',
        ])
        expect(allowing.fake.store.jobs.get(12)?.status).toBe('pending')
        expect(allowing.fake.store.userByUsername('planted')).toBeDefined()
        expect(other.errors).toEqual([])
        await page.close()
      } finally {
        await allowing.close({ graceMs: 0 })
      }
    })
  })

  describe('offline: from a static server, the fake in the page under the worker', () => {
    test('lists jobs, opens a trace, plays a manual job, downloads an archive, resets', async () => {
      const page = await session.newPage()
      await page.goto(`${statics.url}/`)
      await page.waitForSelector('table.list a[href="#/projects/1"]', { timeout: 30_000 })
      expect(await page.textContent('#mode')).toBe('in this page (offline)')
      await page.click('a[href="#/projects/1"]')
      await page.waitForSelector('a.job[data-job="9"]')
      const api = await page.evaluate(async () => {
        const response = await fetch('/api/v4/projects/1/jobs?per_page=20', {
          headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
        })
        return ((await response.json()) as { id: number; name: string; status: string }[]).map(
          (j) => `${j.name} #${j.id} ${j.status}`,
        )
      })
      expect((await jobsShown(page)).sort()).toEqual(api.sort())
      await session.screenshot(page, 'page-offline-pipelines')

      // A trace.
      await page.click('a.job[data-job="9"]')
      await page.waitForSelector('#trace')
      await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('#9'))
      const trace = await page.evaluate(async () => {
        const response = await fetch('/api/v4/projects/1/jobs/9/trace', {
          headers: { 'PRIVATE-TOKEN': 'root-token' },
        })
        return response.text()
      })
      expect(trace.length).toBeGreaterThan(0)
      expect(await page.textContent('#trace')).toBe(trace)

      // A download, byte for byte what the fake in the page holds.
      await page.goto(`${statics.url}/#/projects/1/jobs/18`)
      await page.waitForSelector('#download', { timeout: 30_000 })
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
      const saved = readFileSync((await download.path()) as string)
      const own = await page.evaluate(async () => {
        const fake = (window as unknown as { gitlabFake: { handle(r: Request): Promise<Response> } })
          .gitlabFake
        const response = await fake.handle(
          new Request(`${location.origin}/api/v4/projects/1/jobs/18/artifacts`, {
            headers: { 'PRIVATE-TOKEN': 'root-token' },
          }),
        )
        return [...new Uint8Array(await response.arrayBuffer())]
      })
      expect(saved.equals(Buffer.from(own))).toBe(true)

      // Play a manual job and see its new status.
      await page.goto(`${statics.url}/#/projects/1/jobs/16`)
      await page.waitForSelector('button:text-is("Play")', { timeout: 30_000 })
      await page.click('button:text-is("Play")')
      await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent !== 'manual')
      expect(['pending', 'running']).toContain(await page.textContent('h1 .badge'))
      await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent === 'running', null, {
        timeout: 15_000,
      })
      await session.screenshot(page, 'page-offline-job')

      // The tab keeps the data across a reload (startWorker's persist)…
      await page.reload()
      await page.waitForSelector('h1 .badge', { timeout: 30_000 })
      expect(await page.textContent('h1 .badge')).not.toBe('manual')

      // …until a reset through the control API, answered in the page.
      await page.click('#reset')
      await page.waitForFunction(() =>
        document.getElementById('status')?.textContent?.includes('initial dataset'),
      )
      await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent === 'manual')
      await page.reload()
      await page.waitForSelector('h1 .badge', { timeout: 30_000 })
      expect(await page.textContent('h1 .badge')).toBe('manual')

      // A change through the control API is saved as an API change is: soon, not only at the next
      // request to GitLab's routes or when the page is hidden.
      const controlSaved = await page.evaluate(async () => {
        const key = `gitlab-fake:${location.origin}`
        const response = await fetch('/__fake/fixtures', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ users: [{ username: 'kept-by-control', tokens: ['kept-token'] }] }),
        })
        await new Promise((resolve) => setTimeout(resolve, 20))
        return [response.status, sessionStorage.getItem(key)?.includes('kept-by-control') ?? false]
      })
      expect(controlSaved).toEqual([201, true])
      expect(session.errors).toEqual([])
      await page.close()
    })
  })
})

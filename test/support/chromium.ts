import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { CHROMIUM, FLAGS } from './chromium-flags.mjs'

export { CHROMIUM }

/**
 * Debian's Chromium under playwright-core, for the browser tests (`npm run test:browser`).
 * Tests that use it are declared with `describeWithTool('chromium', …)` from tools.ts.
 */

/** Where the browser tests leave their screenshots (kept as test output, not committed). */
export const SCREENSHOTS = resolve('test-output/screenshots')

export interface ChromiumSession {
  readonly browser: Browser
  readonly context: BrowserContext
  /** A new page that fails the test on an uncaught page error; console errors are collected. */
  newPage(): Promise<Page>
  /** Console messages of type `error` and uncaught errors seen so far, across pages. */
  readonly errors: string[]
  /** Saves a screenshot of `page` under test-output/screenshots/NAME.png; answers its path. */
  screenshot(page: Page, name: string): Promise<string>
  close(): Promise<void>
}

/** `args`: flags beyond the usual ones, e.g. `--host-resolver-rules=MAP *.example 127.0.0.1`. */
export async function launchChromium(options: { args?: readonly string[] } = {}): Promise<ChromiumSession> {
  const profile = mkdtempSync(join(tmpdir(), 'gitlab-fake-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...(options.args ?? [])],
    viewport: { width: 1280, height: 900 },
  })
  const browser = context.browser() as Browser
  const errors: string[] = []
  return {
    browser,
    context,
    errors,
    async newPage() {
      const page = await context.newPage()
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text())
      })
      page.on('pageerror', (error) => errors.push(String(error)))
      return page
    },
    async screenshot(page, name) {
      mkdirSync(SCREENSHOTS, { recursive: true })
      const path = join(SCREENSHOTS, `${name}.png`)
      await page.screenshot({ path, fullPage: true })
      return path
    },
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

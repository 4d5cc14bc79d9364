import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type ChromiumSession, launchChromium } from '../support/chromium.js'
import { describeWithTool } from '../support/tools.js'

describeWithTool('chromium', 'Chromium under playwright-core', () => {
  let session: ChromiumSession
  beforeAll(async () => {
    session = await launchChromium()
  })
  afterAll(async () => {
    await session?.close()
  })

  test('loads a page from a loopback server and runs its script', async () => {
    const server = createServer((_, res) => {
      res.setHeader('content-type', 'text/html')
      res.end('<!doctype html><title>t</title><p id="p"></p><script>p.textContent = String(6 * 7)</script>')
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    try {
      const page = await session.newPage()
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
      expect(await page.textContent('#p')).toBe('42')
      expect(session.errors).toEqual([])
    } finally {
      server.close()
    }
  })
})

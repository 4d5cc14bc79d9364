// Debian's Chromium and the flags it runs with here, headless as root on a machine without a GPU
// or a network beyond loopback: for the browser tests (test/support/chromium.ts) and the bench.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

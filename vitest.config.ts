import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser tests run with `npm run test:browser` (vitest.browser.config.ts).
    exclude: ['test/browser/**', '**/node_modules/**'],
    globalSetup: ['test/support/tools-setup.ts'],
    setupFiles: ['test/support/seeding-setup.ts'],
    pool: 'threads',
    testTimeout: 20_000,
  },
})

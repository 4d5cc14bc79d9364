import { defineConfig } from 'vitest/config'

/** `npm run test:browser`: the tests in real Chromium (Debian's `chromium`, driven by playwright-core). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/support/tools-setup.ts'],
    setupFiles: ['test/support/seeding-setup.ts'],
    pool: 'forks',
    // One Chromium at a time: the machines have two cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})

import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

/** The README's node:test setup runs as written with `node --test`, on the built package. */
test('node --test runs the README setup and passes', async () => {
  const file = fileURLToPath(new URL('./node-test-snippet.mjs', import.meta.url))
  const { code, out } = await new Promise<{ code: number; out: string }>((resolve) => {
    // TAP on every Node: from Node 23 the default reporter is spec, terminal or not.
    execFile(
      process.execPath,
      ['--test', '--test-reporter=tap', file],
      { timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    )
  })
  expect(out).toContain('# pass 3')
  expect(code).toBe(0)
})

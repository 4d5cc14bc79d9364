import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

/**
 * A machine without python3-gitlab, as a newcomer's: vitest on python-gitlab's test file alone,
 * with the tool hidden (GITLAB_FAKE_HIDE_TOOLS). Without CI the file is skipped with one line
 * naming the tool and its package; under CI=true the run fails, naming them.
 */

const root = fileURLToPath(new URL('../..', import.meta.url))
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url))
const FILE = 'test/server/python-gitlab.test.ts'

interface Run {
  code: number
  output: string
}

function vitestRun(env: Record<string, string>): Promise<Run> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'CI' && !name.startsWith('VITEST')),
  )
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [vitest, 'run', FILE],
      {
        cwd: root,
        env: { ...inherited, NO_COLOR: '1', GITLAB_FAKE_HIDE_TOOLS: 'python3-gitlab', ...env },
        timeout: 50_000,
      },
      (error, stdout, stderr) => {
        resolve({
          code: error ? ((error as { code?: number }).code ?? 1) : 0,
          output: `${stdout}\n${stderr}`,
        })
      },
    )
  })
}

test('without python3-gitlab: skipped with one line, or a failed run under CI=true', async () => {
  const [newcomer, ci] = await Promise.all([vitestRun({}), vitestRun({ CI: 'true' })])

  expect(newcomer.code, newcomer.output).toBe(0)
  const skipLine = 'skipped: python-gitlab tests need python3-gitlab (apt-get install python3-gitlab)'
  expect(newcomer.output.split(skipLine)).toHaveLength(2)
  expect(newcomer.output).toMatch(/Tests\s+1 skipped/)

  expect(ci.code, ci.output).not.toBe(0)
  expect(ci.output).toContain(
    'python-gitlab tests need python3-gitlab, which is missing (apt-get install python3-gitlab)',
  )
  expect(ci.output).toMatch(/Tests\s+1 failed/)

  for (const run of [newcomer, ci]) {
    expect(run.output).toContain(FILE)
    expect(run.output).not.toContain('newcomer.test.ts')
  }
}, 60_000)

import { execFile, execFileSync } from 'node:child_process'
import { accessSync, constants, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { beforeEach, describe, inject } from 'vitest'

/**
 * The tools from outside npm that some tests run, and what to do when one is missing.
 *
 * A test that needs one declares it: `describeWithTool(tool, name, fn)` for a block,
 * `withTool(tool, check)` for one check inside a test. When the tool is there, the block or check
 * runs. When it is missing:
 * - without `CI=true`, the block or check is skipped and one line names the tool and the Debian
 *   package that brings it, e.g. `skipped: python-gitlab tests need python3-gitlab (apt-get install
 *   python3-gitlab)`, once per tool and run;
 * - under `CI=true`, the tests fail with that tool and package named, so a green CI run means they
 *   ran.
 *
 * `GITLAB_FAKE_HIDE_TOOLS=python3-gitlab,curl` makes the named tools count as missing even where
 * they are installed.
 */

/** The interpreter python-gitlab's tests run: Debian's, where python3-gitlab installs. */
export const PYTHON_GITLAB_INTERPRETER = '/usr/bin/python3'

/** Runs a python-gitlab script of the tests with its arguments; resolves with the JSON it prints. */
export function pythonGitlab(script: string, args: readonly string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON_GITLAB_INTERPRETER, [script, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`))
      else resolve(JSON.parse(stdout))
    })
  })
}

const TOOLS = {
  curl: { package: 'curl', tests: 'the documented curl commands', present: () => onPath('curl') },
  python3: { package: 'python3', tests: 'the python3 zip checks', present: () => onPath('python3') },
  chromium: { package: 'chromium', tests: 'the browser tests', present: () => onPath('chromium') },
  'python3-gitlab': {
    package: 'python3-gitlab',
    tests: 'python-gitlab tests',
    present: () => runs(PYTHON_GITLAB_INTERPRETER, ['-c', 'import gitlab']),
  },
} satisfies Record<string, { package: string; tests: string; present: () => boolean }>

export type Tool = keyof typeof TOOLS

function isTool(name: string): name is Tool {
  return Object.hasOwn(TOOLS, name)
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (dir === '') return false
    try {
      accessSync(join(dir, command), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

function runs(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 10_000 })
    return true
  } catch {
    return false
  }
}

function hidden(): Set<Tool> {
  const names = (process.env.GITLAB_FAKE_HIDE_TOOLS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  for (const name of names) {
    if (!isTool(name)) {
      throw new Error(
        `GITLAB_FAKE_HIDE_TOOLS: unknown tool ${name} (known: ${Object.keys(TOOLS).join(', ')})`,
      )
    }
  }
  return new Set(names as Tool[])
}

const detected = new Map<Tool, boolean>()

/** Whether `tool` can be run here (detected once per test file). */
export function hasTool(tool: Tool): boolean {
  let present = detected.get(tool)
  if (present === undefined) {
    present = !hidden().has(tool) && TOOLS[tool].present()
    detected.set(tool, present)
  }
  return present
}

function inCI(): boolean {
  return process.env.CI === 'true'
}

function install(tool: Tool): string {
  return `apt-get install ${TOOLS[tool].package}`
}

function missing(tool: Tool): Error {
  return new Error(
    `${TOOLS[tool].tests} need ${tool}, which is missing (${install(tool)}); ` +
      'under CI=true a missing tool fails the run',
  )
}

/** Prints the skip line, once per tool and run (the global setup gives the run's folder of notes). */
function noteSkipped(tool: Tool): void {
  const notes = inject('toolNotes')
  if (notes !== undefined) {
    try {
      writeFileSync(join(notes, tool), '', { flag: 'wx' })
    } catch {
      return
    }
  }
  console.warn(`skipped: ${TOOLS[tool].tests} need ${tool} (${install(tool)})`)
}

/** `describe(name, fn)` for tests that need `tool`. */
export function describeWithTool(tool: Tool, name: string, fn: () => void): void {
  if (hasTool(tool)) {
    describe(name, fn)
  } else if (inCI()) {
    describe(name, () => {
      beforeEach(() => {
        throw missing(tool)
      })
      fn()
    })
  } else {
    noteSkipped(tool)
    describe.skip(name, fn)
  }
}

/** Runs `check`, one part of a test, when `tool` is there; see the comment at the top. */
export function withTool<T>(tool: Tool, check: () => T): T | undefined {
  if (hasTool(tool)) return check()
  if (inCI()) throw missing(tool)
  noteSkipped(tool)
  return undefined
}

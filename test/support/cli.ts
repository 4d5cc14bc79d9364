import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { once } from 'node:events'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'

/** `npx gitlab-fake`, the built command, as a CI pipeline starts it. */
export const CLI = fileURLToPath(new URL('../../dist/node/cli.js', import.meta.url))

export type CliChild = ChildProcessByStdio<null, Readable, Readable>

/** Starts it on a free port; resolves with the URL of its first line once it has printed everything. */
export async function startCli(
  args: string[],
): Promise<{ child: CliChild; url: string; out: () => string; err: () => string }> {
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stderr.on('data', (d) => {
    err += d
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('Ctrl-C')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)))
  })
  return { child, url: out.split('\n')[0] as string, out: () => out, err: () => err }
}

/** Runs it to its end (a start that fails): its exit status, what it wrote on stderr, how long it took. */
export async function runCli(args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr += d
  })
  child.stdout.resume()
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, stderr, ms: performance.now() - started }
}

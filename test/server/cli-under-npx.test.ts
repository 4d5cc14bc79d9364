import { spawn } from 'node:child_process'
import { expect, test } from 'vitest'
import { CLI } from '../support/cli.js'

/**
 * `npx gitlab-fake` runs `sh -c 'gitlab-fake …'` and passes SIGTERM to that shell alone; dash,
 * Debian's sh, exits without passing it on. So `kill $!` after `npx gitlab-fake &` would leave the
 * server running, unless it stops when that shell goes. The shell here always forks (`; exit`), as
 * dash does for npx.
 */

async function answers(url: string): Promise<boolean> {
  return fetch(`${url}/api/v4/version`).then(
    () => true,
    () => false,
  )
}

async function underShell(env: Record<string, string>, check: (url: string) => Promise<void>) {
  const shell = spawn('sh', ['-c', `"${process.execPath}" "${CLI}" --port 0 --quiet; exit $?`], {
    env: { ...process.env, npm_command: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      shell.stdout.on('data', (d) => {
        out += d
        if (out.includes('\n')) resolve(out.split('\n')[0] as string)
      })
      shell.on('exit', (code) => reject(new Error(`exited ${code}`)))
    })
    expect(await answers(url)).toBe(true)
    shell.kill('SIGTERM')
    await check(url)
  } finally {
    try {
      process.kill(-(shell.pid as number), 'SIGKILL')
    } catch {}
  }
}

test('started by npx, it stops when the shell npx started it in is terminated', async () => {
  await underShell({ npm_command: 'exec' }, async (url) => {
    const deadline = Date.now() + 5_000
    while ((await answers(url)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(await answers(url)).toBe(false)
  })
})

test('started otherwise, it outlives the shell, as a server put in the background does', async () => {
  await underShell({}, async (url) => {
    await new Promise((r) => setTimeout(r, 600))
    expect(await answers(url)).toBe(true)
  })
})

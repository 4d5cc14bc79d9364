#!/usr/bin/env node
// The package as a user gets it: `npm pack`, then the tarball installed into an empty project with
// its dependencies from the registry (and msw, which a user installs beside it), then run there:
// imported, served with `npx gitlab-fake`, stopped with SIGTERM. Run by `npm run test:pack` and CI.
// Prints a line per check and ends with "pack check: N passed, N failed"; exits 1 on a failure.
import { execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const root = fileURLToPath(new URL('../..', import.meta.url))
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
// The msw the test suite runs with, as a user installs it beside gitlab-fake.
const mswRange = pkg.devDependencies?.msw ?? pkg.dependencies?.msw
const started = performance.now()
const results = { passed: 0, failed: 0 }

// What the npm that may have started this script (`npm run test:pack`) says of this project stays
// here; its settings (registry, cache, certificates) go on to the npm run in the empty project.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/^npm_(?:package_|lifecycle_|command$|config_local_prefix$|config_call$)/i.test(name),
  ),
)

async function check(name, run) {
  const at = performance.now()
  try {
    await run()
    results.passed++
    console.log(`ok    ${name} (${seconds(at)})`)
  } catch (error) {
    results.failed++
    console.log(
      `FAIL  ${name} (${seconds(at)})\n      ${String(error?.message ?? error).replace(/\n/g, '\n      ')}`,
    )
  }
}

function seconds(since) {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`
}

function assert(condition, message) {
  if (!condition) throw new Error(message)
}

async function run(command, args, cwd) {
  try {
    return (await promisify(execFile)(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 })).stdout
  } catch (error) {
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${error.code}):\n${error.stderr || error.stdout}`,
    )
  }
}

/** The README's relative link targets (the same reading as test/package/contents.test.ts). */
function readmeLinks() {
  const markdown = readFileSync(join(root, 'README.md'), 'utf8')
  return [
    ...[...markdown.matchAll(/\]\(\s*(?:<([^>\n]*)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)].map(
      (m) => m[1] ?? m[2],
    ),
    ...[...markdown.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]),
  ]
    .filter((target) => !/^(?:[a-z][a-z0-9+.-]*:|#|\/\/)/i.test(target))
    .map((target) => decodeURI(target.replace(/[#?].*$/, '').replace(/^\.\//, '')))
}

/** `npx gitlab-fake --port 0` in the project: its URL, a job read over HTTP, then SIGTERM. */
async function serveAndStop(project) {
  // A process group of its own, so that nothing it starts outlives the check.
  const child = spawn('npx', ['gitlab-fake', '--port', '0'], {
    cwd: project,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const within = (promise, ms, what) =>
    Promise.race([
      promise,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`${what}: nothing after ${ms / 1000} s\n${stdout}${stderr}`)),
          ms,
        ).unref(),
      ),
    ])
  try {
    const url = await within(
      new Promise((resolve, reject) => {
        child.stdout.on('data', () => {
          const line = stdout.split('\n')
          if (line.length > 1) resolve(line[0])
        })
        exited.then(({ code }) =>
          reject(new Error(`it exited (${code}) before printing its URL:\n${stderr}`)),
        )
      }),
      60_000,
      'its URL',
    )
    assert(/^http:\/\/127\.0\.0\.1:\d+$/.test(url), `the first line is not its URL: ${JSON.stringify(url)}`)
    const response = await fetch(`${url}/api/v4/projects/1/jobs/8`, {
      headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
    })
    const body = await response.text()
    assert(response.status === 200, `GET /api/v4/projects/1/jobs/8 answered ${response.status}: ${body}`)
    assert(JSON.parse(body).id === 8, `GET /api/v4/projects/1/jobs/8 answered another job: ${body}`)
    // The fake's own page, from the installed package's dist/page.
    const page = await fetch(`${url}/__fake/`)
    const html = await page.text()
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1]
    assert(page.status === 200 && script, `GET /__fake/ answered ${page.status}: ${html.slice(0, 200)}`)
    const asset = await fetch(`${url}/__fake/${script}`)
    await asset.arrayBuffer()
    assert(asset.status === 200, `GET /__fake/${script} answered ${asset.status}`)

    // As `kill $!` after `npx gitlab-fake &` would: the signal goes to npx alone.
    child.kill('SIGTERM')
    const { code, signal } = await within(exited, 15_000, 'stopping on SIGTERM')
    assert(code === 0 || signal === 'SIGTERM', `npx ended with ${code ?? signal}:\n${stderr}`)
    const answers = () =>
      fetch(`${url}/api/v4/version`, { signal: AbortSignal.timeout(1_000) }).then(
        () => true,
        () => false,
      )
    const deadline = performance.now() + 5_000
    while ((await answers()) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    assert(!(await answers()), `5 s after SIGTERM to npx, the server at ${url} still answers`)
  } finally {
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {}
  }
}

const work = mkdtempSync(join(tmpdir(), 'gitlab-fake-pack-'))
try {
  let tarball
  let files = new Set()
  await check('npm pack (with the prepare build)', async () => {
    const [packed] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', work], root))
    tarball = join(work, packed.filename)
    files = new Set(packed.files.map((file) => file.path))
    console.log(`      ${packed.filename}: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} kB`)
  })

  await check('the tarball holds LICENSE, README.md and every file the README links to', () => {
    const missing = ['LICENSE', 'README.md', 'package.json', ...readmeLinks()].filter(
      (file) => !files.has(file),
    )
    assert(missing.length === 0, `missing: ${missing.join(', ')}`)
  })

  const project = join(work, 'project')
  await check(`npm install of the tarball and msw@${mswRange} into an empty project`, async () => {
    assert(tarball, 'no tarball')
    mkdirSync(project)
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'pack-check', private: true })}\n`)
    await run('npm', ['install', '--no-audit', '--no-fund', tarball, `msw@${mswRange}`], project)
  })

  await check("import('gitlab-fake'): createGitLabFake() answers a job through handle()", async () => {
    const script = `import('gitlab-fake').then(async (m) => {
      const gitlab = m.createGitLabFake()
      const response = await gitlab.handle(new Request(gitlab.apiUrl + '/projects/1/jobs/8', {
        headers: { 'PRIVATE-TOKEN': 'maintainer-token' },
      }))
      const node = await import('gitlab-fake/node')
      console.log(JSON.stringify({ status: response.status, id: (await response.json()).id, listen: typeof node.listen }))
    })`
    const out = JSON.parse(await run(process.execPath, ['-e', script], project))
    assert(
      out.status === 200 && out.id === 8 && out.listen === 'function',
      `expected job 8 with 200 and gitlab-fake/node's listen, got ${JSON.stringify(out)}`,
    )
  })

  await check(
    'npx gitlab-fake --port 0: prints its URL, answers GET /api/v4/projects/1/jobs/8, serves its page, stops on SIGTERM',
    () => serveAndStop(project),
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}

console.log(`pack check: ${results.passed} passed, ${results.failed} failed (${seconds(started)})`)
process.exitCode = results.failed === 0 ? 0 : 1

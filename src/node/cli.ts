#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { type GitLabVersion, gitlabVersions, profiles } from '../profiles/index.js'

const HELP = `Usage: gitlab-fake [options]

Serves a fake GitLab (Jobs API) over HTTP. The first line printed is its URL.

Options:
  --gitlab VERSION     the GitLab version to answer as: "13.0" (the default) or "latest"
                       (today's GitLab)
  --port N             port to listen on (default 4000; 0 picks a free port)
  --host H             address to listen on (default 127.0.0.1); 0.0.0.0 or :: reach it from
                       the network, and then the control API too (see --no-control)
  --data FILE          load a fixture file (JSON, or YAML for .yml/.yaml; a regular file of at
                       most 64 MiB); repeat for more files
  --dataset NAME       "default" (the documented dataset of the version: 13.0's, or today's
                       with --gitlab latest) or "empty" (default: default)
  --seed N             seed for the values faker fills in, so that they repeat
  --base-url URL       GitLab's external URL, used in web_url and Link (default: the Host each
                       client sent, else the listening address)
  --no-control         turn off the control API under /__fake/
  --allow-origin O     let web pages of origin O (e.g. https://app.example) use the control API;
                       repeat for more, "*" allows any. Loopback origins (http://localhost:*,
                       http://127.0.0.1:*, http://[::1]:*, https too) always may
  --grace SECONDS      on SIGINT or SIGTERM, how long the requests in flight may take to finish
                       before their connections are dropped (default 5); a second signal stops
                       it at once, with exit status 1
  --clock MODE         "real" (the default: jobs run and finish on their own) or "manual" (time
                       stands still until POST /__fake/clock moves it)
  --now ISO            where the clock starts, e.g. 2015-12-24T18:00:00Z (default: now)
  --progress MODE      what moves a job that has a run plan: "clock" (the default), "reads"
                       (a step every --reads N reads of the job, for clients that only poll)
                       or "manual" (POST /__fake/runner/jobs/ID/start|log|finish only)
  --reads N            with --progress reads: reads of a job per step (default 1)
  --max-artifacts-size MB
                       GitLab's max_artifacts_size: a fixture asking for a larger artifact or
                       trace is refused (default 100)
  --max-load-size MB   megabytes of artifacts one fixture may ask to be built, in all
                       (default 256)
  --feature NAME       turn on one of GitLab's feature flags, as an admin would (all are off by
                       default, as on a self-managed install); repeat for more. GitLab 13.0's:
                       api_kaminari_count_with_limit (above 10,000 rows, lists leave out X-Total,
                       X-Total-Pages and rel="last", as GitLab.com does); latest's:
                       workhorse_download_etag_caching (artifact downloads carry ETag: "<sha256>"
                       and answer a matching If-None-Match with 304)
  --jobs-api-rate-limit N
                       with --gitlab latest: GitLab's project_jobs_api_rate_limit, the
                       GET /projects/:id/jobs requests one user may make a minute (of the fake's
                       clock) before a 429 with Retry-After: 60 (default 600, as GitLab; 0
                       turns it off)
  --quiet              no line per request on stderr
  -h, --help           show this help

Control API (unless --no-control; only for requests whose Host names this server, and from
pages of allowed origins):
  POST   /__fake/reset       back to the initial dataset
  POST   /__fake/fixtures    add a fixture document (JSON body); answers the ids created
  GET    /__fake/requests    the request journal, oldest first, a page at a time
                             (?method=GET&path=/api/v4/projects/*/jobs&limit=1000&after=ID;
                             limit 1000 by default, at most 10000; when more match, the
                             X-Next-After header holds the after= of the next page and Link
                             its URL; faulted=true: only the requests that met a fault)
  DELETE /__fake/requests    clear the journal
  GET    /__fake/state       the whole dataset as a fixture document
  POST   /__fake/faults      add a fault rule (JSON body: README, "Faults"); answers it with its id
  GET    /__fake/faults      the rules, with how far each has gone (/__fake/faults/ID: one)
  DELETE /__fake/faults      remove every rule (/__fake/faults/ID: one)
  POST   /__fake/faults/rewind  take every rule back to its start
  GET    /__fake/clock       the fake's clock: {"now": ISO, "mode": "real"|"manual"}
  POST   /__fake/clock       move it: {"advance": "90s"} or {"now": "2015-12-24T18:00:00Z"}
  POST   /__fake/artifacts/expire  run GitLab's artifact expiry worker now
  POST   /__fake/runner/jobs/ID/start    a runner takes the pending job ({"runner": 1})
  POST   /__fake/runner/jobs/ID/log      the running job writes {"text": "line\\n"}
  POST   /__fake/runner/jobs/ID/finish   it ends: {"status": "success"|"failed", "artifacts":
                             [fixture artifacts], "expire_in": "1 week"}
`

/** A start that cannot go on: the reason, and exit status 2. */
function fail(message: string, help = false): never {
  process.stderr.write(`gitlab-fake: ${message}\n${help ? `\n${HELP}` : ''}`)
  process.exit(2)
}

function parse() {
  try {
    return parseArgs({
      options: {
        gitlab: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string', multiple: true },
        dataset: { type: 'string' },
        seed: { type: 'string' },
        'base-url': { type: 'string' },
        'no-control': { type: 'boolean' },
        'allow-origin': { type: 'string', multiple: true },
        grace: { type: 'string' },
        clock: { type: 'string' },
        now: { type: 'string' },
        progress: { type: 'string' },
        reads: { type: 'string' },
        'jobs-api-rate-limit': { type: 'string' },
        'max-artifacts-size': { type: 'string' },
        'max-load-size': { type: 'string' },
        feature: { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (error) {
    return fail((error as Error).message, true)
  }
}

const flags = parse()
if (flags.help) {
  process.stdout.write(HELP)
  process.exit(0)
}
const gitlab = (flags.gitlab ?? '13.0') as GitLabVersion
if (!gitlabVersions.includes(gitlab))
  fail(`--gitlab must be ${gitlabVersions.map((v) => `"${v}"`).join(' or ')}, got "${flags.gitlab}"`, true)
const port = flags.port === undefined ? 4000 : Number(flags.port)
if (!/^\d+$/.test(flags.port ?? '0') || port > 65535)
  fail(`--port must be a port number, got "${flags.port}"`, true)
const seed = flags.seed === undefined ? undefined : Number(flags.seed)
if (seed !== undefined && !Number.isInteger(seed))
  fail(`--seed must be an integer, got "${flags.seed}"`, true)
const dataset = flags.dataset ?? 'default'
if (dataset !== 'default' && dataset !== 'empty')
  fail(`--dataset must be "default" or "empty", got "${dataset}"`, true)
const baseUrl = flags['base-url']
if (baseUrl !== undefined && !/^https?:\/\/[^/]/.test(baseUrl))
  fail(`--base-url must be an http(s) URL, got "${baseUrl}"`, true)
const grace = flags.grace === undefined ? 5 : Number(flags.grace)
if (!/^\d+(\.\d+)?$/.test(flags.grace ?? '0') || grace > 3600)
  fail(`--grace must be a number of seconds from 0 to 3600, got "${flags.grace}"`, true)
const allowOrigins = flags['allow-origin'] ?? []
for (const origin of allowOrigins) {
  if (origin !== '*' && origin !== 'null' && !/^https?:\/\/[^/?#\s]+\/?$/i.test(origin))
    fail(`--allow-origin must be an origin such as https://app.example, "null" or "*", got "${origin}"`, true)
}

function megabytes(flag: 'max-artifacts-size' | 'max-load-size'): number | undefined {
  const raw = flags[flag]
  if (raw === undefined) return undefined
  const mb = Number(raw)
  if (!/^\d+(\.\d+)?$/.test(raw) || !(mb > 0))
    fail(`--${flag} must be a positive number of megabytes, got "${raw}"`, true)
  return mb
}
const clock = flags.clock ?? 'real'
if (clock !== 'real' && clock !== 'manual') fail(`--clock must be "real" or "manual", got "${clock}"`, true)
const startAt = flags.now === undefined ? undefined : Date.parse(flags.now)
if (startAt !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(flags.now ?? '') || !Number.isFinite(startAt)))
  fail(`--now must be an ISO 8601 time such as 2015-12-24T18:00:00Z, got "${flags.now}"`, true)
const progress = flags.progress ?? 'clock'
if (progress !== 'clock' && progress !== 'reads' && progress !== 'manual')
  fail(`--progress must be "clock", "reads" or "manual", got "${progress}"`, true)
const reads = flags.reads === undefined ? 1 : Number(flags.reads)
if (!/^\d+$/.test(flags.reads ?? '1') || reads < 1)
  fail(`--reads must be a whole number ≥ 1, got "${flags.reads}"`, true)
const rateLimitFlag = flags['jobs-api-rate-limit']
if (rateLimitFlag !== undefined && !profiles[gitlab].rateLimits.jobsIndex)
  fail(
    `--jobs-api-rate-limit: GitLab ${gitlab} has no project jobs API rate limit (it is for --gitlab latest)`,
    true,
  )
if (rateLimitFlag !== undefined && !/^\d{1,9}$/.test(rateLimitFlag))
  fail(`--jobs-api-rate-limit must be a whole number ≥ 0 (0: no limit), got "${rateLimitFlag}"`, true)
const maxArtifactsSize = megabytes('max-artifacts-size')
const maxLoadSize = megabytes('max-load-size')

/** A fixture file larger than this is refused before it is read. */
const MAX_DATA_BYTES = 64 * 1024 * 1024

// Loaded after the flags are read, so that --help and a bad flag answer at once.
const [{ serve }, { createGitLabFake }, { FixtureError }, { defaultDatasets }, { loadSeeding }] =
  await Promise.all([
    import('./server.js'),
    import('../fake.js'),
    import('../data/fixture-schema.js'),
    import('../data/default-datasets.js'),
    import('../data/seeder.js'),
  ])
// Fixtures and the control API seed: loaded now, whatever Node's support for require of ES modules.
await loadSeeding()

const knownFlags = Object.keys(profiles[gitlab].featureFlags)
for (const name of flags.feature ?? []) {
  if (!knownFlags.includes(name))
    fail(
      knownFlags.length
        ? `--feature must name a GitLab ${gitlab} feature flag (${knownFlags.join(', ')}), got "${name}"`
        : `--feature: GitLab ${gitlab} has no feature flags the fake knows, got "${name}"`,
      true,
    )
}

const fake = createGitLabFake({
  gitlab,
  seed,
  dataset,
  clock,
  runner: { progress, reads },
  ...(startAt !== undefined && { now: startAt }),
  maxArtifactsSize,
  maxLoadSize,
  featureFlags: Object.fromEntries((flags.feature ?? []).map((name) => [name, true])),
  ...(rateLimitFlag !== undefined && { projectJobsApiRateLimit: Number(rateLimitFlag) }),
  ...(baseUrl ? { baseUrl } : {}),
})
const loaded: string[] = []
// Each file on its own, in order, so that a refusal names its file.
for (const file of flags.data ?? []) {
  let text: string
  try {
    // Checked before reading: /dev/zero would never end and a FIFO would wait for a writer.
    const stat = statSync(file)
    if (!stat.isFile()) fail(`${file}: not a regular file`)
    if (stat.size > MAX_DATA_BYTES)
      fail(`${file}: ${stat.size.toLocaleString('en')} bytes, more than the 64 MiB a fixture file may have`)
    text = readFileSync(file, 'utf8')
  } catch (error) {
    fail(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  const yaml = /\.ya?ml$/i.test(file)
  let document: unknown
  try {
    document = yaml ? (await import('yaml')).parse(text) : JSON.parse(text)
  } catch (error) {
    fail(`${file}: not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`)
  }
  try {
    fake.load(document)
  } catch (error) {
    if (error instanceof FixtureError)
      fail(`${file}: ${error.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`)
    throw error
  }
  loaded.push(file)
}
// What the files added is part of the initial dataset that /__fake/reset restores.
fake.commitInitial()

let running: Awaited<ReturnType<typeof serve>>
try {
  running = await serve(fake, {
    port,
    host: flags.host ?? '127.0.0.1',
    externalUrl: baseUrl,
    control: !flags['no-control'],
    allowOrigins,
    graceMs: grace * 1000,
    log: flags.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
  })
} catch (error) {
  fail(`cannot listen: ${(error as Error).message}`)
}

// Signal handlers first: a client may read the URL and signal at once. The first lets the
// requests in flight finish (for --grace seconds at most); a second stops it at once.
let closing = false
function stop(): void {
  if (closing) process.exit(1)
  closing = true
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
// Under npx, a shell stands between npm and this process (`sh -c 'gitlab-fake …'`): npm passes
// SIGTERM on to that shell, and dash, Debian's sh, exits without passing it to us. The shell's
// end is then the signal.
if (process.env.npm_command === 'exec') {
  const parent = process.ppid
  setInterval(() => {
    if (!closing && process.ppid !== parent) stop()
  }, 200).unref()
}

const { address } = running.server.address() as import('node:net').AddressInfo
if (!flags['no-control'] && !isLoopback(address))
  process.stderr.write(
    `gitlab-fake: warning: listening on ${address}, the control API (which loads data and shows every token) is reachable from the network; --no-control turns it off\n`,
  )

const lines = [running.url]
if (running.externalUrl !== running.url) lines.push(`(its answers name ${running.externalUrl})`)
if (dataset === 'default') {
  const defaultDataset = defaultDatasets[gitlab]
  const project = defaultDataset.projects[0] as (typeof defaultDataset.projects)[number]
  lines.push('', `Tokens (PRIVATE-TOKEN), with their role in ${project.path}:`)
  for (const u of defaultDataset.users) {
    const role =
      'admin' in u && u.admin
        ? 'admin'
        : (project.members.find((m) => m.user === u.username)?.access_level ??
          `not a member of ${project.path}`)
    for (const t of u.tokens) {
      const token =
        typeof t === 'string' ? { token: t, scopes: ['api'], expires_at: null, revoked: false } : t
      lines.push(`  ${token.token.padEnd(18)} ${u.username} (${role})${tokenNote(token)}`)
    }
  }
}
for (const file of loaded) lines.push(`Loaded ${file}`)
if (!flags['no-control'])
  lines.push('', `Its page (projects, pipelines, jobs, requests): ${running.url}/__fake/`)
lines.push('', 'Ctrl-C stops it.')
process.stdout.write(`${lines.join('\n')}\n`)

/** What a token of the dataset may not do: fewer scopes than `api`, an expiry, a revocation. */
function tokenNote(token: {
  scopes: readonly string[]
  expires_at: string | null
  revoked: boolean
}): string {
  const notes = [
    ...(token.scopes.join(' ') === 'api' ? [] : [`scopes ${token.scopes.join(', ')}`]),
    ...(token.expires_at === null ? [] : [`expired on ${token.expires_at}`]),
    ...(token.revoked ? ['revoked'] : []),
  ]
  return notes.length ? `: ${notes.join(', ')}` : ''
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(?:::ffff:)?127\./.test(address)
}

import { http, type RequestHandler } from 'msw'
import type { ApiContext } from './api/context.js'
import { Journal } from './api/journal.js'
import type { Answer, ApiRequest } from './api/responses.js'
import { Router } from './api/router.js'
import { routesFor } from './api/routes.js'
import { loadDatasetRecords } from './data/dataset-records.js'
import { defaultBlobs, defaultRecords } from './data/default-records.js'
import { createFaker } from './data/faker.js'
import type { FixtureDocument } from './data/fixture-schema.js'
import { type RunnerControl, runnerControl } from './data/runner-control.js'
import { type Created, Seeder, seedingNow } from './data/seeder.js'
import { ArtifactExpiry } from './domain/artifact-expiry.js'
import { Clock, type ClockMode, instant } from './domain/clock.js'
import { JobActions } from './domain/job-actions.js'
import { tokenSalt } from './domain/job-token.js'
import { RateLimiter, resolveRateLimits } from './domain/rate-limiter.js'
import { Runner, type RunnerOptions } from './domain/runner.js'
import { fetchResponse } from './faults/connection.js'
import { Faults } from './faults/faults.js'
import { type GitLabVersion, profileFor } from './profiles/index.js'
import type { GitLabProfile } from './profiles/profile.js'
import { isNode, LISTEN_NEEDS_NODE } from './runtime.js'
import type { ServeOptions } from './serve-options.js'
import { Store } from './store/store.js'

export interface GitLabFakeOptions {
  /** GitLab's external URL; the handlers answer under `${baseUrl}/api/v4`. Default `https://gitlab.example.com`. */
  baseUrl?: string
  /** Makes the values faker fills in repeatable. Without it they differ from run to run. */
  seed?: number
  /**
   * `'default'` (the documented dataset of the version: 13.0's, or today's with `gitlab: 'latest'`)
   * or `'empty'`. Default `'default'`.
   */
  dataset?: 'default' | 'empty'
  /**
   * Fixture documents loaded on top of the dataset; they are part of what `reset()` restores. In a
   * browser, `await loadSeeding()` before createGitLabFake() (seeding loads on demand there).
   */
  fixtures?: readonly unknown[]
  /**
   * The fake's clock: `'manual'` (the default in-process) stands still until a test moves it;
   * `'real'` follows real time. Either can be moved with `clock.advance()` and `clock.set()`.
   */
  clock?: ClockMode
  /**
   * Where the clock starts (an ISO 8601 time, epoch milliseconds or a Date; default: the real
   * time of creation); or a function the clock follows instead.
   */
  now?: (() => number | Date) | string | number | Date
  /**
   * The GitLab version to answer as: `'13.0'` (the default) or `'latest'` (today's GitLab). Any
   * other name throws.
   */
  gitlab?: GitLabVersion
  /** A GitLab profile of one's own, instead of `gitlab`. */
  profile?: GitLabProfile
  /**
   * GitLab's feature flags, as an admin sets them (`Feature.enable`); each is off unless set here,
   * as on a self-managed install. GitLab 13.0's: `api_kaminari_count_with_limit` (above 10,000
   * rows, lists leave out `X-Total`, `X-Total-Pages` and `rel="last"`, as on GitLab.com).
   */
  featureFlags?: Readonly<Record<string, boolean>>
  /**
   * GitLab's `max_artifacts_size` setting, in megabytes: a fixture asking for a larger artifact
   * or trace is refused. Default 100, as in GitLab.
   */
  maxArtifactsSize?: number
  /** Megabytes of artifacts and traces one fixture load may ask to be built, in all. Default 256. */
  maxLoadSize?: number
  /**
   * What moves a job that has a run plan and does not say: `'clock'` (the default), `'reads'`
   * (a step every `reads` reads of the job), or `'manual'` (`gitlab.runner` calls only).
   */
  runner?: RunnerOptions
  /**
   * GitLab's `project_jobs_api_rate_limit` application setting (latest only): the
   * GET /projects/:id/jobs requests one user may make a minute before a 429 (default 600, as in
   * GitLab; 0 turns the limit off, as in GitLab). The minutes are the fake's clock's; `reset()`
   * clears the counts.
   */
  projectJobsApiRateLimit?: number
}

export interface GitLabFake {
  readonly baseUrl: string
  /** `${baseUrl}/api/v4` */
  readonly apiUrl: string
  /** MSW handlers: pass them to `setupServer(...)` or `setupWorker(...)`. */
  readonly handlers: RequestHandler[]
  /**
   * Adds data with faker filling what you leave out. In Node it is ready at once; in a browser
   * it loads on demand (with the fixture checks): `await gitlab.seed.ready()` before the first
   * seeding call, `load()` or `state()`.
   */
  readonly seed: Seeder
  /** The records behind the API, for assertions on state. */
  readonly store: Store
  /** The fake's clock: `now()` (epoch milliseconds), `advance('90s')`, `set('2015-12-24T18:00:00Z')`. */
  readonly clock: Clock
  /**
   * The simulated runner, driven by hand as a runner would (whatever the job's progress):
   * `start(jobId)`, `log(jobId, text)`, `finish(jobId, { status, artifacts, expire_in })`.
   */
  readonly runner: RunnerControl
  /**
   * GitLab's expiry worker for job artifacts, which runs at minute 50 of every hour of the clock:
   * `expire()` runs it now and answers how many artifact rows it destroyed; `nextRun()`.
   */
  readonly artifacts: { expire(): number; nextRun(): number }
  /** Adds a fixture document; answers the ids it created. (In a browser, after `seed.ready()`.) */
  load(fixture: FixtureDocument | unknown): Created
  /**
   * Puts a fixture document (what `state()` gave) in place of all the data, e.g. a state saved
   * earlier; answers the ids it created. `reset()` still returns to the dataset. A document that
   * does not load is refused whole, and the data stays as it was. (In a browser, after
   * `seed.ready()`.)
   */
  replace(fixture: FixtureDocument | unknown): Created
  /** Back to the dataset and the clock as they were right after `createGitLabFake()`, exactly. */
  reset(): void
  /** Makes the data as it is now the dataset that `reset()` restores. */
  commitInitial(): void
  /**
   * GitLab's answer to a request, without MSW (undefined outside /api/v4). `externalUrl`: the URL
   * `web_url` and `Link` should name, when clients reach the fake elsewhere than `baseUrl`.
   */
  handle(request: Request, options?: { externalUrl?: string }): Promise<Response | undefined>
  /**
   * The same, for a server of its own: any request object with a method, an absolute URL,
   * headers and a body as text; the answer as status, headers and body.
   */
  answer(request: ApiRequest, options?: { externalUrl?: string }): Answer | Promise<Answer> | undefined
  /** Every request answered, for assertions (`journal.expectCalled({ method, path, times })`). */
  readonly journal: Journal
  /**
   * Failures on the requests a test chooses (`faults.failNext({ path, preset: '502', times: 2 })`);
   * `reset()` keeps them, `faults.clear()` removes them.
   */
  readonly faults: Faults
  /** The whole dataset as a fixture document, to save and load back. (In a browser, after `seed.ready()`.) */
  state(): FixtureDocument
  /**
   * Serves this fake over HTTP (Node only), for clients that MSW cannot intercept. `web_url` and
   * `Link` then name the server's address. Elsewhere it throws at once, naming what to use.
   */
  listen(
    options?: ServeOptions,
  ): Promise<{ url: string; close(options?: { graceMs?: number }): Promise<void> }>
}

export function createGitLabFake(options: GitLabFakeOptions = {}): GitLabFake {
  const profile = resolveProfile(options)
  // The default as it is, normalized: `new URL` costs a millisecond the first time in a page.
  const baseUrl = options.baseUrl === undefined ? DEFAULT_BASE_URL : normalizeBaseUrl(options.baseUrl)
  const clock = createClock(options)
  const now = () => clock.now()
  const store = new Store()
  const runner = new Runner(store, now, options.runner)
  // The runner catches up with the clock when a test moves it, and before each request (a real
  // clock moves without telling).
  clock.onMove((at) => runner.advanceTo(at))
  // GitLab's artifact expiry worker, at its cron times as the clock passes them; after the runner,
  // so that it finds what the jobs uploaded.
  const expiry = new ArtifactExpiry(store, now)
  clock.onMove(() => expiry.catchUp())
  const sync = () => {
    runner.advanceTo(clock.now())
    expiry.catchUp()
  }

  if ((options.dataset ?? 'default') === 'default') {
    // As the seeder made it at build time, so that no faker is needed (src/data/dataset-records.ts).
    // A profile of another version starts from 13.0's, as in src/data/default-datasets.ts.
    const version = Object.hasOwn(defaultRecords, profile.version) ? profile.version : '13.0'
    loadDatasetRecords(store, defaultRecords[version] as string, defaultBlobs)
  }
  const seeder = new Seeder(store, createFaker(options.seed, now), {
    now,
    profile,
    onCommit: (jobs) => runner.adopt(jobs),
    ...(options.maxArtifactsSize !== undefined && { maxArtifactSize: megabytes(options.maxArtifactsSize) }),
    ...(options.maxLoadSize !== undefined && { maxLoadSize: megabytes(options.maxLoadSize) }),
  })
  for (const fixture of options.fixtures ?? []) seeder.load(fixture)
  store.markInitial()
  clock.markInitial()
  seeder.markGenerator()

  const rateLimiter = new RateLimiter(now)
  const api: ApiContext = {
    store,
    actions: new JobActions(store, runner, tokenSalt(options.seed)),
    runner,
    profile,
    featureFlags: resolveFeatureFlags(profile, options.featureFlags),
    rateLimits: resolveRateLimits(profile, options.projectJobsApiRateLimit),
    rateLimiter,
    gitlabUrl: baseUrl,
    now,
    sync,
  }
  const journal = new Journal()
  const faults = new Faults({ seed: options.seed })
  const router = new Router(routesFor(profile), api, journal, faults)
  const apiUrl = router.apiRoot

  const fake: GitLabFake = {
    baseUrl,
    apiUrl,
    // One handler for all of /api/v4: our router matches GitLab's routes on the raw path and
    // answers the rest with GitLab's catch-all 404 (docs/decisions/routing.md).
    // A RegExp without groups, so that MSW decodes nothing: a malformed %-escape reaches the
    // router, which answers it as GitLab does, instead of throwing inside MSW.
    handlers: [
      http.all(new RegExp(`^${escapeRegExp(apiUrl)}(?:/.*)?$`), ({ request }) =>
        fetchResponse(() => router.dispatch(request)),
      ),
    ],
    seed: seeder,
    store,
    clock,
    runner: runnerControl(store, runner, seeder, sync),
    artifacts: {
      expire: () => {
        sync()
        return expiry.runNow()
      },
      nextRun: () => expiry.nextRun(),
    },
    load: (fixture) => seeder.load(fixture),
    replace: (fixture) => {
      sync()
      const mark = store.savepoint()
      store.clear()
      try {
        return seeder.load(fixture)
      } catch (error) {
        store.rollback(mark)
        throw error
      }
    },
    reset: () => {
      store.reset()
      clock.reset()
      seeder.resetGenerator()
      expiry.reset()
      rateLimiter.clear()
    },
    commitInitial: () => {
      store.markInitial()
      clock.markInitial()
      seeder.markGenerator()
    },
    handle: (request, handleOptions) =>
      fetchResponse(() => router.dispatch(request, handleOptions?.externalUrl)),
    answer: (request, answerOptions) => router.dispatch(request, answerOptions?.externalUrl),
    journal,
    faults,
    state: () => {
      sync()
      return seedingNow().exportState(store, profile)
    },
    listen: (listenOptions = {}) => {
      // Node only, and loaded only when asked, so that this module stays universal. Checked
      // first, and thrown at once: elsewhere the import would fail later, naming only a module path.
      if (!isNode()) throw new Error(LISTEN_NEEDS_NODE)
      const serverModule = './node/server.js'
      return (import(/* @vite-ignore */ serverModule) as Promise<typeof import('./node/server.js')>).then(
        ({ serve }) => serve(fake, listenOptions),
      )
    },
  }
  return fake
}

function createClock(options: GitLabFakeOptions): Clock {
  const { now } = options
  if (typeof now === 'function') return Clock.following(() => Number(now()))
  const start = now === undefined ? undefined : instant(now, 'now')
  return options.clock === 'real' ? Clock.real(start) : Clock.manual(start ?? Date.now())
}

function resolveProfile(options: GitLabFakeOptions): GitLabProfile {
  if (options.profile !== undefined && options.gitlab !== undefined)
    throw new TypeError('gitlab-fake: give either gitlab or profile, not both')
  return options.profile ?? profileFor(options.gitlab ?? '13.0')
}

function resolveFeatureFlags(
  profile: GitLabProfile,
  flags: Readonly<Record<string, boolean>> = {},
): Readonly<Record<string, boolean>> {
  const known = Object.keys(profile.featureFlags)
  for (const [name, value] of Object.entries(flags)) {
    if (!Object.hasOwn(profile.featureFlags, name))
      throw new TypeError(
        `gitlab-fake: unknown feature flag ${JSON.stringify(name)}; GitLab ${profile.version} flags the fake knows: ${known.join(', ') || 'none'}`,
      )
    if (typeof value !== 'boolean')
      throw new TypeError(
        `gitlab-fake: feature flag ${name} must be true or false, got ${JSON.stringify(value)}`,
      )
  }
  return Object.freeze({ ...profile.featureFlags, ...flags })
}

function megabytes(mb: number): number {
  if (!(mb > 0) || !Number.isFinite(mb))
    throw new TypeError(`gitlab-fake: a size limit must be a positive number of megabytes, got ${mb}`)
  return Math.floor(mb * 1024 * 1024)
}

const DEFAULT_BASE_URL = 'https://gitlab.example.com'

function normalizeBaseUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new TypeError(`gitlab-fake: baseUrl must be an absolute http(s) URL, got ${JSON.stringify(raw)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`gitlab-fake: baseUrl must be an http(s) URL, got ${JSON.stringify(raw)}`)
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

import { http } from 'msw'
import { type SetupWorker, setupWorker } from 'msw/browser'
import type { FixtureDocument } from './data/fixture-schema.js'
import { loadSeeding } from './data/seeder.js'
import { createGitLabFake, type GitLabFake, type GitLabFakeOptions } from './fake.js'

/**
 * `gitlab-fake/browser`: the fake in a page, under MSW's `setupWorker`. Everything here runs in a
 * browser; nothing imports Node (test/package/browser-bundle.test.ts bundles it for the browser to prove it).
 */

export interface StartWorkerOptions extends GitLabFakeOptions {
  /** Where the page serves MSW's worker script (`npx msw init public`). Default `/mockServiceWorker.js`. */
  serviceWorker?: { url?: string; options?: RegistrationOptions }
  /** No line in the console for each request MSW answers. Default false. */
  quiet?: boolean
  /**
   * What MSW does with a request no handler answers (the page's own files, other APIs): `'bypass'`
   * (the default: it goes to the network, unremarked), `'warn'` or `'error'`.
   */
  onUnhandledRequest?: 'bypass' | 'warn' | 'error'
  /**
   * Keeps the fake's data across reloads of the page, in `sessionStorage` (so per tab, and gone
   * with it): `true`, or `{ key }` to name the entry (default `gitlab-fake:<baseUrl>`). The state
   * (`gitlab.state()`) is saved after each request that changed it and put back on start;
   * `gitlab.reset()` forgets it. sessionStorage holds about 5 MB, and a state holds its artifacts'
   * files: when they take more than 1 MB in all (or the state does not fit), nothing is kept, a
   * warning says so, and a reload starts from the dataset.
   */
  persist?: boolean | { key?: string }
  /**
   * Puts the fake on `window` for the console: `true` (as `window.gitlab`), a name, or false. By
   * default it is there in development and not in a production build: when the bundler says
   * `process.env.NODE_ENV` is `'production'` (as Vite, webpack and esbuild's define do).
   */
  expose?: boolean | string
}

export interface StartedWorker {
  readonly gitlab: GitLabFake
  readonly worker: SetupWorker
  /** Stops the worker, takes the fake off `window`, and saves its state one last time. */
  stop(): Promise<void>
}

/**
 * Creates a fake and starts MSW's worker with its handlers:
 * `const { gitlab, worker, stop } = await startWorker({ persist: true })`.
 */
export async function startWorker(options: StartWorkerOptions = {}): Promise<StartedWorker> {
  const { serviceWorker, quiet, onUnhandledRequest = 'bypass', persist, expose, ...fakeOptions } = options
  // Fixtures and a kept state are loaded through seeding, which a browser fetches on demand.
  if (persist || (fakeOptions.fixtures?.length ?? 0) > 0) await loadSeeding()
  const gitlab = createGitLabFake(fakeOptions)
  const saved = persist ? new SavedState(gitlab, persist === true ? undefined : persist.key) : undefined
  saved?.restore()

  const worker = setupWorker(
    // The fake's own handler, followed by a save when the request changed the data.
    http.all(new RegExp(`^${escapeRegExp(gitlab.apiUrl)}(?:/.*)?$`), async ({ request }) => {
      const response = await gitlab.handle(request)
      saved?.changed()
      return response
    }),
  )
  // msw 2 reads onUnhandledRequest, msw 3 onUnhandledFrame; each ignores the other's key.
  const start = {
    serviceWorker,
    quiet,
    onUnhandledRequest,
    onUnhandledFrame: onUnhandledRequest,
  } as Parameters<SetupWorker['start']>[0]
  await worker.start(start)

  const name = exposedName(expose)
  const scope = globalThis as Record<string, unknown>
  if (name !== undefined) scope[name] = gitlab
  const onHide = () => saved?.save()
  globalThis.addEventListener?.('pagehide', onHide)
  return {
    gitlab,
    worker,
    async stop() {
      await worker.stop()
      globalThis.removeEventListener?.('pagehide', onHide)
      saved?.save()
      saved?.detach()
      if (name !== undefined && scope[name] === gitlab) delete scope[name]
    },
  }
}

declare const process: { env: { NODE_ENV?: string } }

/** The window property the fake goes on, if any. */
function exposedName(expose: boolean | string | undefined): string | undefined {
  if (typeof expose === 'string') return expose
  if (expose !== undefined) return expose ? 'gitlab' : undefined
  let production = false
  try {
    // Written out whole, so that bundlers replace it with the build's mode.
    production = process.env.NODE_ENV === 'production'
  } catch {
    // No bundler and no process: a page loading the module as it is, in development.
  }
  return production ? undefined : 'gitlab'
}

interface Saved {
  readonly version: 1
  /** The fake's clock when saved (epoch ms). */
  readonly now: number
  readonly state: FixtureDocument
}

/** The fake's state in sessionStorage: put back on start, saved after changes, forgotten on reset. */
class SavedState {
  private readonly key: string
  private readonly storage: Storage | undefined
  /** The store's change count when last saved; a request that moves it changed the data. */
  private savedAt = 0
  private pending: ReturnType<typeof setTimeout> | undefined
  private warned = false
  private readonly reset: () => void

  constructor(
    private readonly gitlab: GitLabFake,
    key: string | undefined,
  ) {
    this.key = key ?? `gitlab-fake:${gitlab.baseUrl}`
    this.storage = globalThis.sessionStorage
    // reset() also forgets what was saved: a reload then starts from the dataset too.
    this.reset = gitlab.reset
    Object.defineProperty(gitlab, 'reset', {
      configurable: true,
      value: () => {
        this.reset.call(gitlab)
        this.forget()
      },
    })
  }

  /** Puts the saved state back, if there is one; one that no longer loads is dropped with a warning. */
  restore(): void {
    const text = this.storage?.getItem(this.key)
    if (!text) return
    try {
      const saved = JSON.parse(text) as Saved
      if (saved.version !== 1) throw new Error(`unknown version ${saved.version}`)
      this.gitlab.replace(saved.state)
      if (this.gitlab.clock.mode !== 'source' && saved.now > this.gitlab.clock.now())
        this.gitlab.clock.set(saved.now)
    } catch (error) {
      console.warn('gitlab-fake: the saved state could not be restored, and is dropped:', error)
      this.storage?.removeItem(this.key)
      return
    }
    this.savedAt = this.gitlab.store.changesSinceInitial
  }

  /** After a request: when the data changed, a save soon (several changes in a row save once). */
  changed(): void {
    if (this.gitlab.store.changesSinceInitial === this.savedAt || this.pending !== undefined) return
    this.pending = setTimeout(() => this.save(), 0)
  }

  save(): void {
    if (this.pending !== undefined) clearTimeout(this.pending)
    this.pending = undefined
    const changes = this.gitlab.store.changesSinceInitial
    if (!this.storage || changes === this.savedAt) return
    this.savedAt = changes
    if (changes === 0) {
      this.forget()
      return
    }
    const bytes = artifactBytes(this.gitlab)
    const now = this.gitlab.clock.now()
    if (bytes <= ARTIFACT_BYTES_SAVED && this.write({ version: 1, now, state: this.gitlab.state() })) return
    // Too large: a reload starts from the dataset, rather than from a state missing some of it.
    this.storage.removeItem(this.key)
    this.warnOnce(
      `the state is not kept across reloads: with its artifacts (${(bytes / 2 ** 20).toFixed(1)} MB) it does not fit in sessionStorage`,
    )
  }

  detach(): void {
    Object.defineProperty(this.gitlab, 'reset', { configurable: true, writable: true, value: this.reset })
  }

  private forget(): void {
    if (this.pending !== undefined) clearTimeout(this.pending)
    this.pending = undefined
    this.savedAt = 0
    this.storage?.removeItem(this.key)
  }

  /** Whether sessionStorage took it (it throws QuotaExceededError past its quota). */
  private write(saved: Saved): boolean {
    try {
      this.storage?.setItem(this.key, JSON.stringify(saved))
      return true
    } catch {
      return false
    }
  }

  private warnOnce(what: string): void {
    if (this.warned) return
    this.warned = true
    console.warn(`gitlab-fake: ${what}`)
  }
}

/** Artifacts are saved with their bytes while they take no more than this, in all. */
const ARTIFACT_BYTES_SAVED = 1024 * 1024

/** The bytes of every artifact held (a saved archive's files often take several times that as text). */
function artifactBytes(gitlab: GitLabFake): number {
  let bytes = 0
  for (const job of gitlab.store.jobs.values()) for (const a of job.artifacts) bytes += a.size
  return bytes
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

import { http } from 'msw'
import { type SetupWorker, setupWorker } from 'msw/browser'
import { loadSeeding } from './data/seeder.js'
import { createGitLabFake, type GitLabFake, type GitLabFakeOptions } from './fake.js'
import { SavedState } from './saved-state.js'

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
   * `gitlab.reset()` forgets it. After `gitlab.commitInitial()` the committed dataset is kept
   * beside it (twice the room), so that a reload comes back to it and `reset()` still returns there. sessionStorage holds about 5 MB, and a state holds its artifacts'
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
  /**
   * With `persist`: the fake was changed other than through its API (handlers of your own, such
   * as the control API's), so its state is saved soon, as after a request that changed it.
   */
  changed(): void
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
    changed: () => saved?.changed(true),
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
declare global {
  interface Window {
    /** The fake `startWorker()` started, in development (`expose`; another name when it gives one). */
    gitlab?: GitLabFake
  }
}

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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

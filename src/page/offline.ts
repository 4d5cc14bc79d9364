import { http } from 'msw'
import { toResponse } from '../api/responses.js'
import { startWorker } from '../browser.js'
import { handleControl } from '../control/control-api.js'
import type { GitLabFake } from '../fake.js'

/**
 * The page without a server: the fake runs here, in this page, under MSW's service worker
 * (`gitlab-fake/browser`'s startWorker; mockServiceWorker.js is shipped beside the page). GitLab's
 * API is at this page's origin (`/api/v4`, as the server has it), and so is the control API
 * (`/__fake/*`, answered by the same code as the server's): the page's code is the same in both
 * homes. Its clock follows real time, as the server's does, so that a played job runs and
 * finishes; its data is kept across reloads of the tab until "Reset data".
 */
export async function startOffline(): Promise<GitLabFake> {
  const { gitlab, worker, changed } = await startWorker({
    baseUrl: location.origin,
    clock: 'real',
    persist: true,
    // For the console, as in a test: `gitlabFake.seed.pipeline({…})`, `gitlabFake.clock.advance('1m')`.
    expose: 'gitlabFake',
    quiet: true,
    serviceWorker: { url: new URL('mockServiceWorker.js', document.baseURI).pathname },
  })
  const origin = location.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  worker.use(
    http.all(new RegExp(`^${origin}/__fake(?:/|$)`), async ({ request }) => {
      const answered = await handleControl(gitlab, request, new URL(request.url))
      // Saved as GitLab's routes are: a reset, a fixture, the clock (the reads change nothing).
      if (request.method !== 'GET' && request.method !== 'HEAD') changed()
      return answered ? toResponse(answered) : undefined
    }),
  )
  return gitlab
}

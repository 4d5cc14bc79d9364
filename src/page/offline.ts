import { http } from 'msw'
import { setupWorker } from 'msw/browser'
import { toResponse } from '../api/responses.js'
import { handleControl } from '../control/control-api.js'
import { createGitLabFake, type GitLabFake } from '../fake.js'

/**
 * The page without a server: the fake runs here, in this page, and MSW's service worker
 * (mockServiceWorker.js, shipped beside the page) answers the page's requests from it. GitLab's
 * API is at this page's origin (`/api/v4`, as the server has it), and so is the control API
 * (`/__fake/*`): the page's code is the same in both homes. Its clock follows real time, as the
 * server's does, so that a played job runs and finishes.
 */
export async function startOffline(): Promise<GitLabFake> {
  const gitlab = createGitLabFake({ baseUrl: location.origin, clock: 'real' })
  const origin = location.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const control = http.all(new RegExp(`^${origin}/__fake(?:/|$)`), async ({ request }) => {
    const answered = await handleControl(gitlab, request, new URL(request.url))
    return answered ? toResponse(answered) : undefined
  })
  const worker = setupWorker(control, ...gitlab.handlers)
  await worker.start({
    serviceWorker: { url: new URL('mockServiceWorker.js', document.baseURI).pathname },
    onUnhandledRequest: 'bypass',
    quiet: true,
  })
  // For the console, as in a test: `gitlabFake.seed.pipeline({…})`, `gitlabFake.clock.advance('1m')`.
  Object.assign(window, { gitlabFake: gitlab })
  return gitlab
}

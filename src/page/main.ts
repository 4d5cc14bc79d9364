import './page.css'
import { ApiError, Client, type Overview } from './api.js'
import type { Context } from './context.js'
import { h, replace } from './dom.js'
import { jobView } from './job.js'
import { pipelineView, projectJobsView } from './jobs.js'
import { projectsView } from './projects.js'
import { requestsView } from './requests.js'

/**
 * The fake's own page. Served by the standalone server at `/__fake/`, it talks to that server;
 * opened anywhere else (dist/page from any static server, no fake server needed), it starts the
 * fake in this page under MSW's worker first (offline.ts), and then talks to that. `?mode=offline`
 * or `?mode=server` says which outright.
 */

const main = document.getElementById('main') as HTMLElement
const status = document.getElementById('status') as HTMLElement
const tokenPicker = document.getElementById('token') as HTMLSelectElement
const resetButton = document.getElementById('reset') as HTMLButtonElement
const modeLabel = document.getElementById('mode') as HTMLElement

const wanted = new URLSearchParams(location.search).get('mode')
const offline = wanted ? wanted === 'offline' : !location.pathname.startsWith('/__fake/')

let generation = 0
let timers: number[] = []

async function start(): Promise<void> {
  if (offline) {
    modeLabel.textContent = 'in this page (offline)'
    const { startOffline } = await import('./offline.js')
    await startOffline()
  } else modeLabel.textContent = `server ${location.host}`
  const client = new Client()
  const ctx: Context = {
    client,
    main,
    overview: await loadOverview(client),
    announce(message) {
      status.textContent = message
    },
    poll(tick, ms) {
      const mine = generation
      let busy = false
      const id = window.setInterval(async () => {
        if (busy || mine !== generation) return
        busy = true
        try {
          await tick()
        } catch (error) {
          status.textContent = `Polling stopped: ${message(error)}`
          window.clearInterval(id)
        } finally {
          busy = false
        }
      }, ms)
      timers.push(id)
    },
    current: () => false,
    project: (id) => ctx.overview.projects.find((p) => p.id === id),
    go(hash) {
      if (location.hash === hash) void route(ctx)
      else location.hash = hash
    },
  }
  fillTokens(ctx)
  tokenPicker.addEventListener('change', () => {
    client.useToken(tokenPicker.value)
    ctx.announce(`Acting as ${tokenPicker.selectedOptions[0]?.textContent ?? tokenPicker.value}`)
    void route(ctx)
  })
  resetButton.addEventListener('click', async () => {
    try {
      await client.fake('/reset', { method: 'POST' })
      ctx.overview = await loadOverview(client)
      fillTokens(ctx)
      ctx.announce('The fake is back to its initial dataset')
      await route(ctx)
    } catch (error) {
      ctx.announce(`Reset refused: ${message(error)}`)
    }
  })
  window.addEventListener('hashchange', () => void route(ctx))
  await route(ctx)
}

async function loadOverview(client: Client): Promise<Overview> {
  return (await client.fake('/overview')).json() as Promise<Overview>
}

/** The dataset's tokens, each with its user and roles; the last choice is kept across visits. */
function fillTokens(ctx: Context): void {
  const { tokens } = ctx.overview
  replace(
    tokenPicker,
    h('option', { value: '' }, 'nobody (no token)'),
    tokens.map((t) => {
      // "maintainer-token: maintainer, Maintainer of foo/bar, acme/website"
      const byRole = new Map<string, string[]>()
      for (const [project, role] of Object.entries(t.roles))
        byRole.set(role, [...(byRole.get(role) ?? []), project])
      const roles = [...byRole].map(
        ([role, projects]) => `${role[0]?.toUpperCase()}${role.slice(1)} of ${projects.join(', ')}`,
      )
      const about = [
        t.user.admin ? `${t.user.username} (admin)` : t.user.username,
        ...roles,
        ...(t.scopes.includes('api') ? [] : [t.scopes.join(' ')]),
        ...(t.state === 'active' ? [] : [t.state]),
      ]
      return h('option', { value: t.token }, `${t.token}: ${about.join(', ')}`)
    }),
  )
  const known = tokens.some((t) => t.token === ctx.client.token)
  if (!known) {
    const fallback =
      tokens.find((t) => t.token === 'maintainer-token') ?? tokens.find((t) => t.state === 'active')
    ctx.client.useToken(fallback?.token ?? '')
  }
  tokenPicker.value = ctx.client.token
}

/** Shows the view the hash names: `#/`, `#/projects/1?page=2`, `#/projects/1/pipelines/6`, `#/projects/1/jobs/9`, `#/requests`. */
async function route(ctx: Context): Promise<void> {
  generation++
  for (const id of timers) window.clearInterval(id)
  timers = []
  const mine = generation
  ctx.current = () => mine === generation
  const hash = location.hash.replace(/^#/, '') || '/'
  const [path = '/', search = ''] = hash.split('?')
  const query = new URLSearchParams(search)
  const parts = path.split('/').filter(Boolean)
  const id = (i: number) => Number(parts[i])
  try {
    if (parts.length === 0) projectsView(ctx)
    else if (parts[0] === 'requests') await requestsView(ctx)
    else if (parts[0] === 'projects' && parts.length === 2) await projectJobsView(ctx, id(1), query)
    else if (parts[0] === 'projects' && parts[2] === 'pipelines' && parts.length === 4)
      await pipelineView(ctx, id(1), id(3), query)
    else if (parts[0] === 'projects' && parts[2] === 'jobs' && parts.length === 4)
      await jobView(ctx, id(1), id(3))
    else
      replace(main, h('h1', null, 'Not found'), h('p', null, h('a', { href: '#/' }, 'Back to the projects')))
  } catch (error) {
    if (mine !== generation) return
    replace(
      main,
      h('h1', null, error instanceof ApiError ? `GitLab answered ${error.status}` : 'Something failed'),
      h('p', { class: 'error' }, message(error)),
      h('p', null, 'Choose another token above, or ', h('a', { href: '#/' }, 'go back to the projects'), '.'),
    )
  }
  if (mine === generation) {
    document.title = `${main.querySelector('h1')?.textContent ?? ''} · gitlab-fake`
    // Focus follows navigation for keyboard and screen reader users, but not on the first load.
    if (mine > 1) main.focus({ preventScroll: false })
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

start().catch((error) => {
  replace(main, h('h1', null, 'The page could not start'), h('p', { class: 'error' }, message(error)))
  console.error(error)
})

import type { Job, PageInfo } from './api.js'
import type { Context } from './context.js'
import { type Child, h, replace } from './dom.js'
import { STATUS_LABELS, statusBadge, statusGroup, statusIcon } from './status.js'

export const PER_PAGE = [20, 50, 100] as const

/** GitLab's job scopes (`scope[]`): the statuses a list may be filtered to. */
const SCOPES = ['created', 'pending', 'running', 'failed', 'success', 'canceled', 'skipped', 'manual']

/**
 * `#/projects/:id`: the project's jobs a page at a time, newest first, as GitLab's
 * `GET /projects/:id/jobs` pages them; the jobs of a page drawn as their pipelines' stages.
 */
export async function projectJobsView(
  ctx: Context,
  projectId: number,
  query: URLSearchParams,
): Promise<void> {
  const project = ctx.project(projectId)
  const name = project?.path_with_namespace ?? `project ${projectId}`
  const page = positive(query.get('page'), 1)
  const perPage = positive(query.get('per_page'), 20)
  const scope = query.get('scope') ?? ''
  const filter = scope ? `?scope[]=${encodeURIComponent(scope)}` : ''
  const { items, info } = await ctx.client.page<Job>(`/projects/${projectId}/jobs${filter}`, page, perPage)
  if (!ctx.current()) return
  const base = `#/projects/${projectId}`
  const link = (p: number, pp = info.perPage) =>
    `${base}?${new URLSearchParams({ page: String(p), per_page: String(pp), ...(scope ? { scope } : {}) })}`
  replace(
    ctx.main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Projects'), ' / ', name),
    h('h1', null, `Jobs of ${name}`),
    h(
      'form',
      {
        class: 'filters',
        onsubmit: (event: Event) => {
          event.preventDefault()
          const form = new FormData(event.target as HTMLFormElement)
          const chosen = String(form.get('scope') ?? '')
          const pp = String(form.get('per_page') ?? info.perPage)
          ctx.go(
            `${base}?${new URLSearchParams({ page: '1', per_page: pp, ...(chosen ? { scope: chosen } : {}) })}`,
          )
        },
      },
      h('label', { for: 'scope' }, 'Status'),
      h(
        'select',
        { id: 'scope', name: 'scope' },
        h('option', { value: '' }, 'any'),
        SCOPES.map((s) => h('option', { value: s, selected: s === scope }, STATUS_LABELS[s] ?? s)),
      ),
      h('label', { for: 'per-page' }, 'Per page'),
      h(
        'select',
        { id: 'per-page', name: 'per_page' },
        PER_PAGE.map((n) => h('option', { value: n, selected: n === info.perPage }, n)),
      ),
      h('button', { type: 'submit' }, 'Show'),
    ),
    pager(info, link),
    items.length === 0 ? h('p', null, 'No jobs on this page.') : pipelines(projectId, items),
    items.length > 10 ? pager(info, link) : null,
  )
}

/** `#/projects/:id/pipelines/:pipeline`: every job of one pipeline, by stage (pages of 100). */
export async function pipelineView(
  ctx: Context,
  projectId: number,
  pipelineId: number,
  query: URLSearchParams,
): Promise<void> {
  const project = ctx.project(projectId)
  const name = project?.path_with_namespace ?? `project ${projectId}`
  const page = positive(query.get('page'), 1)
  const { items, info } = await ctx.client.page<Job>(
    `/projects/${projectId}/pipelines/${pipelineId}/jobs`,
    page,
    100,
  )
  if (!ctx.current()) return
  const first = items[0]
  replace(
    ctx.main,
    h(
      'p',
      { class: 'crumbs' },
      h('a', { href: '#/' }, 'Projects'),
      ' / ',
      h('a', { href: `#/projects/${projectId}` }, name),
      ' / ',
      `pipeline #${pipelineId}`,
    ),
    h('h1', null, `Pipeline #${pipelineId}`, first ? [' ', statusBadge(first.pipeline.status)] : null),
    first
      ? h(
          'p',
          null,
          'On ',
          h('code', null, first.pipeline.ref),
          ' at ',
          h('code', null, first.pipeline.sha.slice(0, 8)),
        )
      : null,
    items.length === 0 ? h('p', null, 'No jobs.') : stages(projectId, items),
    info.next || info.prev
      ? pager(info, (p) => `#/projects/${projectId}/pipelines/${pipelineId}?page=${p}`)
      : null,
  )
}

/** The jobs of a page, grouped by pipeline (newest first, as listed), each as its stages. */
function pipelines(projectId: number, jobs: readonly Job[]): HTMLElement {
  const byPipeline = new Map<number, Job[]>()
  for (const job of jobs) {
    const list = byPipeline.get(job.pipeline.id)
    if (list) list.push(job)
    else byPipeline.set(job.pipeline.id, [job])
  }
  return h(
    'div',
    { class: 'pipelines' },
    [...byPipeline.values()].map((list) => {
      const { pipeline } = list[0] as Job
      const heading = `pipeline-${pipeline.id}`
      return h(
        'section',
        { class: 'pipeline', 'aria-labelledby': heading },
        h(
          'h2',
          { id: heading },
          h('a', { href: `#/projects/${projectId}/pipelines/${pipeline.id}` }, `Pipeline #${pipeline.id}`),
          ' ',
          statusBadge(pipeline.status),
          h(
            'span',
            { class: 'meta' },
            ' on ',
            h('code', null, pipeline.ref),
            ' ',
            h('code', null, pipeline.sha.slice(0, 8)),
          ),
        ),
        stages(projectId, list),
      )
    }),
  )
}

/** Stages in the order GitLab runs them (by their first job), each a column of its jobs. */
function stages(projectId: number, jobs: readonly Job[]): HTMLElement {
  const byStage = new Map<string, Job[]>()
  for (const job of [...jobs].sort((a, b) => a.id - b.id)) {
    const list = byStage.get(job.stage)
    if (list) list.push(job)
    else byStage.set(job.stage, [job])
  }
  return h(
    'ol',
    { class: 'stages' },
    [...byStage].map(([stage, list]) =>
      h(
        'li',
        { class: 'stage' },
        h('h3', null, stage),
        h(
          'ul',
          { class: 'jobs' },
          list.map((job) =>
            h(
              'li',
              null,
              h(
                'a',
                {
                  class: `job status-${statusGroup(job.status)}`,
                  href: `#/projects/${projectId}/jobs/${job.id}`,
                  'data-job': job.id,
                  'data-status': job.status,
                },
                statusIcon(job.status),
                h('span', { class: 'name' }, job.name),
                h('span', { class: 'visually-hidden' }, `, ${STATUS_LABELS[job.status] ?? job.status},`),
                h('span', { class: 'id' }, `#${job.id}`),
              ),
            ),
          ),
        ),
      ),
    ),
  )
}

/** First, previous, "page N of M", next, last, and a page to go to: links, so keyboards and history work. */
export function pager(info: PageInfo, link: (page: number) => string): HTMLElement {
  const item = (label: string, page: number | null, rel?: string): Child =>
    page === null
      ? h('span', { class: 'off', 'aria-disabled': 'true' }, label)
      : h('a', { href: link(page), ...(rel ? { rel } : {}) }, label)
  const last = info.totalPages
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    item('« First', info.page > 1 ? 1 : null),
    item('‹ Previous', info.prev, 'prev'),
    h(
      'span',
      { class: 'where', 'aria-current': 'page' },
      `Page ${info.page}${last ? ` of ${last.toLocaleString('en')}` : ''}`,
    ),
    item('Next ›', info.next, 'next'),
    item('Last »', last && last !== info.page ? last : null),
    h(
      'form',
      {
        class: 'goto',
        onsubmit: (event: Event) => {
          event.preventDefault()
          const value = Number(new FormData(event.target as HTMLFormElement).get('page'))
          if (Number.isInteger(value) && value > 0) location.hash = link(value)
        },
      },
      h(
        'label',
        null,
        'Go to page ',
        h('input', { type: 'number', name: 'page', min: 1, max: last ?? undefined, size: 5, required: true }),
      ),
      h('button', { type: 'submit' }, 'Go'),
    ),
  )
}

function positive(text: string | null, fallback: number): number {
  const n = Number(text)
  return Number.isInteger(n) && n > 0 ? n : fallback
}

import { unzipSync } from 'fflate'
import { ApiError, type Job } from './api.js'
import type { Context } from './context.js'
import { bytes, type Child, h, replace, time } from './dom.js'
import { STATUS_LABELS, statusBadge } from './status.js'

/** Statuses a job leaves on its own (a runner or the pipeline moves it): the page keeps polling. */
const MOVING = new Set([
  'created',
  'pending',
  'running',
  'preparing',
  'waiting_for_resource',
  'canceling',
  'scheduled',
])
/** `COMPLETED_STATUSES` (app/models/concerns/has_status.rb). */
const COMPLETED = new Set(['success', 'failed', 'canceled', 'skipped'])
/** `event :cancel` transitions from these (app/models/commit_status.rb). */
const CANCELABLE = new Set([
  'created',
  'waiting_for_resource',
  'preparing',
  'pending',
  'running',
  'manual',
  'scheduled',
])

interface Action {
  label: string
  /** What the button does, for its accessible description. */
  hint: string
  method: 'POST' | 'DELETE'
  path: string
}

/**
 * The actions a job allows in its state, as GitLab's API decides them (lib/api/jobs.rb and
 * app/models/ci/build.rb: `cancelable?`, `retryable?`, `playable?`, `erasable?`, artifacts that
 * can be kept or deleted). Whether the chosen user may is the API's to say: a 403 shows.
 */
function actionsOf(job: Job, base: string): Action[] {
  const out: Action[] = []
  if (CANCELABLE.has(job.status))
    out.push({ label: 'Cancel', hint: 'POST …/cancel', method: 'POST', path: `${base}/cancel` })
  if (job.status === 'success' || job.status === 'failed' || job.status === 'canceled')
    out.push({ label: 'Retry', hint: 'POST …/retry: a new job', method: 'POST', path: `${base}/retry` })
  if (job.status === 'manual' || job.status === 'scheduled')
    out.push({ label: 'Play', hint: 'POST …/play', method: 'POST', path: `${base}/play` })
  const hasArtifacts = job.artifacts.length > 0 || job.artifacts_file !== undefined
  if (COMPLETED.has(job.status) && hasArtifacts)
    out.push({
      label: 'Erase',
      hint: 'POST …/erase: removes the trace and artifacts',
      method: 'POST',
      path: `${base}/erase`,
    })
  if (job.artifacts_file && job.artifacts_expire_at)
    out.push({
      label: 'Keep artifacts',
      hint: 'POST …/artifacts/keep',
      method: 'POST',
      path: `${base}/artifacts/keep`,
    })
  if (job.artifacts_file)
    out.push({
      label: 'Delete artifacts',
      hint: 'DELETE …/artifacts',
      method: 'DELETE',
      path: `${base}/artifacts`,
    })
  return out
}

/** `#/projects/:id/jobs/:job`: the job, its actions, its trace (growing while it runs) and artifacts. */
export async function jobView(ctx: Context, projectId: number, jobId: number): Promise<void> {
  const base = `/projects/${projectId}/jobs/${jobId}`
  let job = await ctx.client.json<Job>(base)
  if (!ctx.current()) return
  const project = ctx.project(projectId)
  const name = project?.path_with_namespace ?? `project ${projectId}`
  const head = h('div', { class: 'job-head' })
  const actions = h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' })
  const artifacts = h('section', { 'aria-labelledby': 'artifacts-heading' })
  const trace = h('pre', { class: 'trace', id: 'trace', tabindex: 0, 'aria-label': 'Trace' })
  const traceState = h('p', { class: 'meta', id: 'trace-state' })
  let shown = ''
  let traceText: string | null = null

  const act = async (action: Action) => {
    try {
      const response = await ctx.client.gitlab(action.path, { method: action.method })
      const answered = response.status === 204 ? null : ((await response.json()) as Job)
      if (answered && answered.id !== job.id) {
        ctx.announce(`${action.label}: job #${answered.id} created (${answered.status})`)
        ctx.go(`#/projects/${projectId}/jobs/${answered.id}`)
        return
      }
      job = answered ?? (await ctx.client.json<Job>(base))
      ctx.announce(`${action.label}: job #${job.id} is ${job.status} (${response.status})`)
      render()
      await refreshTrace()
      startPolling()
    } catch (error) {
      ctx.announce(`${action.label} refused: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  const render = () => {
    const key = JSON.stringify(job)
    if (key === shown) return
    shown = key
    replace(
      head,
      h(
        'h1',
        null,
        `Job #${job.id} `,
        h('span', { class: 'job-name' }, job.name),
        ' ',
        statusBadge(job.status),
      ),
      h(
        'dl',
        { class: 'facts' },
        fact('Stage', job.stage),
        fact(
          'Pipeline',
          h('a', { href: `#/projects/${projectId}/pipelines/${job.pipeline.id}` }, `#${job.pipeline.id}`),
          ' ',
          statusBadge(job.pipeline.status),
        ),
        fact('Ref', h('code', null, job.ref), job.tag ? ' (tag)' : ''),
        fact(
          'Commit',
          h('code', null, job.pipeline.sha.slice(0, 8)),
          job.commit ? ` ${job.commit.title}` : '',
        ),
        fact('Created', time(job.created_at)),
        fact('Started', time(job.started_at)),
        fact('Finished', time(job.finished_at)),
        fact('Duration', job.duration === null ? '—' : `${job.duration.toFixed(1)} s`),
        fact('User', job.user ? job.user.username : '—'),
        fact('Runner', job.runner ? `#${job.runner.id} ${job.runner.description}` : '—'),
        job.failure_reason ? fact('Failure reason', job.failure_reason) : null,
        job.coverage === null ? null : fact('Coverage', `${job.coverage}%`),
      ),
    )
    const allowed = actionsOf(job, base)
    replace(
      actions,
      h('h2', { class: 'visually-hidden' }, 'Actions'),
      allowed.length === 0
        ? h('p', { class: 'meta' }, `No action in status ${job.status}.`)
        : allowed.map((action) =>
            h(
              'button',
              { type: 'button', title: action.hint, onclick: () => void act(action) },
              action.label,
            ),
          ),
    )
    renderArtifacts()
  }

  const renderArtifacts = () => {
    const archive = job.artifacts_file
    replace(
      artifacts,
      h('h2', { id: 'artifacts-heading' }, 'Artifacts'),
      job.artifacts.length === 0
        ? h('p', null, 'None.')
        : h(
            'table',
            { class: 'list' },
            h('caption', { class: 'visually-hidden' }, 'Job artifacts'),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, 'Type'),
                h('th', { scope: 'col' }, 'File'),
                h('th', { scope: 'col' }, 'Format'),
                h('th', { scope: 'col', class: 'num' }, 'Size'),
              ),
            ),
            h(
              'tbody',
              null,
              job.artifacts.map((a) =>
                h(
                  'tr',
                  null,
                  h('td', null, a.file_type),
                  h('td', null, a.filename),
                  h('td', null, a.file_format ?? '—'),
                  h('td', { class: 'num' }, bytes(a.size)),
                ),
              ),
            ),
          ),
      job.artifacts_expire_at ? h('p', { class: 'meta' }, 'Expire at ', time(job.artifacts_expire_at)) : null,
      archive
        ? h(
            'p',
            { class: 'actions' },
            h(
              'button',
              { type: 'button', id: 'download', onclick: () => void download() },
              `Download ${archive.filename} (${bytes(archive.size)})`,
            ),
            h('button', { type: 'button', id: 'browse', onclick: () => void browse() }, 'Browse files'),
          )
        : null,
      files,
    )
  }

  const files = h('div', { class: 'files' })

  /** The archive through the API, saved as the browser saves a download. */
  const download = async () => {
    try {
      const response = await ctx.client.gitlab(`${base}/artifacts`)
      save(await response.blob(), filenameOf(response) ?? job.artifacts_file?.filename ?? 'artifacts.zip')
      ctx.announce(`Downloaded the archive of job #${job.id}`)
    } catch (error) {
      ctx.announce(`Download refused: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  /** The archive's entries, read in the page; each opens through the single-file route. */
  const browse = async () => {
    let entries: { name: string; size: number }[]
    try {
      const data = new Uint8Array(await (await ctx.client.gitlab(`${base}/artifacts`)).arrayBuffer())
      entries = []
      // The filter sees every entry's header; answering false skips inflating it.
      unzipSync(data, {
        filter: (file) => {
          entries.push({ name: file.name, size: file.originalSize })
          return false
        },
      })
    } catch (error) {
      ctx.announce(`Browsing refused: ${error instanceof Error ? error.message : String(error)}`)
      return
    }
    const viewer = h('div', { class: 'viewer' })
    const listed = entries.filter((e) => !e.name.endsWith('/'))
    replace(
      files,
      h('h3', null, `Files in the archive (${listed.length})`),
      h(
        'table',
        { class: 'list', id: 'archive-files' },
        h('caption', { class: 'visually-hidden' }, 'Files in the archive'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Path'),
            h('th', { scope: 'col', class: 'num' }, 'Size'),
            h('th', { scope: 'col' }, 'Open'),
          ),
        ),
        h(
          'tbody',
          null,
          listed.map((entry) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row' }, h('code', null, entry.name)),
              h('td', { class: 'num' }, bytes(entry.size)),
              h(
                'td',
                null,
                h(
                  'button',
                  {
                    type: 'button',
                    'aria-label': `Open ${entry.name}`,
                    onclick: () => void open(entry.name, viewer),
                  },
                  'Open',
                ),
              ),
            ),
          ),
        ),
      ),
      viewer,
    )
    ctx.announce(`${listed.length} files in the archive`)
  }

  /** One entry through `GET …/artifacts/*artifact_path`: text shown, anything else saved. */
  const open = async (path: string, viewer: HTMLElement) => {
    try {
      const response = await ctx.client.gitlab(
        `${base}/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`,
      )
      const data = new Uint8Array(await response.arrayBuffer())
      const text = textOf(data)
      if (text === null) {
        save(new Blob([data]), path.slice(path.lastIndexOf('/') + 1))
        replace(viewer, h('p', null, `${path}: saved (${bytes(data.length)}, not text).`))
      } else replace(viewer, h('h4', null, path), h('pre', { class: 'file', tabindex: 0 }, text))
    } catch (error) {
      ctx.announce(`Opening ${path} refused: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  const readTrace = async (): Promise<string> => {
    try {
      return await (await ctx.client.gitlab(`${base}/trace`)).text()
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      traceState.textContent = error.message
      return ''
    }
  }

  const refreshTrace = async () => showTrace(await readTrace())

  const showTrace = (text: string) => {
    if (text === traceText) return
    const atEnd = trace.scrollTop + trace.clientHeight >= trace.scrollHeight - 4
    traceText = text
    trace.textContent = text || '(empty)'
    if (atEnd) trace.scrollTop = trace.scrollHeight
  }

  let polling = false
  const startPolling = () => {
    if (polling || !MOVING.has(job.status)) return
    polling = true
    traceState.textContent = 'Following the job while it moves…'
    ctx.poll(async () => {
      if (!MOVING.has(job.status)) return
      // Both read before either shows, so that a finished job shows its whole trace with it.
      const next = await ctx.client.json<Job>(base)
      const text = await readTrace()
      job = next
      render()
      showTrace(text)
      if (!MOVING.has(job.status))
        traceState.textContent = `The job ended: ${STATUS_LABELS[job.status] ?? job.status}.`
    }, 1000)
  }

  replace(
    ctx.main,
    h(
      'p',
      { class: 'crumbs' },
      h('a', { href: '#/' }, 'Projects'),
      ' / ',
      h('a', { href: `#/projects/${projectId}` }, name),
      ' / ',
      `job #${jobId}`,
    ),
    head,
    actions,
    h(
      'section',
      { 'aria-labelledby': 'trace-heading' },
      h('h2', { id: 'trace-heading' }, 'Trace'),
      traceState,
      trace,
    ),
    artifacts,
  )
  render()
  await refreshTrace()
  startPolling()
}

function fact(term: string, ...value: Child[]): Child {
  return [h('dt', null, term), h('dd', null, ...value)]
}

function filenameOf(response: Response): string | undefined {
  const disposition = response.headers.get('Content-Disposition') ?? ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (star) return decodeURIComponent(star[1] as string)
  return /filename="([^"]+)"/i.exec(disposition)?.[1]
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = h('a', { href: url, download: name, hidden: true })
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** UTF-8 text without NUL bytes (a log, HTML, JSON), or null for anything else. */
function textOf(data: Uint8Array): string | null {
  if (data.length > 1024 * 1024 || data.includes(0)) return null
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data)
  } catch {
    return null
  }
}

import type { JournalEntry } from './api.js'
import type { Context } from './context.js'
import { h, replace } from './dom.js'
import { statusGroup } from './status.js'

/** Rows the table keeps: the newest. */
const KEEP = 500

/**
 * `#/requests`: the request journal as a live table, newest first. It reads
 * `GET /__fake/requests?after=…` a page at a time (following `X-Next-After`) every second.
 */
export async function requestsView(ctx: Context): Promise<void> {
  let after = 0
  let paused = false
  let total = 0
  const body = h('tbody')
  const count = h('span', { class: 'meta', id: 'journal-count' })
  const pause = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Pause')
  pause.addEventListener('click', () => {
    paused = !paused
    pause.setAttribute('aria-pressed', String(paused))
    pause.textContent = paused ? 'Resume' : 'Pause'
  })
  const clear = h('button', { type: 'button' }, 'Clear journal')
  clear.addEventListener('click', async () => {
    await ctx.client.fake('/requests', { method: 'DELETE' })
    replace(body)
    total = 0
    count.textContent = ''
    ctx.announce('The journal is cleared')
  })

  const read = async () => {
    if (paused) return
    // Only the newest KEEP become rows, however many arrived (a journal of 100,000 on first view).
    let fresh: JournalEntry[] = []
    let arrived = 0
    for (;;) {
      const response = await ctx.client.fake(`/requests?after=${after}&limit=1000`)
      const entries = (await response.json()) as JournalEntry[]
      arrived += entries.length
      fresh = fresh.concat(entries).slice(-KEEP)
      const last = entries[entries.length - 1]
      if (last) after = last.id
      if (!response.headers.get('X-Next-After')) break
    }
    if (arrived === 0 || !ctx.current()) return
    total += arrived
    body.prepend(...fresh.reverse().map(row))
    while (body.childElementCount > KEEP) body.lastElementChild?.remove()
    count.textContent = `${total.toLocaleString('en')} requests seen${total > KEEP ? `, the newest ${KEEP} shown` : ''}`
  }

  replace(
    ctx.main,
    h('h1', null, 'Requests'),
    h(
      'p',
      null,
      'Every request the fake answered, newest first, as ',
      h('code', null, 'GET /__fake/requests'),
      ' lists them. ',
      count,
    ),
    h('p', { class: 'actions' }, pause, clear),
    h(
      'table',
      { class: 'list journal', id: 'journal' },
      h('caption', { class: 'visually-hidden' }, 'Request journal'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col', class: 'num' }, '#'),
          h('th', { scope: 'col' }, 'Time (UTC)'),
          h('th', { scope: 'col' }, 'Method'),
          h('th', { scope: 'col' }, 'Path'),
          h('th', { scope: 'col', class: 'num' }, 'Status'),
          h('th', { scope: 'col', class: 'num' }, 'ms'),
          h('th', { scope: 'col' }, 'Client'),
        ),
      ),
      body,
    ),
  )
  await read()
  ctx.poll(read, 1000)
}

function row(entry: JournalEntry): HTMLElement {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(entry.query))
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, v)
  const q = query.toString()
  const status =
    entry.status >= 500 || entry.status === 0 ? 'failed' : entry.status >= 400 ? 'pending' : 'success'
  return h(
    'tr',
    { 'data-id': entry.id },
    h('td', { class: 'num' }, entry.id),
    h('td', null, h('time', { datetime: entry.at }, entry.at.slice(11, 23))),
    h('td', null, entry.method),
    h('td', { class: 'path' }, h('code', null, entry.path + (q ? `?${readable(q)}` : ''))),
    h(
      'td',
      { class: `num code status-${statusGroup(status)}` },
      entry.status === 0 ? 'dropped' : entry.status,
      entry.fault ? ` (${entry.fault})` : '',
    ),
    h('td', { class: 'num' }, entry.ms.toFixed(1)),
    h(
      'td',
      { class: 'meta' },
      entry.headers['private-token']
        ? `token ${entry.headers['private-token']}`
        : (entry.headers['user-agent'] ?? '').slice(0, 40),
    ),
  )
}

/** A query as people read it: `scope[]=failed`, not `scope%5B%5D=failed`. */
function readable(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, ' '))
  } catch {
    return query
  }
}

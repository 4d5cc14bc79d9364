import { startWorker } from 'gitlab-fake/browser'
import { http } from 'msw'

/**
 * A small app of the kind a frontend developer writes against GitLab, run under `gitlab-fake/browser`
 * (test/browser/worker-app.test.ts builds it with Vite and drives it in Chromium).
 */

const { gitlab, worker, stop } = await startWorker({ persist: true, quiet: true })
const api = gitlab.apiUrl
const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T

interface Job {
  id: number
  name: string
  stage: string
  status: string
}

const RETRYABLE = ['success', 'failed', 'canceled']

function token(): string {
  return $<HTMLInputElement>('#token').value
}

function say(message: string, error = ''): void {
  $('#message').textContent = message
  $('#error').textContent = error
}

async function listJobs(): Promise<void> {
  const response = await fetch(`${api}/projects/1/jobs?per_page=100`, {
    headers: { 'PRIVATE-TOKEN': token() },
  })
  const table = $<HTMLTableElement>('#jobs')
  if (!response.ok) {
    const body = (await response.json()) as { message?: string }
    table.hidden = true
    say('', `${response.status}: ${body.message ?? response.statusText}`)
    return
  }
  const jobs = (await response.json()) as Job[]
  const rows = jobs.map((job) => {
    const row = document.createElement('tr')
    row.dataset.id = String(job.id)
    for (const text of [`#${job.id}`, job.name, job.stage]) {
      const cell = row.insertCell()
      cell.textContent = text
    }
    const status = row.insertCell()
    status.className = `status ${job.status}`
    status.textContent = job.status
    const action = row.insertCell()
    if (RETRYABLE.includes(job.status)) {
      const button = document.createElement('button')
      button.type = 'button'
      button.textContent = 'Retry'
      button.addEventListener('click', () => void retry(job.id))
      action.append(button)
    }
    return row
  })
  table.tBodies[0]?.replaceChildren(...rows)
  table.hidden = false
  say(`${jobs.length} jobs (X-Total: ${response.headers.get('X-Total')})`)
}

async function retry(id: number): Promise<void> {
  const response = await fetch(`${api}/projects/1/jobs/${id}/retry`, {
    method: 'POST',
    headers: { 'PRIVATE-TOKEN': token() },
  })
  const body = (await response.json()) as Job & { message?: string }
  if (!response.ok) {
    say('', `${response.status}: ${body.message}`)
    return
  }
  await listJobs()
  say(`Job #${id} retried as job #${body.id} (${body.status})`)
}

async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A job with an archive of `mb` MiB of random bytes (so that deflate leaves it that large). */
async function seedArchive(mb: number): Promise<number> {
  // Faker fills what a seeding call leaves out; in a browser it loads on demand.
  await gitlab.seed.ready()
  const bytes = new Uint8Array(mb * 2 ** 20)
  for (let at = 0; at < bytes.length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536))
  let binary = ''
  for (let at = 0; at < bytes.length; at += 32_768)
    binary += String.fromCharCode(...bytes.subarray(at, at + 32_768))
  const { jobs } = gitlab.seed.pipeline({
    project: 'foo/bar',
    jobs: [
      {
        name: 'bundle',
        stage: 'build',
        status: 'success',
        artifacts: [{ file_type: 'archive', files: { 'dist/bundle.bin': { base64: btoa(binary) } } }],
      },
    ],
  })
  return jobs[0]?.id as number
}

/** The archive, or with `path` one file out of it. */
function archiveRequest(id: number, path?: string): Request {
  return new Request(`${api}/projects/1/jobs/${id}/artifacts${path ? `/${path}` : ''}`, {
    headers: { 'PRIVATE-TOKEN': token() },
  })
}

/** Downloads the archive through the worker (fetch), as the page's code does; shows its size and digest. */
async function download(id: number, path?: string): Promise<{ size: number; sha256: string; ms: number }> {
  const started = performance.now()
  const response = await fetch(archiveRequest(id, path))
  const bytes = await response.arrayBuffer()
  const ms = performance.now() - started
  const result = { size: bytes.byteLength, sha256: await sha256(bytes), ms }
  $('#download').textContent =
    `job #${id}${path ? ` ${path}` : ''}: ${response.status}, ${response.headers.get('Content-Disposition')}, ${(result.size / 2 ** 20).toFixed(1)} MiB in ${ms.toFixed(0)} ms, sha256 ${result.sha256}`
  return result
}

/** The same archive through `gitlab.handle()` in this page, without the worker. */
async function handled(id: number, path?: string): Promise<{ size: number; sha256: string; ms: number }> {
  const started = performance.now()
  const response = (await gitlab.handle(archiveRequest(id, path))) as Response
  const bytes = await response.arrayBuffer()
  const ms = performance.now() - started
  return { size: bytes.byteLength, sha256: await sha256(bytes), ms }
}

/**
 * For the measurement only: MSW's own floor, a handler answering the same bytes as one prepared
 * Response through the same worker (test/browser/worker-app.test.ts compares with it).
 */
function baseline(id: number): string {
  const archive = gitlab.store.jobs.get(id)?.artifacts.find((a) => a.file_type === 'archive')
  const bytes = gitlab.store.blob(archive?.blob as string) as Uint8Array<ArrayBuffer>
  worker.use(http.get('https://baseline.example/archive', () => new Response(bytes.slice())))
  return 'https://baseline.example/archive'
}

async function fetched(url: string): Promise<{ size: number; ms: number }> {
  const started = performance.now()
  const bytes = await (await fetch(url)).arrayBuffer()
  return { size: bytes.byteLength, ms: performance.now() - started }
}

function showJournal(): void {
  const rows = gitlab.journal.entries.map((entry) => {
    const row = document.createElement('tr')
    for (const text of [String(entry.id), entry.method, entry.path, String(entry.status)]) {
      const cell = row.insertCell()
      cell.textContent = text
    }
    return row
  })
  const table = $<HTMLTableElement>('#journal')
  table.tBodies[0]?.replaceChildren(...rows)
  table.hidden = false
}

$('#auth').addEventListener('submit', (event) => {
  event.preventDefault()
  void listJobs()
})
$('#show-journal').addEventListener('click', showJournal)

Object.assign(window, { app: { gitlab, seedArchive, download, handled, listJobs, baseline, fetched, stop } })
document.body.dataset.ready = 'true'

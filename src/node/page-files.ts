import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Answer, answer } from '../api/responses.js'

/**
 * The fake's own page (src/page, built by `npm run build` into dist/page), served by the
 * standalone server at `/__fake/`, its files at `/__fake/assets/…`. `/` leads there: GitLab
 * sends a visitor of `/` elsewhere too (to its sign-in page), and no API client asks for `/`.
 */

/** Where the built page is: beside dist/node when running built, dist/page when running from src. */
const PAGE_DIR = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '../page/' : '../../dist/page/', import.meta.url),
)

/**
 * What every file of the page carries: it may not be framed, so no site can lay it under its own
 * and trick a click on Reset, cancel or erase. GitLab's routes keep GitLab's headers.
 */
const NO_FRAMING = { 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "frame-ancestors 'none'" }

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  map: 'application/json',
}

/** Read once: the page is a few small files, and dist changes only with a new build. */
const cache = new Map<string, Answer>()

/** The answer to a GET of the page at `path` (as sent), or undefined when the path is not the page's. */
export function pageAnswer(path: string): Answer | undefined {
  if (path === '/' || path === '/__fake') return redirect('/__fake/')
  if (path === '/__fake/') return file('index.html')
  const asset = /^\/__fake\/(assets\/[\w.-]+\.(?:js|css|svg|png|map))$/.exec(path)
  return asset ? file(asset[1] as string) : undefined
}

function file(name: string): Answer {
  const cached = cache.get(name)
  if (cached) return cached
  const path = PAGE_DIR + name
  if (!existsSync(path)) {
    if (name === 'index.html')
      return answer(
        404,
        { 'Content-Type': 'text/plain; charset=utf-8', ...NO_FRAMING },
        'The page of gitlab-fake is not built here: run `npm run build`.\n',
      )
    return answer(404, { 'Content-Type': 'text/plain; charset=utf-8', ...NO_FRAMING }, 'Not Found\n')
  }
  const body = readFileSync(path)
  const extension = name.slice(name.lastIndexOf('.') + 1)
  const found = answer(
    200,
    {
      'Content-Type': TYPES[extension] ?? 'application/octet-stream',
      // Assets carry a hash of their content in their name; the page itself is looked up each time.
      'Cache-Control': name === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      ...NO_FRAMING,
    },
    new Uint8Array(body.buffer, body.byteOffset, body.length),
  )
  cache.set(name, found)
  return found
}

function redirect(location: string): Answer {
  // Rails' redirect_to body, as GitLab sends it for `/`.
  return answer(
    302,
    { Location: location, 'Content-Type': 'text/html; charset=utf-8' },
    `<html><body>You are being <a href="${location}">redirected</a>.</body></html>`,
  )
}

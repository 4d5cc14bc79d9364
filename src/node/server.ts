import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { type Answer, type ApiRequest, answer } from '../api/responses.js'
import { CONTROL_PREFIX, handleControl } from '../control/control-api.js'
import { createGitLabFake, type GitLabFake, type GitLabFakeOptions } from '../fake.js'

export interface ServeOptions {
  /** Default 4000; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** The URL clients should see in `web_url` and `Link` (GitLab's external URL). Default: the address it listens on. */
  externalUrl?: string
  /** The control API under /__fake/. Default true. */
  control?: boolean
  /** Called with one line per request (method, path, status, milliseconds). */
  log?: (line: string) => void
  /** Larger request bodies are refused with 413. Default 64 MiB. */
  maxBodyBytes?: number
}

export interface ListenOptions extends Omit<GitLabFakeOptions, 'baseUrl'>, Omit<ServeOptions, 'externalUrl'> {
  /** GitLab's external URL, as `--base-url` sets it. Default: the address it listens on. */
  baseUrl?: string
}

export interface RunningServer {
  /** The address it listens on, `http://127.0.0.1:PORT`. */
  readonly url: string
  /** The URL its answers name. */
  readonly externalUrl: string
  readonly fake: GitLabFake
  readonly server: Server
  /** Stops accepting connections and resolves once the requests in flight are answered. */
  close(): Promise<void>
}

/** A new fake, served over HTTP. */
export async function listen(options: ListenOptions = {}): Promise<RunningServer> {
  const { port, host, control, log, maxBodyBytes, baseUrl, ...fakeOptions } = options
  const fake = createGitLabFake({ ...fakeOptions, ...(baseUrl ? { baseUrl } : {}) })
  return serve(fake, { port, host, control, log, maxBodyBytes, externalUrl: baseUrl })
}

/**
 * Serves a fake over HTTP, for clients in any language. Each request goes to the control API or
 * to the fake's GitLab routes (the same route table its MSW handler dispatches to), its URL
 * rewritten onto the fake's base URL; `web_url` and `Link` name the external URL.
 */
export async function serve(fake: GitLabFake, options: ServeOptions = {}): Promise<RunningServer> {
  const { port = 4000, host = '127.0.0.1', control = true, log, maxBodyBytes = 64 * 1024 * 1024 } = options
  const origin = new URL(fake.baseUrl).origin
  let externalUrl = options.externalUrl ?? ''
  const server = createServer((req, res) => {
    const started = log ? performance.now() : 0
    const done = () =>
      log?.(`${req.method} ${req.url} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`)
    const fail = (error: unknown) => {
      console.error('gitlab-fake: failed to answer', error)
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' })
      res.end('{"message":"500 Internal Server Error"}')
    }
    try {
      // Synchronous for a GET answered from memory: no promise on the common path.
      const pending = handle(req, res)
      if (pending) pending.catch(fail).finally(done)
      else done()
    } catch (error) {
      fail(error)
      done()
    }
  })

  function handle(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
    const method = req.method ?? 'GET'
    const target = req.url ?? '/'
    // Origin-form only ("/api/v4/…"); "//x" must stay a path and never become a host.
    let url: URL
    try {
      if (!target.startsWith('/')) throw new TypeError('not origin-form')
      url = new URL(origin + target)
    } catch {
      return write(res, method, BAD_REQUEST)
    }
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      req.resume()
      return write(res, method, TOO_LARGE, true)
    }
    if (method === 'GET' || method === 'HEAD') return respond(req, res, method, url, EMPTY)
    return readBody(req, maxBodyBytes).then((body) =>
      body === null ? write(res, method, TOO_LARGE, true) : respond(req, res, method, url, body),
    )
  }

  function respond(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    body: Buffer,
  ): void | Promise<void> {
    // The request as the routes read it, straight from Node's: no Fetch objects on this path.
    const raw = req.headers
    const request: ApiRequest = {
      method,
      url: url.href,
      parsedUrl: url,
      // Holds Node's plain header object only (the journal keeps it), not the request.
      headers: { get: (name) => headerOf(raw, name) },
      text: async () => body.toString('utf8'),
    }
    if (control && url.pathname.startsWith(CONTROL_PREFIX)) {
      return handleControl(fake, request, url).then((result) => write(res, method, result ?? NOT_FOUND))
    }
    const result = fake.answer(request, { externalUrl })
    if (result instanceof Promise) return result.then((r) => write(res, method, r ?? NOT_FOUND))
    return write(res, method, result ?? NOT_FOUND)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${hostPart}:${address.port}`
  externalUrl ||= url
  return {
    url,
    externalUrl,
    fake,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeIdleConnections()
      }),
  }
}

function write(res: ServerResponse, method: string, result: Answer, close = false): void | Promise<void> {
  // Node takes header names in any case; only a length or a close is ever added.
  let headers = result.headers
  const { body } = result
  const sized = typeof body === 'string' || body instanceof Uint8Array || Array.isArray(body)
  const hasLength = 'Content-Length' in headers || 'content-length' in headers
  if (close || (sized && !hasLength)) {
    headers = { ...headers }
    if (close) headers.connection = 'close'
    if (sized && !hasLength) {
      headers['content-length'] = String(
        typeof body === 'string'
          ? Buffer.byteLength(body)
          : Array.isArray(body)
            ? body.reduce((n: number, c: Uint8Array) => n + c.length, 0)
            : (body as Uint8Array).length,
      )
    }
  }
  if (body === null) {
    res.writeHead(result.status, headers)
    res.end()
    return
  }
  if (sized) {
    // An answer from memory (JSON, a log, a file): sent whole, with its length, as GitLab sends it.
    res.writeHead(result.status, headers)
    if (method === 'HEAD') res.end()
    // Buffer.concat takes uninitialised memory: no zero-filling 160 KB for a page of jobs.
    else if (Array.isArray(body)) res.end(Buffer.concat(body as readonly Uint8Array[]))
    else res.end(body as string | Uint8Array)
    return
  }
  const stream = body as ReadableStream<Uint8Array>
  res.writeHead(result.status, headers)
  if (method === 'HEAD') {
    res.end()
    return stream.cancel()
  }
  // A download: streamed.
  return new Promise<void>((resolve, reject) => {
    Readable.fromWeb(stream as import('node:stream/web').ReadableStream)
      .on('error', reject)
      .pipe(res)
      .on('finish', resolve)
  })
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()]
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
}

const EMPTY = Buffer.alloc(0)

/** The body, or null once it is larger than the limit. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) {
      req.resume()
      return null
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Outside /api/v4 GitLab serves its web UI; the fake has none. */
const NOT_FOUND = answer(404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Not Found\n')

/** nginx in front of GitLab refuses a body over `client_max_body_size`. */
const TOO_LARGE = answer(
  413,
  { 'Content-Type': 'text/html' },
  '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
)

const BAD_REQUEST = answer(400, { 'Content-Type': 'application/json' }, '{"error":"400 Bad Request"}')

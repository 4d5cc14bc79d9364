import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { hostname, networkInterfaces } from 'node:os'
import { type Duplex, Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type Answer, type ApiRequest, answer } from '../api/responses.js'
import { ControlAccess, hostnameOf } from '../control/control-access.js'
import { handleControl, isControlPath } from '../control/control-api.js'
import { createGitLabFake, type GitLabFake, type GitLabFakeOptions } from '../fake.js'
import { ConnectionDropped } from '../faults/connection.js'
import type { ServeOptions } from '../serve-options.js'
import { pageAnswer } from './page-files.js'

export type { ServeOptions }

export interface ListenOptions extends Omit<GitLabFakeOptions, 'baseUrl'>, Omit<ServeOptions, 'externalUrl'> {
  /** GitLab's external URL, as `--base-url` sets it. Default: the `Host` each client sent. */
  baseUrl?: string
}

export interface RunningServer {
  /** The address it listens on, `http://127.0.0.1:PORT`. */
  readonly url: string
  /** The URL its answers name (without `externalUrl`, a client's `Host` names its own answers). */
  readonly externalUrl: string
  readonly fake: GitLabFake
  readonly server: Server
  /**
   * Stops accepting connections and resolves once the requests in flight are answered, or once
   * `graceMs` (default: the server's) has passed, when the connections still open are dropped.
   */
  close(options?: { graceMs?: number }): Promise<void>
}

/** A new fake, served over HTTP. */
export async function listen(options: ListenOptions = {}): Promise<RunningServer> {
  const { port, host, control, allowOrigins, log, onError, maxBodyBytes, graceMs, baseUrl, ...fakeOptions } =
    options
  // A server's clock follows real time unless told otherwise, so that jobs finish on their own.
  const fake = createGitLabFake({ clock: 'real', ...fakeOptions, ...(baseUrl ? { baseUrl } : {}) })
  return serve(fake, {
    port,
    host,
    control,
    allowOrigins,
    log,
    onError,
    maxBodyBytes,
    graceMs,
    externalUrl: baseUrl,
  })
}

/**
 * Serves a fake over HTTP, for clients in any language. Each request goes to the control API or
 * to the fake's GitLab routes (the same route table its MSW handler dispatches to), its URL
 * rewritten onto the fake's base URL; `web_url` and `Link` name the external URL.
 */
export async function serve(fake: GitLabFake, options: ServeOptions = {}): Promise<RunningServer> {
  const {
    port = 4000,
    host = '127.0.0.1',
    control = true,
    log,
    onError = (line: string) => process.stderr.write(`${line}\n`),
    maxBodyBytes = 64 * 1024 * 1024,
    graceMs = 5000,
  } = options
  const origin = new URL(fake.baseUrl).origin
  const hostNames = hostNamesOf(host, options.externalUrl)
  // Set once it listens: its own page's origins carry the port.
  let access: ControlAccess
  // Set once it listens.
  let url = ''
  let urlHost = ''
  const externalUrls = new Map<string, string>()
  let closing = false
  /** Per connection, the requests not yet answered, and what to do once they are. */
  const inFlight = new WeakMap<Duplex, { requests: Set<IncomingMessage>; afterwards?: () => void }>()
  const answering = (req: IncomingMessage, res: ServerResponse) => {
    const pending = inFlight.get(req.socket) ?? { requests: new Set() }
    pending.requests.add(req)
    inFlight.set(req.socket, pending)
    res.once('close', () => {
      pending.requests.delete(req)
      if (pending.requests.size > 0) return
      inFlight.delete(req.socket)
      pending.afterwards?.()
    })
  }
  /** Sockets taken over by a CONNECT, which the HTTP server no longer tracks. */
  const tunnels = new Set<Duplex>()

  const server = createServer((req, res) => {
    answering(req, res)
    const started = log ? performance.now() : 0
    let aborted = false
    let dropped = false
    const done = () =>
      log?.(
        `${req.method} ${req.url} ${dropped ? 'dropped' : res.statusCode} ${(performance.now() - started).toFixed(1)}ms${aborted ? ' (client went away)' : ''}`,
      )
    const fail = (error: unknown) => {
      // A fault's dropped connection: no answer, the socket closed as a failing proxy leaves it.
      if (error instanceof ConnectionDropped) {
        dropped = true
        res.destroy()
        return
      }
      aborted = isAbort(error)
      if (!aborted) onError(`gitlab-fake: failed to answer ${req.method} ${req.url}: ${oneLine(error)}`)
      if (res.writableFinished || req.socket.destroyed) return
      // What was sent cannot be taken back: a 500 now would be read as the rest of the body.
      if (res.headersSent) {
        res.destroy()
        return
      }
      try {
        // The reason and the length given outright: a header that failed may have left its own.
        res.writeHead(500, 'Internal Server Error', {
          'Content-Type': 'application/json',
          'Content-Length': String(INTERNAL_ERROR.length),
          Connection: 'close',
        })
        res.end(INTERNAL_ERROR)
      } catch {
        res.destroy()
      }
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

  // A request that does not parse ends its connection with Node's answer (400, 431, 413, 408), but
  // only once the requests before it on that connection are answered: nginx answers a pipelined
  // request in full before the bad one, and so does the fake (a 201 lost to a 400 would hide a
  // change that was made).
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const send = () => {
      if (socket.writable) socket.end(clientErrorAnswer(error.code), () => socket.destroy())
      else socket.destroy()
    }
    // A request whose body was still arriving will never have it now: nothing to wait for.
    const pending = inFlight.get(socket)
    if (pending && [...pending.requests].every((req) => req.complete)) pending.afterwards = send
    else send()
  })

  // nginx refuses CONNECT (src/http/ngx_http_request.c, since 1.21.1) with 405 and closes.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    tunnels.add(socket)
    socket.on('error', () => {}).on('close', () => tunnels.delete(socket))
    socket.end(CONNECT_REFUSED, () => socket.destroy())
    log?.(`CONNECT ${req.url} 405 0.0ms`)
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
      return write(res, method, BAD_REQUEST, closing)
    }
    const rawPath = rawPathOf(target)
    let cors: Record<string, string> | undefined
    const isControl = control && isControlPath(rawPath)
    if (isControl) {
      const headers = { get: (name: string) => headerOf(req.headers, name) }
      const refused = access.refusal(headers) ?? access.preflight(method, headers)
      if (refused) return write(res, method, refused, closing)
      cors = access.corsHeaders(headers)
    }
    // The fake's own page, beside the control API: `/__fake/`, its assets, and `/` leading there.
    if (control && (method === 'GET' || method === 'HEAD')) {
      const page = pageAnswer(rawPath)
      if (page) return write(res, method, page, closing)
    }
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      req.resume()
      return write(res, method, TOO_LARGE, true)
    }
    if (method === 'GET' || method === 'HEAD')
      return respond(req, res, method, url, rawPath, EMPTY, isControl, cors)
    return readBody(req, maxBodyBytes).then((body) =>
      body === null
        ? write(res, method, TOO_LARGE, true)
        : respond(req, res, method, url, rawPath, body, isControl, cors),
    )
  }

  function respond(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    rawPath: string,
    body: Buffer,
    isControl: boolean,
    cors: Record<string, string> | undefined,
  ): void | Promise<void> {
    // The request as the routes read it, straight from Node's: no Fetch objects on this path.
    const raw = req.headers
    const request: ApiRequest = {
      method,
      url: url.href,
      parsedUrl: url,
      rawPath,
      // Holds Node's plain header object only (the journal keeps it), not the request.
      headers: { get: (name) => headerOf(raw, name) },
      text: async () => body.toString('utf8'),
    }
    if (isControl) {
      return handleControl(fake, request, url).then((result) => {
        const out = result ?? NOT_FOUND
        return write(
          res,
          method,
          cors ? answer(out.status, { ...out.headers, ...cors }, out.body) : out,
          closing,
        )
      })
    }
    const result = fake.answer(request, { externalUrl: externalUrlOf(raw.host) })
    if (result instanceof Promise) return result.then((r) => write(res, method, r ?? NOT_FOUND, closing))
    return write(res, method, result ?? NOT_FOUND, closing)
  }

  /** The URL answers name: the external URL given, else the one the client asked under. */
  function externalUrlOf(host: string | undefined): string {
    if (options.externalUrl) return options.externalUrl
    if (host === undefined || host === urlHost) return url
    let named = externalUrls.get(host)
    if (named === undefined) {
      named = hostnameOf(host) === undefined ? url : new URL(`http://${host}`).origin
      if (externalUrls.size >= 100) externalUrls.clear()
      externalUrls.set(host, named)
    }
    return named
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  urlHost = `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
  url = `http://${urlHost}`
  access = new ControlAccess({
    allowOrigins: options.allowOrigins,
    hostNames,
    ownOrigins: [
      ...hostNames.map((name) => `http://${hostnameOf(name) ?? name}:${address.port}`),
      ...(options.externalUrl ? [options.externalUrl] : []),
    ],
  })
  let closed: Promise<void> | undefined
  return {
    url,
    externalUrl: options.externalUrl || url,
    fake,
    server,
    close: ({ graceMs: grace = graceMs } = {}) => {
      closed ??= new Promise<void>((resolve, reject) => {
        closing = true
        // A keep-alive connection is idle once its answer is written: closed then, at the next sweep.
        const sweep = setInterval(() => server.closeIdleConnections(), 50)
        const drop = setTimeout(() => {
          server.closeAllConnections()
          for (const socket of tunnels) socket.destroy()
        }, grace)
        server.close((error) => {
          clearInterval(sweep)
          clearTimeout(drop)
          if (error) reject(error)
          else resolve()
        })
        server.closeIdleConnections()
      })
      return closed
    },
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
    else if (Array.isArray(body)) return writePieces(res, body as readonly Uint8Array[])
    else res.end(body as string | Uint8Array)
    return
  }
  const stream = body as ReadableStream<Uint8Array>
  res.writeHead(result.status, headers)
  if (method === 'HEAD') {
    res.end()
    return stream.cancel()
  }
  // A download: streamed; if either end fails, both are closed.
  return pipeline(Readable.fromWeb(stream as import('node:stream/web').ReadableStream), res)
}

/**
 * Pieces of an answer: a page of JSON joined into one write (Buffer.concat takes uninitialised
 * memory: no zero-filling 160 KB for a page of jobs); a download streamed as views of the kept
 * bytes, copying nothing, and in flight until the client has taken it (if either end fails, both
 * are closed).
 */
function writePieces(res: ServerResponse, pieces: readonly Uint8Array[]): void | Promise<void> {
  let size = 0
  for (const piece of pieces) size += piece.length
  if (size <= 1024 * 1024) {
    res.end(Buffer.concat(pieces))
    return
  }
  return pipeline(Readable.from(views(pieces), { objectMode: false }), res)
}

/** The pieces 64 KiB at a time, as views. */
function* views(pieces: readonly Uint8Array[]): Generator<Uint8Array> {
  const CHUNK = 64 * 1024
  for (const piece of pieces)
    for (let at = 0; at < piece.length; at += CHUNK) yield piece.subarray(at, at + CHUNK)
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()]
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
}

const EMPTY = Buffer.alloc(0)

/**
 * The path of an origin-form request target as sent, `.`, `..` and escapes untouched (Workhorse
 * and Rails see it so); only bytes a URL path never holds as such are escaped.
 */
function rawPathOf(target: string): string {
  const q = target.indexOf('?')
  const path = q === -1 ? target : target.slice(0, q)
  return UNSAFE.test(path) ? path.replace(UNSAFE_ALL, escapeChar) : path
}

const UNSAFE = /[^\x21-\x7e]|["#<>`{}]/
const UNSAFE_ALL = /[^\x21-\x7e]|["#<>`{}]/g

function escapeChar(c: string): string {
  // Node hands the target over as latin1: one character per byte.
  return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
}

/** The names a Host header may give for this server, beyond the loopback ones. */
function hostNamesOf(host: string, externalUrl: string | undefined): string[] {
  const names = externalUrl ? [new URL(externalUrl).host] : []
  if (host === '0.0.0.0' || host === '::' || host === '') {
    // Listening everywhere: the machine's own addresses and name name it too.
    names.push(hostname())
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.push(a.family === 'IPv6' ? `[${a.address}]` : a.address)
  } else names.push(host.includes(':') ? `[${host}]` : host)
  return names
}

/** A client that went away: nothing to report, nothing more to send. */
function isAbort(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ECONNABORTED' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (error instanceof Error && error.message === 'aborted')
  )
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return text.replace(/\s*\n\s*/g, ' ')
}

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

const INTERNAL_ERROR = Buffer.from('{"message":"500 Internal Server Error"}')

const CONNECT_REFUSED = Buffer.from(
  'HTTP/1.1 405 Not Allowed\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 150\r\nConnection: close\r\n\r\n<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n<center><h1>405 Not Allowed</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
  'latin1',
)

const BAD_REQUEST = answer(400, { 'Content-Type': 'application/json' }, '{"error":"400 Bad Request"}')

/** Node's own answers to a request it cannot parse (lib/_http_server.js, socketOnError). */
function clientErrorAnswer(code: string | undefined): string {
  const [status, reason] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
        ? [413, 'Payload Too Large']
        : code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout']
          : [400, 'Bad Request']
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getResponse } from 'msw'
import { createGitLabFake, type GitLabFake, type GitLabFakeOptions } from '../fake.js'

export interface ListenOptions extends Omit<GitLabFakeOptions, 'baseUrl'> {
  /** Default 4000; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT`: the fake's GitLab URL, used in `web_url` and `Link`. */
  readonly url: string
  readonly fake: GitLabFake
  readonly server: Server
  /** Stops accepting connections and resolves once open ones are done. */
  close(): Promise<void>
}

/**
 * Serves the fake's MSW handlers over HTTP, for clients in any language: each request becomes
 * a Fetch Request for msw's `getResponse`, and its Response is written back. The fake's URL is
 * the address it listens on, so that clients following links stay on it.
 */
export async function listen(options: ListenOptions = {}): Promise<RunningServer> {
  const { port = 4000, host = '127.0.0.1', ...fakeOptions } = options
  let fake: GitLabFake | undefined
  const server = createServer((req, res) => {
    if (!fake) {
      res.writeHead(503).end()
      return
    }
    serve(fake, req, res).catch((error: unknown) => {
      console.error('gitlab-fake: failed to answer', error)
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' })
      res.end('{"message":"500 Internal Server Error"}')
    })
  })
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
  fake = createGitLabFake({ ...fakeOptions, baseUrl: url })
  return {
    url,
    fake,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeIdleConnections()
      }),
  }
}

async function serve(fake: GitLabFake, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET'
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
  }
  const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await readBody(req))
  // The raw path as sent; "//x" must stay a path, never become a host.
  const request = new Request(new URL(fake.baseUrl).origin + (req.url ?? '/'), { method, headers, body })
  const response = (await getResponse(fake.handlers, request)) ?? notFound()
  const out: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    out[name] = value
  })
  const bytes =
    method === 'HEAD' || response.body === null ? undefined : Buffer.from(await response.arrayBuffer())
  if (bytes !== undefined) out['content-length'] = String(bytes.length)
  res.writeHead(response.status, out)
  res.end(bytes)
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Outside /api/v4 GitLab serves its web UI; the fake has none. */
function notFound(): Response {
  return new Response('Not Found\n', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}

/**
 * The options of `serve()` and `gitlab.listen()`, apart from the server (src/node/server.ts), so
 * that the types of the universal and browser entries name nothing of Node.
 */
export interface ServeOptions {
  /** Default 4000; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /**
   * The URL clients should see in `web_url` and `Link` (GitLab's external URL). Default: the
   * `Host` the client sent, or the address it listens on when that is missing or malformed.
   */
  externalUrl?: string
  /** The control API under /__fake/. Default true. */
  control?: boolean
  /**
   * Origins whose web pages may use the control API, beyond the loopback ones
   * (`http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`, https too); `'*'` allows any.
   */
  allowOrigins?: readonly string[]
  /** Called with one line per request (method, path, status, milliseconds). */
  log?: (line: string) => void
  /**
   * Called with one line per answer that failed. A client that went away is no failure and is
   * not reported. Default: a line on stderr.
   */
  onError?: (line: string) => void
  /** Larger request bodies are refused with 413. Default 64 MiB. */
  maxBodyBytes?: number
  /** How long `close()` lets the requests in flight finish before it drops their connections. Default 5000. */
  graceMs?: number
}

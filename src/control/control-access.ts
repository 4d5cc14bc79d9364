import { type Answer, jsonResponse } from '../api/responses.js'

export interface ControlAccessOptions {
  /** Origins whose pages may use the control API beyond the loopback ones; `'*'` allows any. */
  allowOrigins?: readonly string[]
  /** Host names that name this server beyond the loopback ones: the listening host, the external URL's. */
  hostNames?: readonly string[]
  /**
   * The origins of this server's own page beyond the loopback ones: its listening URL under each
   * of its names, the external URL's origin. Whole origins: a host name alone would let any page
   * of that site (another scheme, another port) in, and `--base-url` may name a real site.
   */
  ownOrigins?: readonly string[]
}

type Headers = { get(name: string): string | null }

/**
 * Who may use the control API. It loads data and lists every token, and a web page can reach a
 * server on the same machine: a cross-origin `text/plain` POST is a "simple request" that the
 * browser sends without asking first, and a page on a name the attacker rebinds to 127.0.0.1
 * (DNS rebinding) is even same-origin with it. So a control request is refused when its `Host`
 * does not name this server, or when its `Origin` (which browsers send on every cross-origin
 * request and on same-origin writes; curl and test clients send none) is neither a loopback
 * origin nor allowed. GitLab's own routes check neither: GitLab answers any Host and any Origin.
 */
export class ControlAccess {
  private readonly anyOrigin: boolean
  private readonly origins: ReadonlySet<string>
  private readonly hostNames: ReadonlySet<string>

  constructor(options: ControlAccessOptions = {}) {
    const allowed = options.allowOrigins ?? []
    this.anyOrigin = allowed.includes('*')
    this.origins = new Set([...allowed, ...(options.ownOrigins ?? [])].map((o) => normalizeOrigin(o) ?? o))
    this.hostNames = new Set(
      (options.hostNames ?? []).flatMap((h) => {
        const name = hostnameOf(h)
        return name === undefined ? [] : [name]
      }),
    )
  }

  /** The answer refusing the request, or undefined when it may go on. */
  refusal(headers: Headers): Answer | undefined {
    const host = headers.get('host')
    // An HTTP/1.0 request may have no Host; browsers always send one.
    if (host !== null && !this.namesThisServer(host)) {
      // 421 Misdirected Request (RFC 9110, 15.5.20): this server does not answer for that
      // authority. Not 403: nothing is wrong with the client's rights, the name is.
      return jsonResponse(
        {
          error: `the control API answers only for this server's own names, not Host ${JSON.stringify(host)}; name it with --host or --base-url (the host or baseUrl option)`,
        },
        { status: 421 },
      )
    }
    const origin = headers.get('origin')
    if (origin !== null && !this.allowsOrigin(origin)) {
      return jsonResponse(
        {
          error: `origin ${origin} may not use the control API; allow it with --allow-origin ${origin} (the allowOrigins option)`,
        },
        { status: 403 },
      )
    }
    return undefined
  }

  /** The headers an allowed origin's answer carries (none without an Origin). */
  corsHeaders(headers: Headers): Record<string, string> | undefined {
    const origin = headers.get('origin')
    if (origin === null) return undefined
    return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED, Vary: 'Origin' }
  }

  /** The answer to a CORS preflight, or undefined when the request is not one. */
  preflight(method: string, headers: Headers): Answer | undefined {
    const origin = headers.get('origin')
    if (method !== 'OPTIONS' || origin === null || headers.get('access-control-request-method') === null)
      return undefined
    const out: Record<string, string> = {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, HEAD, POST, DELETE',
      'Access-Control-Max-Age': '7200',
      Vary: 'Origin',
    }
    const asked = headers.get('access-control-request-headers')
    if (asked) out['Access-Control-Allow-Headers'] = asked
    // Chromium's Private Network Access: a page of a public origin (one --allow-origin names)
    // asks before it may reach a loopback server (https://wicg.github.io/private-network-access/).
    if (headers.get('access-control-request-private-network') === 'true')
      out['Access-Control-Allow-Private-Network'] = 'true'
    return { status: 204, headers: out, body: null }
  }

  private namesThisServer(host: string): boolean {
    const name = hostnameOf(host)
    return name !== undefined && (isLoopbackName(name) || this.hostNames.has(name))
  }

  private allowsOrigin(origin: string): boolean {
    if (this.anyOrigin || this.origins.has(origin)) return true
    const normal = normalizeOrigin(origin)
    if (normal === undefined) return false
    // A loopback page, or this server's own (in `origins`: when it listens beyond loopback and is
    // opened by a LAN address, or behind the external URL): neither is a page of someone else's site.
    return this.origins.has(normal) || isLoopbackName(new URL(normal).hostname)
  }
}

/** What a control answer lets a page read beyond the safelisted headers: the journal's next page. */
const EXPOSED = 'Link, X-Next-After'

/** `http(s)://host[:port]` as the URL standard writes it, or undefined for anything else (`null`). */
export function normalizeOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    return url.origin
  } catch {
    return undefined
  }
}

/** The host name of a Host header (`name[:port]`, `[v6][:port]`), normalised; undefined if malformed. */
export function hostnameOf(host: string): string | undefined {
  if (host.length > 300 || !/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]+)(?::\d{0,5})?$/.test(host))
    return undefined
  try {
    return new URL(`http://${host}`).hostname.replace(/\.$/, '')
  } catch {
    return undefined
  }
}

/** localhost, a name under .localhost (RFC 6761), 127.0.0.0/8 or ::1, as `hostnameOf` gives them. */
export function isLoopbackName(name: string): boolean {
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(name)
  )
}

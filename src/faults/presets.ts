import { errors } from '../api/errors.js'
import { type Answer, answer } from '../api/responses.js'

/**
 * The failures clients meet in life, as GitLab 13.0 and the proxies in front of an Omnibus
 * install send them.
 */
export const FAULT_PRESETS = ['rate-limit', '500', '502', '503', '504', 'timeout'] as const

export type FaultPreset = (typeof FAULT_PRESETS)[number]

export function isFaultPreset(name: unknown): name is FaultPreset {
  return typeof name === 'string' && (FAULT_PRESETS as readonly string[]).includes(name)
}

/** How long 'timeout' holds a request before it drops the connection, unless `delay` says otherwise. */
export const TIMEOUT_DELAY_MS = 30_000

/** What a preset does: an answer, or (for 'timeout') a connection dropped after a wait. */
export type PresetEffect = { readonly answer: Answer } | { readonly drop: true; readonly delay: number }

export function presetEffect(preset: FaultPreset, options: { retryAfter?: number } = {}): PresetEffect {
  switch (preset) {
    case 'rate-limit':
      return { answer: rateLimited(options.retryAfter ?? 1) }
    case '500':
      // lib/api/api.rb: `rescue_from :all` answers any unexpected error so.
      return { answer: errors.internal().toAnswer() }
    case '502':
      return { answer: WORKHORSE_502 }
    case '503':
      return { answer: nginxPage(503, 'Service Temporarily Unavailable') }
    case '504':
      return { answer: nginxPage(504, 'Gateway Time-out') }
    case 'timeout':
      return { drop: true, delay: TIMEOUT_DELAY_MS }
  }
}

/**
 * Rack::Attack's throttled response. GitLab 13.0 (config/initializers/rack_attack_new.rb) sets no
 * `throttled_response` of its own, so the gem's default answers: rack-attack before 6.3
 * (spec/acceptance/throttling_spec.rb there) sends `Retry-After` holding the throttle's whole
 * period in seconds and the text "Retry later\n". 13.0 sends none of the `RateLimit-*` headers:
 * GitLab itself sends them only from a later release (lib/gitlab/rack_attack.rb,
 * `throttled_response_headers`), and on GitLab.com in 13.0 they came from HAProxy, not GitLab.
 * `retryAfter` stands for the period (GitLab's settings default to 3600 seconds for the API
 * throttles; a fake's default of 1 keeps a client that honours it quick).
 */
function rateLimited(retryAfter: number): Answer {
  return answer(429, { 'Content-Type': 'text/plain', 'Retry-After': String(retryAfter) }, 'Retry later\n')
}

/**
 * Workhorse's answer when Rails does not respond (workhorse/internal/badgateway/roundtripper.go).
 * API requests reach clients as Workhorse sent it: Workhorse serves its error pages only on the
 * web routes (internal/upstream/routes.go: `route("", apiPattern, proxy)`), and Omnibus's nginx
 * does not intercept errors under /api (`proxy_intercept_errors off`).
 */
const WORKHORSE_502 = answer(502, { 'Content-Type': 'text/plain' }, 'GitLab is not responding')

/**
 * nginx's own page (src/http/ngx_http_special_response.c, `server_tokens off` as Omnibus sets it),
 * as the proxy in front of GitLab sends it when it answers a request itself: 503 when it refuses
 * one (a `limit_req`, a maintenance `return 503`), 504 once `proxy_read_timeout` passes. Omnibus
 * replaces only 404, 500 and 502 with GitLab's pages (files/gitlab-cookbooks/gitlab/libraries/
 * nginx.rb, `parse_error_pages`), so these reach clients as nginx wrote them.
 */
function nginxPage(status: number, reason: string): Answer {
  const title = `${status} ${reason}`
  return answer(
    status,
    { 'Content-Type': 'text/html' },
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  )
}

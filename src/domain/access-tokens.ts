import type { PersonalAccessTokenRecord } from '../store/records.js'

/** A scope a route accepts (`API::Scope`): its name, and the methods its `if:` lets through. */
export interface RouteScope {
  readonly name: string
  /** None: every method. */
  readonly methods?: readonly string[]
}

export type TokenValidation = 'valid' | 'expired' | 'revoked' | 'insufficient_scope'

/**
 * `AccessTokenValidationService#validate` (app/services/access_token_validation_service.rb, 13.0):
 * expiry first, then revocation, then the scopes, of which any one will do (none asked: any
 * token does).
 */
export function validateAccessToken(
  token: PersonalAccessTokenRecord,
  now: number,
  scopes: readonly RouteScope[],
  method: string,
): TokenValidation {
  if (isExpired(token, now)) return 'expired'
  if (token.revoked) return 'revoked'
  if (scopes.length > 0 && !scopes.some((scope) => isSufficient(scope, token, method)))
    return 'insufficient_scope'
  return 'valid'
}

/**
 * `Expirable#expired?`: `expires? && expires_at <= Time.current`. `expires_at` is a date, which
 * ActiveSupport compares with a time from its midnight UTC (`Date#to_datetime`).
 */
export function isExpired(token: PersonalAccessTokenRecord, now: number): boolean {
  return token.expires_at !== null && Date.parse(`${token.expires_at}T00:00:00Z`) <= now
}

/** `API::Scope#sufficient?`: the token holds it, and its `if:` lets the request through. */
function isSufficient(scope: RouteScope, token: PersonalAccessTokenRecord, method: string): boolean {
  return token.scopes.includes(scope.name) && (scope.methods === undefined || scope.methods.includes(method))
}

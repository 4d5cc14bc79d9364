/**
 * JSON as GitLab writes it: ActiveSupport escapes <, >, & and the two line separators in
 * strings (ActiveSupport::JSON::Encoding.escape_html_entities_in_json), e.g. gravatar URLs come
 * out as `?s=80\u0026d=identicon`.
 */
export function toGitLabJson(value: unknown): string {
  const json = JSON.stringify(value)
  return NEEDS_ESCAPE.test(json) ? json.replace(ESCAPED, (c) => ESCAPES[c] as string) : json
}

const NEEDS_ESCAPE = /[<>&\u2028\u2029]/
const ESCAPED = /[<>&\u2028\u2029]/g
const ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

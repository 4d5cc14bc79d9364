/**
 * `Content-Disposition` as GitLab's Rails writes it for a download (lib/gitlab/content_disposition.rb,
 * a copy of Rails' ActionDispatch::Http::ContentDisposition): an ASCII fallback and the UTF-8
 * name (RFC 6266), `attachment; filename="…"; filename*=UTF-8''…`.
 */
export function contentDisposition(disposition: string, filename: string): string {
  const ascii = percentEscape(transliterate(filename), TRADITIONAL_ESCAPED_CHAR)
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${percentEscape(filename, RFC_5987_ESCAPED_CHAR)}`
}

/*
 * GitLab's copy writes `#$+` and `#$&` unescaped inside its regexps, which Ruby reads as the
 * interpolation of the (nil) globals `$+` and `$&`: so `#`, `$` and `+` are escaped in the ASCII
 * name, and `#`, `$` and `&` in the UTF-8 one, where Rails' own class keeps them.
 */
const TRADITIONAL_ESCAPED_CHAR = /[^ A-Za-z0-9!.^_`|~-]/gu
const RFC_5987_ESCAPED_CHAR = /[^A-Za-z0-9!+.^_`|~-]/gu

const encoder = new TextEncoder()

/** Each matching character as its UTF-8 bytes, `%XX` upper-case. */
function percentEscape(text: string, pattern: RegExp): string {
  return text.replace(pattern, (char) =>
    Array.from(encoder.encode(char), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(
      '',
    ),
  )
}

/**
 * `I18n.transliterate` in the default locale: ASCII stays, Latin letters with marks lose them
 * (i18n's DEFAULT_APPROXIMATIONS, U+00C0 to U+017E), anything else becomes one `?` per character.
 */
function transliterate(text: string): string {
  let out = ''
  for (const char of text) out += char.charCodeAt(0) < 0x80 ? char : (APPROXIMATIONS.get(char) ?? '?')
  return out
}

/** i18n's `DEFAULT_APPROXIMATIONS` (lib/i18n/backend/transliterator.rb): each entry a character and its ASCII. */
const APPROXIMATIONS = new Map(
  [
    'ÀA|ÁA|ÂA|ÃA|ÄA|ÅA|ÆAE|ÇC|ÈE|ÉE|ÊE|ËE|ÌI|ÍI|ÎI|ÏI|ÐD|ÑN|ÒO|ÓO|ÔO|ÕO|ÖO|×x|ØO|ÙU|ÚU|ÛU|ÜU|ÝY',
    'ÞTh|ßss|àa|áa|âa|ãa|äa|åa|æae|çc|èe|ée|êe|ëe|ìi|íi|îi|ïi|ðd|ñn|òo|óo|ôo|õo|öo|øo|ùu|úu|ûu',
    'üu|ýy|þth|ÿy|ĀA|āa|ĂA|ăa|ĄA|ąa|ĆC|ćc|ĈC|ĉc|ĊC|ċc|ČC|čc|ĎD|ďd|ĐD|đd|ĒE|ēe|ĔE|ĕe|ĖE|ėe|ĘE|ęe',
    'ĚE|ěe|ĜG|ĝg|ĞG|ğg|ĠG|ġg|ĢG|ģg|ĤH|ĥh|ĦH|ħh|ĨI|ĩi|ĪI|īi|ĬI|ĭi|ĮI|įi|İI|ıi|ĲIJ|ĳij|ĴJ|ĵj|ĶK',
    "ķk|ĸk|ĹL|ĺl|ĻL|ļl|ĽL|ľl|ĿL|ŀl|ŁL|łl|ŃN|ńn|ŅN|ņn|ŇN|ňn|ŉ'n|ŊNG|ŋng|ŌO|ōo|ŎO|ŏo|ŐO|őo|ŒOE",
    'œoe|ŔR|ŕr|ŖR|ŗr|ŘR|řr|ŚS|śs|ŜS|ŝs|ŞS|şs|ŠS|šs|ŢT|ţt|ŤT|ťt|ŦT|ŧt|ŨU|ũu|ŪU|ūu|ŬU|ŭu|ŮU|ůu|ŰU',
    'űu|ŲU|ųu|ŴW|ŵw|ŶY|ŷy|ŸY|ŹZ|źz|ŻZ|żz|ŽZ|žz',
  ]
    .join('|')
    .split('|')
    .map((pair) => [pair.slice(0, 1), pair.slice(1)] as const),
)

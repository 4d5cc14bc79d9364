/**
 * Hostile input for the fuzz test, drawn from a seed: requests a fetch client can send, fixture
 * documents, and raw bytes for the standalone server's socket. Case `i` of seed `s` is the same in
 * every run, so that a failure names the two numbers that replay it.
 */

/** mulberry32: small, fast, and the same everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Rng {
  private readonly next: () => number

  constructor(seed: number) {
    this.next = mulberry32(seed)
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)] as T
  }

  /** One of the choices, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    let total = 0
    for (const [w] of choices) total += w
    let r = this.next() * total
    for (const [w, value] of choices) {
      r -= w
      if (r < 0) return value
    }
    return (choices[choices.length - 1] as readonly [number, T])[1]
  }

  /** `n` characters drawn from `alphabet`. */
  chars(alphabet: string, n: number): string {
    let out = ''
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)]
    return out
  }

  /** Mostly short, sometimes long, now and then very long. */
  length(): number {
    return this.weighted([
      [8, this.between(0, 12)],
      [3, this.between(13, 300)],
      [1, this.between(301, 70_000)],
    ])
  }
}

/** The seed of case `index` in a run of seed `seed`. */
export function caseSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  return (h ^ (h >>> 16)) >>> 0
}

export const ORIGIN = 'https://gitlab.example.com'
export const API_PATH = '/api/v4'

export const TOKENS = [
  'root-token',
  'maintainer-token',
  'developer-token',
  'reporter-token',
  'guest-token',
  'outsider-token',
]
const JOB_TOKENS = Array.from({ length: 16 }, (_, i) => `job-token-${i + 6}`)

/** Keys that name something on every object. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
]
/** Keys the fuzzer writes that must never appear on `Object.prototype`. */
export const PROBE_KEYS = [
  'admin',
  'polluted',
  'private_token',
  'status',
  'scope',
  'page',
  'per_page',
  'id',
  'x',
  '6',
  'b',
]

const STATUSES = [
  'created',
  'pending',
  'running',
  'failed',
  'success',
  'canceled',
  'skipped',
  'manual',
  'scheduled',
]

export type FuzzCase =
  /** Sent to `gitlab.handle(new Request(…))`. */
  | {
      readonly kind: 'request'
      readonly method: string
      readonly url: string
      readonly headers: readonly (readonly [string, string])[]
      readonly body: string | null
    }
  /** Given to `gitlab.load()`; when it loads, the requests follow against what it created. */
  | { readonly kind: 'fixture'; readonly document: unknown; readonly follow: readonly FollowUp[] }
  /** Written to the standalone server's socket as latin1 bytes. */
  | { readonly kind: 'socket'; readonly bytes: string; readonly hangUp: boolean }

/** A request after a fixture loaded, aimed at the records it created. */
export interface FollowUp {
  readonly method: string
  /** Under /api/v4; `{project}`, `{pipeline}` and `{job}` stand for created ids. */
  readonly path: string
  readonly token: string | null
}

export function fuzzCase(seed: number, index: number): FuzzCase {
  const rng = new Rng(caseSeed(seed, index))
  return rng.weighted<() => FuzzCase>([
    [84, () => requestCase(rng)],
    [11, () => fixtureCase(rng)],
    [5, () => socketCase(rng)],
  ])()
}

// ---------------------------------------------------------------------------------------------
// Paths

/** About how long a path or a query may grow (a few parts may pass it). */
const MAX_PART = 100_000

const ROUTES = [
  'GET /projects/:id/jobs',
  'GET /projects/:id/pipelines/:pipeline_id/jobs',
  'GET /projects/:id/jobs/:job_id',
  'GET /projects/:id/jobs/:job_id/trace',
  'POST /projects/:id/jobs/:job_id/cancel',
  'POST /projects/:id/jobs/:job_id/retry',
  'POST /projects/:id/jobs/:job_id/erase',
  'POST /projects/:id/jobs/:job_id/play',
  'GET /projects/:id/jobs/artifacts/*ref_name/download',
  'GET /projects/:id/jobs/artifacts/*ref_name/raw/*artifact_path',
  'GET /projects/:id/jobs/:job_id/artifacts',
  'GET /projects/:id/jobs/:job_id/artifacts/*artifact_path',
  'POST /projects/:id/jobs/:job_id/artifacts/keep',
  'DELETE /projects/:id/jobs/:job_id/artifacts',
]

const PROJECT_IDS = ['1', '2', 'foo%2Fbar', 'acme%2Fwebsite', 'FOO%2FBAR', 'foo%2fbar', 'Acme%2FWebsite']
const PIPELINE_IDS = ['6', '7', '8', '9']
const JOB_IDS = Array.from({ length: 16 }, (_, i) => String(i + 6))
const REFS = ['master', 'feature%2Fevery-status', 'feature/every-status', 'main', 'MASTER', 'v1.0']
const ARTIFACT_PATHS = ['dist/index.html', 'dist/app.js', 'build.log', 'dist', 'dist/', 'coverage/index.html']
const WORDS = [
  'projects',
  'jobs',
  'pipelines',
  'artifacts',
  'raw',
  'download',
  'trace',
  'keep',
  'retry',
  'api',
  'v4',
]

/** A segment meant to be refused or not found: every shape an id, a path or a name may take. */
function hostileSegment(rng: Rng): string {
  return rng.weighted<() => string>([
    [3, () => `-${rng.between(0, 10) ** rng.between(1, 12)}`],
    [2, () => '0'],
    [4, () => '9'.repeat(rng.between(10, 400))],
    [
      2,
      () =>
        rng.pick([
          '9007199254740993',
          '2147483648',
          '4294967296',
          '1e308',
          '1e-7',
          '0x10',
          '0b11',
          '0o7',
          '1_000',
          '1__0',
          '_6',
          '6_',
          '+6',
          '%2B6',
          '06',
          '6.0',
          '1.5',
          '%206',
          '6%20',
          '6%09',
          'Infinity',
          '-Infinity',
          'NaN',
          'null',
          'undefined',
          'true',
          '[]',
          '{}',
          '6,7',
        ]),
    ],
    [
      4,
      () =>
        rng.pick([
          '%2e%2e',
          '%2E%2e',
          '%2e',
          '..',
          '.',
          '...',
          '%00',
          '6%00',
          '%00.json',
          '%ZZ',
          '%',
          '%2',
          '%G0',
          '%E0%A4%A',
          '%C3%A9',
          '%C3',
          '%FF',
          '%C0%AF',
          '%C0%AE%C0%AE',
          '%ED%A0%80',
          '%EF%BF%BF',
          '%F0%9F%98%80',
          '%F4%90%80%80',
          '%25',
          '%252F',
          '%2F',
          '%5C',
          '%0A',
          '%0D%0A',
          '%7F',
          '%36',
        ]),
    ],
    [2, () => rng.pick(['é', '😀', 'ü/ä', '\u202e', '\ufeff', 'ｆｏｏ', '١', '\u0130', 'ß'])],
    [2, () => `${rng.pick([...JOB_IDS, ...PROJECT_IDS, 'foo%2Fbar', 'master'])}.json`],
    [3, () => rng.pick(PROTOTYPE_KEYS)],
    [
      3,
      () =>
        rng.pick([
          'foo%2Fbar%2Fbaz',
          'foo%252Fbar',
          'foo%2F..%2Fbar',
          'foo%2F%2e%2e',
          '..%2F..%2Fetc%2Fpasswd',
          'foo%2F',
          '%2Ffoo%2Fbar',
          'foo%5Cbar',
          'foo%2Fbar%00',
          'foo%2Fbar%2Ejson',
          'no%2Fsuch',
          'foo%2F__proto__',
          '__proto__%2Fconstructor',
        ]),
    ],
    [2, () => rng.chars('abcdefghijklmnopqrstuvwxyz0123456789-_.~%', rng.length())],
    [1, () => '\\'],
    [1, () => ''],
  ])()
}

/** A route's id: usually one of the dataset's, often not. */
function routeParam(rng: Rng, valid: readonly string[], validRate: number): string {
  return rng.chance(validRate) ? rng.pick(valid) : hostileSegment(rng)
}

/** For `*ref_name` and `*artifact_path`: several segments, any of them hostile. */
function greedyParam(rng: Rng, valid: readonly string[], validRate: number): string {
  if (rng.chance(validRate)) return rng.pick(valid)
  const n = rng.weighted([
    [6, rng.between(1, 4)],
    [1, rng.between(5, 2000)],
  ])
  const segments: string[] = []
  for (let i = 0, size = 0; i < n && size < MAX_PART; i++) {
    segments.push(rng.chance(0.5) ? rng.pick(valid) : hostileSegment(rng))
    size += (segments[i] as string).length
  }
  return segments.join(rng.chance(0.9) ? '/' : rng.pick(['//', '\\', '/./', '/../']))
}

/** A route, each id one of the dataset's at `validRate`, else hostile. */
function routePath(rng: Rng, validRate = 0.45): { method: string; path: string } {
  const [method, template] = rng.pick(ROUTES).split(' ') as [string, string]
  const path = template
    .replace(':id', () => routeParam(rng, PROJECT_IDS, validRate))
    .replace(':pipeline_id', () => routeParam(rng, PIPELINE_IDS, validRate))
    .replace(':job_id', () => routeParam(rng, JOB_IDS, validRate))
    .replace('*ref_name', () => greedyParam(rng, REFS, validRate))
    .replace('*artifact_path', () => greedyParam(rng, ARTIFACT_PATHS, validRate))
  return { method, path: API_PATH + path }
}

function randomPath(rng: Rng): string {
  const depth = rng.weighted([
    [8, rng.between(0, 8)],
    [1, rng.between(9, 3000)],
  ])
  const segments: string[] = []
  for (let i = 0, size = 0; i < depth && size < MAX_PART; i++) {
    segments.push(rng.chance(0.5) ? rng.pick(WORDS) : hostileSegment(rng))
    size += (segments[i] as string).length
  }
  return `${API_PATH}/${segments.join('/')}`
}

/** A path under /api/v4 (or just outside), shaped like a route or not at all. */
function hostilePath(rng: Rng): { method: string | null; path: string } {
  let { method, path } = rng.chance(0.65) ? routePath(rng) : { method: null, path: randomPath(rng) }
  if (rng.chance(0.25)) {
    path = rng.weighted<() => string>([
      [3, () => `${path}.json`],
      [2, () => `${path}/`],
      [2, () => path.replace(/\//g, () => (rng.chance(0.2) ? '//' : '/'))],
      [
        1,
        () =>
          path.replace(
            API_PATH,
            rng.pick(['/api/v4/', '/api//v4', '/API/v4', '/api/v3', '/api/v4%2F', '/api', '']),
          ),
      ],
      [1, () => path + rng.pick(['/..', '/.', '/%2e%2e', '/%2e', '/%00', '%00', '/../../__fake/reset'])],
      [1, () => path + '/x'.repeat(rng.between(1, 5000))],
      [1, () => path.replace(/\//g, () => (rng.chance(0.2) ? '\\' : '/'))],
    ])()
  }
  return { method, path }
}

// ---------------------------------------------------------------------------------------------
// Queries

const QUERY_NAMES = [
  'page',
  'per_page',
  'scope',
  'scope[]',
  'scope[0]',
  'scope[x]',
  'job',
  'private_token',
  'access_token',
  'job_token',
  'token',
  'ref',
  'sort',
  'order_by',
  // Today's params (the latest profile).
  'pagination',
  'cursor',
  'force',
  'inputs',
  'job_inputs',
  'byte_offset',
  'byte_limit',
  'include_retried',
  'search_recent_successful_pipelines',
  'path',
  'recursive',
]

const NUMBERS = [
  '1',
  '2',
  '100',
  '101',
  '0',
  '-1',
  '-0',
  '99999999999999999999999',
  '9007199254740993',
  '2147483648',
  '1e9',
  '1e308',
  '1.5',
  ' 5',
  '5 ',
  '+5',
  '1_0',
  '1__0',
  '0x10',
  'NaN',
  'Infinity',
  '',
]

function queryValue(rng: Rng): string {
  return rng.weighted<() => string>([
    [4, () => rng.pick(NUMBERS)],
    [3, () => rng.pick(STATUSES)],
    [2, () => rng.pick([...TOKENS, ...JOB_TOKENS])],
    [1, () => rng.pick(['build', 'test', 'rspec:other', 'teaspoon'])],
    [1, () => `${rng.between(1, 10) ** rng.between(1, 30)}`],
    [2, () => rng.pick(['%', '%Z', '%E0%A4%A', '%C0%AF', '%FF', '%00', '%ED%A0%80', '%2', '%%', '%25'])],
    [1, () => rng.pick(['é', '%C3%A9', '😀', '+', 'a+b', '%2B', '\u202e'])],
    [1, () => rng.pick(PROTOTYPE_KEYS)],
    [1, () => rng.chars('abcdefghijklmnopqrstuvwxyz0123456789-_.~%[]=+', rng.length())],
    // Keyset pagination's mode and cursors, readable and not (Base64 of JSON, as GitLab writes them).
    [
      1,
      () =>
        rng.pick([
          'keyset',
          'true',
          'false',
          'asc',
          'desc',
          'id',
          btoa('{"id":"5","_kd":"n"}'),
          btoa('{"id":"5","_kd":"p"}'),
          btoa('{"id":"abc","_kd":"p"}'),
          btoa('{"id":"9223372036854775808","_kd":"n"}'),
          btoa('{"id":"5","created_at":"x"}'),
          btoa('[1]'),
          btoa('null'),
          'e30',
        ]),
    ],
  ])()
}

function bracketKey(rng: Rng): string {
  return rng.weighted<() => string>([
    [4, () => rng.pick(['a', 'b', 'x', 'id', 'status', '0', '1', ''])],
    [3, () => rng.pick(PROTOTYPE_KEYS)],
    [1, () => rng.pick(['%5B', '%5D', '[', ']', '][', '%00'])],
  ])()
}

function queryName(rng: Rng): string {
  return rng.weighted<() => string>([
    [5, () => rng.pick(QUERY_NAMES)],
    [3, () => rng.pick(PROTOTYPE_KEYS)],
    [
      3,
      () => {
        // Rack's nesting: any mix of [key] and [], at any depth, a prototype key anywhere.
        let name = rng.chance(0.7) ? rng.pick([...QUERY_NAMES, ...PROTOTYPE_KEYS, 'a']) : ''
        const depth = rng.weighted([
          [6, rng.between(1, 5)],
          [2, rng.between(95, 105)],
          [1, rng.between(106, 3000)],
        ])
        for (let i = 0; i < depth; i++) name += rng.chance(0.25) ? '[]' : `[${bracketKey(rng)}]`
        return name
      },
    ],
    [
      1,
      () =>
        rng.pick([
          '',
          '[]',
          '[a]',
          ']',
          '[',
          'a[',
          'a]',
          'a[b',
          'a[]]',
          'a[[b]]',
          'a][b',
          '%5Ba%5D',
          'a%5B%5D',
        ]),
    ],
    [1, () => queryValue(rng)],
  ])()
}

function hostileQuery(rng: Rng): string {
  const pairs: string[] = []
  const n = rng.weighted([
    [3, 0],
    [8, rng.between(1, 6)],
    [1, rng.between(7, 2000)],
  ])
  for (let i = 0, size = 0; i < n && size < MAX_PART; i++) {
    const pair = rng.weighted<() => string>([
      [10, () => (rng.chance(0.9) ? `${queryName(rng)}=${queryValue(rng)}` : queryName(rng))],
      [
        2,
        () =>
          // An array and a hash under one name, in either order, as Rack refuses them.
          rng.pick([
            'a=1&a[b]=2',
            'a[b]=1&a=2',
            'a[]=1&a[b]=2',
            'a[b]=1&a[]=2',
            'a[b]=1&a[b][c]=2',
            'a[][b]=1&a[][b]=2&a[][c]=3',
            'scope=failed&scope[]=success',
            'scope[]=failed&scope[x]=y',
            'scope[x]=failed&scope[]=y',
            'page=1&page[]=2',
            'per_page[x]=1',
          ]),
      ],
      [
        1,
        () => {
          // Wide: many keys in one hash.
          const name = rng.pick(['a', 'scope', '__proto__', 'constructor'])
          const width = rng.between(10, 3000)
          return Array.from({ length: width }, (_, k) => `${name}[k${k}]=${k}`).join('&')
        },
      ],
      [1, () => Array.from({ length: rng.between(2, 500) }, () => `${rng.pick(QUERY_NAMES)}=1`).join('&')],
      [
        2,
        // Keyset pagination with one of its params, any value (the latest profile's list).
        () =>
          `pagination=keyset&${rng.pick(['cursor', 'per_page', 'sort', 'order_by', 'cursor[]', 'sort[]'])}=${queryValue(rng)}`,
      ],
    ])()
    pairs.push(pair)
    size += pair.length
  }
  const separator = rng.weighted([
    [8, '&'],
    [2, ';'],
    [1, '&&'],
    [1, '&;'],
  ])
  let query = pairs.join(separator)
  if (rng.chance(0.05)) query = separator + query + separator
  return query
}

// ---------------------------------------------------------------------------------------------
// Headers and bodies

const LATIN1 = ` !"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_\`abcdefghijklmnopqrstuvwxyz{|}~\t${Array.from(
  { length: 96 },
  (_, i) => String.fromCharCode(0xa0 + i),
).join('')}\x80\x85\x9f`

/** Text as the bytes a client sends for it: UTF-8, one latin1 character per byte. */
export function utf8AsLatin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1')
}

function tokenValue(rng: Rng): string {
  return rng.weighted<() => string>([
    [10, () => rng.pick(TOKENS)],
    [3, () => rng.pick(JOB_TOKENS)],
    [
      2,
      () =>
        rng.pick([
          '',
          ' ',
          'x',
          'root-token ',
          ' root-token',
          'ROOT-TOKEN',
          'root-token\t',
          'null',
          'undefined',
        ]),
    ],
    [1, () => `${rng.pick(TOKENS)}, ${rng.pick(TOKENS)}`],
    [1, () => rng.pick(PROTOTYPE_KEYS)],
    [1, () => 'a'.repeat(rng.between(1000, 200_000))],
    [2, () => rng.chars(LATIN1, rng.length())],
    [1, () => utf8AsLatin1(rng.pick(['tökén', '😀', '\u202eroot-token']))],
  ])()
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/json;',
  'application/vnd.api+json',
  'text/plain',
  'text/html',
  'multipart/form-data',
  'multipart/form-data; boundary=----x',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  '',
  '*/*',
  ';',
  'application/json; charset=utf-16',
]

function hostileHeaders(rng: Rng, method: string): [string, string][] {
  const headers: [string, string][] = []
  const auth = rng.weighted<() => void>([
    [3, () => {}],
    [8, () => headers.push([rng.pick(['PRIVATE-TOKEN', 'private-token', 'Private-Token']), tokenValue(rng)])],
    [
      3,
      () =>
        headers.push([
          'Authorization',
          rng.weighted<() => string>([
            [5, () => `Bearer ${rng.pick(TOKENS)}`],
            [1, () => `bearer  ${tokenValue(rng)}`],
            [1, () => `Bearer ${tokenValue(rng)} extra`],
            [
              1,
              () =>
                rng.pick([
                  'Bearer',
                  'Bearer ',
                  'Basic cm9vdDpyb290',
                  'Token root-token',
                  'Bearer\troot-token',
                ]),
            ],
            [1, () => `Bearer ${'x'.repeat(rng.between(1000, 100_000))}`],
          ])(),
        ]),
    ],
    [2, () => headers.push(['JOB-TOKEN', tokenValue(rng)])],
    [
      1,
      () => {
        headers.push(['PRIVATE-TOKEN', tokenValue(rng)])
        headers.push([rng.pick(['JOB-TOKEN', 'Authorization', 'PRIVATE-TOKEN']), tokenValue(rng)])
      },
    ],
  ])
  auth()
  if (rng.chance(0.3)) headers.push(['Content-Type', rng.pick(CONTENT_TYPES)])
  if (rng.chance(0.15))
    headers.push([
      'Origin',
      rng.pick([
        'https://evil.example',
        'null',
        'http://localhost:3000',
        'http://127.0.0.1',
        'file://',
        '',
        utf8AsLatin1('https://ëvil.example'),
      ]),
    ])
  if (method === 'OPTIONS' && rng.chance(0.6)) {
    headers.push(['Access-Control-Request-Method', rng.pick(['GET', 'POST', 'DELETE', 'FOO', ''])])
    if (rng.chance(0.5))
      headers.push([
        'Access-Control-Request-Headers',
        rng.pick(['private-token', 'x, y, z', '', tokenValue(rng)]),
      ])
  }
  if (rng.chance(0.15)) {
    headers.push(
      rng.pick<[string, string]>([
        ['Accept', rng.pick(['application/json', '*/*', 'text/html', '', 'application/zip'])],
        [
          'Range',
          rng.pick(['bytes=0-10', 'bytes=-1', 'bytes=99999999999999999999-', 'bytes=5-1', 'lines=1']),
        ],
        ['If-None-Match', rng.pick(['*', '"x"', 'W/"1"'])],
        ['X-Forwarded-For', rng.pick(['127.0.0.1', '::1', 'x'])],
        ['X-Forwarded-Proto', rng.pick(['http', 'https', 'gopher'])],
        ['Cookie', `_gitlab_session=${rng.chars(LATIN1, rng.length())}`],
        ['User-Agent', rng.chars(LATIN1, rng.length())],
        ['Sudo', rng.pick(['1', 'root', 'maintainer', '-1', ''])],
      ]),
    )
  }
  return headers
}

function deepJson(rng: Rng): string {
  const depth = rng.between(100, 200_000)
  return rng.pick([
    () => '['.repeat(depth) + ']'.repeat(depth),
    () => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    () => '['.repeat(depth),
    () => `${'{"__proto__":'.repeat(depth)}{}${'}'.repeat(depth)}`,
  ])()
}

function hostileBody(rng: Rng): string | null {
  return rng.weighted<() => string | null>([
    [3, () => null],
    [
      4,
      () =>
        rng.pick([
          '{"force": tru',
          '{',
          '[',
          '}',
          '{"a":1,}',
          "{'a':1}",
          '{"a":01}',
          'nul',
          'undefined',
          'NaN',
          '"\\ud800"',
          '"\\u00"',
          '\ufeff{}',
          '{}garbage',
          '{"a":"\\x"}',
          '\u0000',
        ]),
    ],
    [
      3,
      () =>
        rng.pick([
          '{}',
          '[]',
          'null',
          '1',
          '"x"',
          '{"__proto__":{"admin":true,"polluted":1}}',
          '{"constructor":{"prototype":{"polluted":1}}}',
          '{"job_token":"job-token-6","private_token":"root-token"}',
          '{"force":true}',
          '{"job_variables_attributes":[{"key":"A","value":"1"}]}',
          ' ',
          '',
        ]),
    ],
    [2, () => deepJson(rng)],
    [1, () => JSON.stringify({ a: 'x'.repeat(rng.between(10_000, 1_000_000)) })],
    [1, () => `force=true&__proto__[polluted]=1&a[${'['.repeat(rng.between(1, 200))}=1`],
    [1, () => rng.chars(LATIN1, rng.length())],
  ])()
}

const METHODS = [
  'GET',
  'GET',
  'GET',
  'HEAD',
  'POST',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'get',
  'post',
]

function requestCase(rng: Rng): FuzzCase {
  return rng.chance(0.4) ? nearlyValidRequest(rng) : hostileRequest(rng)
}

/**
 * A request GitLab would answer, but for one odd part: so that the fuzzer gets past
 * authentication and lookups to the params, the permissions and the job actions.
 */
function nearlyValidRequest(rng: Rng): FuzzCase {
  const { method: routeMethod, path } = routePath(rng, 0.92)
  const method = rng.chance(0.9) ? routeMethod : rng.pick(METHODS)
  const pairs: string[] = []
  if (path.includes('/jobs/artifacts/') || rng.chance(0.1))
    pairs.push(`job=${rng.pick(['build', 'test', 'rspec:other', 'teaspoon', 'build', 'nope', ''])}`)
  const n = rng.weighted([
    [4, 0],
    [4, rng.between(1, 3)],
  ])
  for (let i = 0; i < n; i++)
    pairs.push(
      rng.weighted<() => string>([
        [4, () => `${rng.pick(['page', 'per_page'])}=${rng.pick(NUMBERS)}`],
        [4, () => `${rng.pick(['scope', 'scope[]', 'scope[0]', 'scope[x]'])}=${rng.pick(STATUSES)}`],
        [2, () => `${queryName(rng)}=${queryValue(rng)}`],
        [
          1,
          () =>
            `${rng.pick(PROTOTYPE_KEYS)}[${rng.pick(['x', 'admin', '6', 'scope'])}]=${rng.pick(STATUSES)}`,
        ],
      ])(),
    )
  const headers: [string, string][] = []
  if (rng.chance(0.9))
    headers.push(
      rng.chance(0.85)
        ? ['PRIVATE-TOKEN', rng.pick(TOKENS)]
        : rng.pick<[string, string]>([
            ['JOB-TOKEN', rng.pick(JOB_TOKENS)],
            ['Authorization', `Bearer ${rng.pick(TOKENS)}`],
          ]),
    )
  if (rng.chance(0.3))
    headers.push(...hostileHeaders(rng, method).filter(([name]) => !/token|auth/i.test(name)))
  const upper = method.toUpperCase()
  const body = upper === 'GET' || upper === 'HEAD' || rng.chance(0.5) ? null : hostileBody(rng)
  return {
    kind: 'request',
    method,
    url: `${ORIGIN}${path}${pairs.length ? `?${pairs.join('&')}` : ''}`,
    headers,
    body,
  }
}

function hostileRequest(rng: Rng): FuzzCase {
  const { method: routeMethod, path } = hostilePath(rng)
  const method = routeMethod && rng.chance(0.6) ? routeMethod : rng.pick(METHODS)
  const query = hostileQuery(rng)
  const origin = rng.chance(0.97)
    ? ORIGIN
    : rng.pick(['https://gitlab.example.com:8443', 'http://gitlab.example.com'])
  const upper = method.toUpperCase()
  const body = upper === 'GET' || upper === 'HEAD' ? null : hostileBody(rng)
  return {
    kind: 'request',
    method,
    url: `${origin}${path}${query || rng.chance(0.1) ? `?${query}` : ''}`,
    headers: hostileHeaders(rng, upper),
    body,
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

/** Sets `obj[key]` as an own property, even for `__proto__`. */
function put(obj: JsonObject, key: string, value: Json): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}

/** A fixture the format accepts, small enough to build fast. */
function validFixture(rng: Rng): JsonObject {
  const u = rng.int(1_000_000)
  const username = `fz${u}`
  const doc: JsonObject = {}
  if (rng.chance(0.8)) doc.users = [{ username, tokens: [`fz-token-${u}`] }]
  if (rng.chance(0.4)) doc.runners = [{ description: 'docker-1', ...(rng.chance(0.5) && { id: 100 + u }) }]
  const jobs = (): Json[] =>
    Array.from({ length: rng.between(1, 4) }, () => {
      // Names GitLab allows, prototype keys among them.
      const job: JsonObject = {
        name: rng.chance(0.1) ? rng.pick(PROTOTYPE_KEYS) : rng.pick(['rspec', 'build', 'deploy', 'test']),
      }
      if (rng.chance(0.7)) job.status = rng.pick(STATUSES)
      if (rng.chance(0.3)) job.stage = rng.pick(['test', 'build', 'deploy'])
      if (rng.chance(0.3)) job.trace = 'line 1\nline 2\n'
      if (rng.chance(0.3))
        job.artifacts = [
          rng.chance(0.5)
            ? { file_type: 'archive', files: { 'dist/a.txt': 'a', 'b.bin': { base64: 'AAEC' } } }
            : {
                file_type: rng.pick([
                  'archive',
                  'junit',
                  'metadata',
                  'trace',
                  'cobertura',
                  ...PROTOTYPE_KEYS,
                ]),
                size: rng.between(0, 4096),
              },
        ]
      if (rng.chance(0.2)) job.when = rng.pick(['on_success', 'manual', 'delayed', 'always', 'on_failure'])
      if (rng.chance(0.1)) job.allow_failure = true
      if (rng.chance(0.1)) job.user = rng.pick([username, 'maintainer', 1])
      return job
    })
  if (rng.chance(0.7)) {
    const project: JsonObject = {
      path: `fz-group/app-${u}`,
      visibility: rng.pick(['private', 'internal', 'public']),
      public_builds: rng.chance(0.5),
      pipelines: [{ ref: rng.pick(['main', 'master', 'release/1.0']), jobs: jobs() }],
    }
    if (doc.users)
      project.members = [{ user: username, access_level: rng.pick(['developer', 'maintainer', 30, 50]) }]
    if (rng.chance(0.3)) project.protected_branches = [{ name: rng.pick(['release/*', 'main', '*']) }]
    if (rng.chance(0.2)) project.protected_tags = [{ name: 'v*', create_access_level: 'maintainer' }]
    doc.projects = [project]
  }
  if (rng.chance(0.5))
    doc.pipelines = [{ project: rng.pick(['foo/bar', 1, 'acme/website', 2]), ref: 'main', jobs: jobs() }]
  return doc
}

/** Every value in the document, with its parent and key, to pick one to mutate. */
function slots(doc: Json): [JsonObject | Json[], string | number][] {
  const out: [JsonObject | Json[], string | number][] = []
  // Iterative: a document may be nested thousands deep.
  const stack: Json[] = [doc]
  while (stack.length) {
    const node = stack.pop() as Json
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push([node, i])
        stack.push(child)
      })
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        out.push([node, key])
        stack.push(node[key] as Json)
      }
    }
  }
  return out
}

/** Objects in the document, to add a field to. */
function objects(doc: Json): JsonObject[] {
  const out: JsonObject[] = []
  for (const [parent, key] of slots(doc)) {
    const value = (parent as Record<string | number, Json>)[key]
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push(value)
  }
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) out.push(doc)
  return out
}

function nested(rng: Rng): Json {
  let value: Json = rng.pick<Json>([1, 'x', null, {}, []])
  const depth = rng.between(50, 5000)
  for (let i = 0; i < depth; i++) {
    if (rng.chance(0.5)) value = [value]
    else {
      const obj: JsonObject = {}
      put(obj, rng.pick(['a', '__proto__', 'constructor']), value)
      value = obj
    }
  }
  return value
}

function wrongValue(rng: Rng): Json {
  return rng.weighted<() => Json>([
    [
      6,
      () =>
        rng.pick<Json>([
          null,
          true,
          false,
          0,
          -1,
          -0,
          1.5,
          2 ** 31,
          2 ** 53 + 2,
          1e308,
          Number.NaN,
          Number.POSITIVE_INFINITY,
          Number.MAX_VALUE,
          '',
          ' ',
          'x',
          '1',
          [],
          {},
          [[[]]],
          [null],
          { base64: '!!!' },
          { base64: 'AAEC' },
        ]),
    ],
    [
      2,
      () =>
        rng.pick([
          '2020-13-45T00:00:00Z',
          '+275760-09-13T00:00:00.000Z',
          '1970-01-01T00:00:00+99:99',
          'yesterday',
        ]),
    ],
    [3, () => hostileName(rng)],
    [1, () => nested(rng)],
    [1, () => 'x'.repeat(rng.between(10_000, 3_000_000))],
  ])()
}

/** Names with what a name should not hold: non-ASCII, controls, separators, lone surrogates. */
function hostileName(rng: Rng): string {
  return rng.weighted<() => string>([
    [
      3,
      () =>
        rng.pick([
          'ünïcödé',
          '😀',
          '名前',
          '\u202etxt.exe',
          'a\u0000b',
          'a\u0001b',
          '\u007f',
          'a\nb',
          'a\r\nb',
        ]),
    ],
    [2, () => rng.pick(['\ud800', 'a\udfffb', '\ufeff', '\u2028', 'Ａ', 'İ'])],
    [
      2,
      () =>
        rng.pick([
          '..',
          '.',
          '../x',
          './x',
          '/abs',
          'a//b',
          'a/',
          'a\\b',
          'C:\\x',
          'CON',
          'x ',
          ' x',
          '*',
          '**',
          '[',
        ]),
    ],
    [2, () => rng.pick(PROTOTYPE_KEYS)],
    [
      1,
      () =>
        rng.pick(['(a+)+$', '.*.*.*.*.*.*.*.*!', '[', '\\', '$' + '{x}', '%s%n', "'; DROP TABLE jobs; --"]),
    ],
    [1, () => `${'a/'.repeat(rng.between(100, 5000))}x`],
    [2, () => rng.chars(`${LATIN1}\u0000\u0001\u001f😀é/`, rng.length())],
  ])()
}

/** One change that should make the document wrong, or at least odd. */
function mutate(rng: Rng, doc: JsonObject): void {
  const all = slots(doc)
  rng.weighted<() => void>([
    [
      5,
      () => {
        // A wrong type or value anywhere.
        if (!all.length) return
        const [parent, key] = rng.pick(all)
        ;(parent as Record<string | number, Json>)[key] = wrongValue(rng)
      },
    ],
    [
      3,
      () => {
        // An unknown field, possibly one that names a prototype.
        const target = rng.pick(objects(doc))
        const key = rng.pick(['zzz', 'extra', '', ...PROTOTYPE_KEYS])
        put(target, key, rng.pick<Json>([{ admin: true, polluted: 1, id: 1 }, 1, 'x', null, [], nested(rng)]))
      },
    ],
    [
      3,
      () => {
        // A name, ref or archive path with what it should not hold.
        const target = rng.pick(objects(doc))
        const key = rng.pick([
          'username',
          'name',
          'path',
          'ref',
          'stage',
          'description',
          'filename',
          'file_type',
          'token',
        ])
        target[key] = hostileName(rng)
        const artifactHolder = rng.pick(objects(doc))
        if (rng.chance(0.5))
          artifactHolder.artifacts = [{ file_type: 'archive', files: { [hostileName(rng)]: 'x', ok: 'y' } }]
      },
    ],
    [
      3,
      () => {
        // Sizes: negative, fractional, huge, just over the limits.
        const job = rng.pick(objects(doc))
        job.artifacts = [
          {
            file_type: rng.pick(['archive', 'junit', 'metadata', 'trace', 'x']),
            size: rng.pick([
              -1,
              -0,
              0.5,
              2 ** 31,
              2 ** 53,
              1e15,
              1e308,
              1024 * 1024 + 1,
              100 * 1024 * 1024 + 1,
            ]),
            ...(rng.chance(0.3) && { file_format: rng.pick(['zip', 'gzip', 'raw', 'rar']) }),
          },
        ]
      },
    ],
    [
      3,
      () => {
        // References to nothing, or to the wrong thing.
        rng.pick<() => void>([
          () => {
            doc.pipelines = [
              {
                project: rng.pick<Json>(['no/such', 9999, 0, -1, '', 'foo/bar/baz', 'FOO/BAR']),
                ref: 'main',
              },
            ]
          },
          () => {
            const project = rng.pick(objects(doc))
            project.members = [
              {
                user: rng.pick<Json>(['nobody', 9999, '', 0]),
                access_level: rng.pick<Json>(['developer', 35, 'root', 0]),
              },
            ]
          },
          () => {
            const job = rng.pick(objects(doc))
            job.runner = rng.pick<Json>([9999, 0, -1, 'docker-1'])
          },
          () => {
            const job = rng.pick(objects(doc))
            job.user = rng.pick<Json>(['ghost', 9999, 0, ''])
          },
        ])()
      },
    ],
    [
      3,
      () => {
        // Ids, tokens, usernames and paths the dataset or the document holds already.
        rng.pick<() => void>([
          () => {
            doc.users = [{ id: rng.pick([1, 2, 6]), username: `dup${rng.int(1000)}` }]
          },
          () => {
            doc.users = [
              { username: rng.pick(['root', 'Maintainer', 'GUEST', 'dup', 'dup']) },
              { username: 'dup' },
            ]
          },
          () => {
            doc.users = [
              { username: `t${rng.int(1000)}`, tokens: [rng.pick([...TOKENS, ...JOB_TOKENS, 'same'])] },
              { username: `u${rng.int(1000)}`, tokens: ['same'] },
            ]
          },
          () => {
            doc.projects = [
              { path: rng.pick(['foo/bar', 'FOO/BAR', 'acme/website']) },
              { id: rng.pick([1, 2, 3]), path: 'x/y' },
            ]
          },
          () => {
            doc.projects = [{ path: 'dup/p' }, { path: 'Dup/P' }]
          },
          () => {
            doc.runners = [{ id: rng.pick([1, 7]) }, { id: 7 }]
          },
          () => {
            doc.pipelines = [
              {
                project: 'foo/bar',
                id: rng.pick([6, 9, 10, 10]),
                jobs: [
                  { id: rng.pick([6, 21, 22]), token: rng.pick([...JOB_TOKENS, 'root-token', 'jt']) },
                  { id: 22, token: 'jt' },
                ],
              },
            ]
          },
        ])()
      },
    ],
    [1, () => put(doc, rng.pick(PROTOTYPE_KEYS), { polluted: 1, admin: true })],
    [1, () => (doc.users = Array.from({ length: rng.between(1, 3) }, () => nested(rng)))],
  ])()
}

function fixtureDocument(rng: Rng): unknown {
  return rng.weighted<() => unknown>([
    [1, () => rng.pick<unknown>([null, undefined, 42, 'users', [], [{}], true, {}])],
    [3, () => validFixture(rng)],
    [
      12,
      () => {
        const doc = validFixture(rng)
        const n = rng.between(1, 4)
        for (let i = 0; i < n; i++) mutate(rng, doc)
        return doc
      },
    ],
  ])()
}

function fixtureCase(rng: Rng): FuzzCase {
  const follow: FollowUp[] = Array.from({ length: rng.between(0, 3) }, () => {
    const [method, template] = rng.pick(ROUTES).split(' ') as [string, string]
    return {
      method,
      path: template
        .replace(':id', '{project}')
        .replace(':pipeline_id', '{pipeline}')
        .replace(':job_id', '{job}')
        .replace('*ref_name', rng.pick(['main', 'master', 'release%2F1.0', 'release/1.0']))
        .replace('*artifact_path', rng.pick(['dist/a.txt', 'b.bin', 'ok', 'x'])),
      token: rng.pick(['root-token', 'maintainer-token', 'outsider-token', null]),
    }
  })
  return { kind: 'fixture', document: fixtureDocument(rng), follow }
}

// ---------------------------------------------------------------------------------------------
// Raw bytes for the standalone server

function rawTarget(rng: Rng): string {
  return rng.weighted<() => string>([
    [6, () => `${hostilePath(rng).path}${rng.chance(0.5) ? `?${hostileQuery(rng)}` : ''}`],
    // What a URL parser would have resolved or escaped: raw non-ASCII, dot segments, backslashes.
    [
      3,
      () =>
        API_PATH +
        rng.pick([
          `/projects/1/jobs/${utf8AsLatin1('é')}`,
          '/projects/1/jobs/\xff\xfe',
          '/projects/foo%2Fbar/jobs/../jobs/6',
          '/projects/1/jobs/6/artifacts/../../../../__fake/state',
          '/projects/1/jobs/7/artifacts/%2e',
          '/projects/1/jobs/7/artifacts/./',
          '\\projects\\1\\jobs',
          '/projects/1/jobs/6\\..\\7',
          `/projects/${utf8AsLatin1('ünï')}/jobs`,
          '/projects/1/jobs?scope=\xe9',
          '/projects/1/jobs/6 HTTP/1.1',
          '/projects/1/jobs/6#frag',
          '/projects/1/jobs/%',
        ]),
    ],
    [
      2,
      () =>
        rng.pick([
          'http://gitlab.example.com/api/v4/projects/1/jobs/6',
          'https://evil.example/__fake/reset',
          'gitlab.example.com:443',
          '*',
          '',
          '//api/v4/projects/1/jobs',
          '///__fake/reset',
          '/__fake/../api/v4/projects/1/jobs',
          '/api/v4/../__fake/reset',
          '/%5F_fake/reset',
          '/__FAKE/reset',
          `/${'a'.repeat(rng.between(1000, 20_000))}`,
        ]),
    ],
  ])()
}

function hostHeader(rng: Rng): string | null {
  return rng.weighted<() => string | null>([
    [6, () => rng.pick(['127.0.0.1', 'localhost', 'localhost:4000', '127.0.0.1:1'])],
    [1, () => null],
    [
      3,
      () =>
        rng.pick([
          'evil.example',
          'localhost.evil.example',
          '127.0.0.1.nip.io',
          '[::1]',
          '[::1',
          '[zz]',
          'localhost:99999999',
          'localhost:-1',
          '',
          ' ',
          'localhost, evil.example',
          utf8AsLatin1('lócalhost'),
          'a'.repeat(400),
          'localhost.',
          'LOCALHOST',
          '0x7f000001',
          '2130706433',
          '127.1',
        ]),
    ],
  ])()
}

const CONTROL_TARGETS = [
  'POST /__fake/fixtures',
  'POST /__fake/fixtures',
  'POST /__fake/fixtures',
  'POST /__fake/reset',
  'GET /__fake/requests',
  'GET /__fake/requests',
  'DELETE /__fake/requests',
  'GET /__fake/state',
  'HEAD /__fake/state',
  'OPTIONS /__fake/reset',
  'PUT /__fake/fixtures',
  'GET /__fake/',
  'GET /__fake',
  'POST /__fake/reset/',
  'GET /__fake/__proto__',
]

function controlRequest(rng: Rng): { head: string; body: string } {
  let [method, target] = rng.pick(CONTROL_TARGETS).split(' ') as [string, string]
  if (target === '/__fake/requests' && rng.chance(0.8)) {
    const params = new URLSearchParams()
    if (rng.chance(0.7))
      params.set(
        'path',
        rng.pick([
          '*',
          '/api/v4/projects/*/jobs',
          `${'*'.repeat(rng.between(2, 2000))}x`,
          `${'*a'.repeat(rng.between(2, 600))}`,
          '/api/v4/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/x',
          '',
          '(a+)+$',
          '[',
          '\\',
          'a'.repeat(rng.between(900, 5000)),
        ]),
      )
    if (rng.chance(0.4)) params.set('method', rng.pick(['GET', 'get', '', '*', 'FOO']))
    if (rng.chance(0.4)) params.set('limit', rng.pick(NUMBERS))
    if (rng.chance(0.4)) params.set('after', rng.pick(NUMBERS))
    let query = params.toString()
    if (rng.chance(0.2)) query += `&${hostileQuery(rng)}`
    target += `?${query}`
  }
  let body = ''
  if (method === 'POST' && target.startsWith('/__fake/fixtures')) {
    body = rng.weighted<() => string>([
      [8, () => JSON.stringify(fixtureDocument(rng)) ?? ''],
      [2, () => hostileBody(rng) ?? ''],
    ])()
  }
  const headers: string[] = []
  const host = hostHeader(rng)
  if (host !== null) headers.push(`Host: ${host}`)
  if (rng.chance(0.3))
    headers.push(
      `Origin: ${rng.pick(['http://localhost:3000', 'https://evil.example', 'null', '', 'http://[::1]:1', 'http://localhost.evil.example'])}`,
    )
  if (method === 'OPTIONS' && rng.chance(0.7))
    headers.push(`Access-Control-Request-Method: ${rng.pick(['POST', 'GET', 'X'])}`)
  if (rng.chance(0.7)) headers.push(`Content-Type: ${rng.pick(CONTENT_TYPES)}`)
  return { head: `${method} ${target} HTTP/1.1\r\n${headers.join('\r\n')}`, body }
}

/** A complete request: head, length and body. */
function message(head: string, body: string, close: boolean): string {
  const bytes = utf8AsLatin1(body)
  const length = body || !head.startsWith('GET') ? `\r\nContent-Length: ${bytes.length}` : ''
  return `${head}${length}${close ? '\r\nConnection: close' : ''}\r\n\r\n${bytes}`
}

function gitlabRequest(rng: Rng): { head: string; body: string } {
  const method = rng.pick([...METHODS, 'patch', 'TRACE', 'FOO', 'M-SEARCH', 'PROPFIND'])
  const headers: string[] = []
  const host = hostHeader(rng)
  if (host !== null) headers.push(`Host: ${host}`)
  for (const [name, value] of hostileHeaders(rng, method)) headers.push(`${name}: ${value}`)
  if (rng.chance(0.2))
    headers.push(
      rng.pick([
        `X-Raw: ${utf8AsLatin1('ünïcode 😀')}`,
        'X-Raw: \xff\xfe\x80',
        `PRIVATE-TOKEN: ${utf8AsLatin1('tökén')}`,
        'Transfer-Encoding: gzip',
        'Expect: 100-continue',
        'Connection: upgrade\r\nUpgrade: websocket',
        'Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQAAP__',
      ]),
    )
  const upper = method.toUpperCase()
  const body = upper === 'GET' || upper === 'HEAD' ? '' : (hostileBody(rng) ?? '')
  return { head: `${method} ${rawTarget(rng)} HTTP/1.1\r\n${headers.join('\r\n')}`, body }
}

/** What no client library sends: broken framing, broken syntax, bytes. */
function badHttp(rng: Rng): string {
  const target = '/api/v4/projects/1/jobs/6'
  return rng.pick<() => string>([
    () => `GET ${target} HTTP/1.1\r\nHost: localhost\r\n`,
    () => `GET ${target}\r\n\r\n`,
    () => `GET ${target} HTTP/1.0\r\n\r\n`,
    () => `GET ${target} HTTP/2.0\r\nHost: x\r\n\r\n`,
    () => `GET ${target} HTTP/9.9\r\nHost: x\r\n\r\n`,
    () => `GET ${target} FOO/1.1\r\nHost: x\r\n\r\n`,
    () => `get ${target} HTTP/1.1\r\nHost: x\r\n\r\n`,
    () => `GET  ${target}  HTTP/1.1\r\nHost: x\r\n\r\n`,
    () => `GET ${target} HTTP/1.1\nHost: x\n\n`,
    () => `GET ${target} HTTP/1.1\r\nHost x\r\n\r\n`,
    () => `GET ${target} HTTP/1.1\r\nHost: x\r\n folded: value\r\n\r\n`,
    () => `GET ${target} HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n`,
    () => `GET ${target} HTTP/1.1\r\nHost: x\r\nX\x7f: 1\r\n\r\n`,
    () =>
      `GET ${target} HTTP/1.1\r\nHost: x\r\nPRIVATE-TOKEN: ${'a'.repeat(rng.between(17_000, 100_000))}\r\n\r\n`,
    () => `GET ${target} HTTP/1.1\r\n${'X-A: 1\r\n'.repeat(rng.between(2000, 5000))}\r\n`,
    () => `POST ${target}/cancel HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef`,
    () => `POST ${target}/cancel HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`,
    () => `POST ${target}/cancel HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n`,
    () => `POST ${target}/cancel HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort`,
    () =>
      `POST ${target}/cancel HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
    () => `POST ${target}/cancel HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc`,
    () =>
      `POST ${target}/cancel HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    () =>
      `POST ${target}/cancel HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`,
    () =>
      `POST /__fake/fixtures HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
    () => `POST /__fake/fixtures HTTP/1.1\r\nHost: localhost\r\nContent-Length: 70000000\r\n\r\n{`,
    () => 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    () => `CONNECT gitlab.example.com:443 HTTP/1.1\r\nHost: gitlab.example.com:443\r\n\r\n`,
    () => `CONNECT ${target} HTTP/1.1\r\nHost: x\r\n\r\n`,
    () => '\r\n\r\n\r\n',
    () => '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
    () => rng.chars(`${LATIN1}\r\n\x00`, rng.between(1, 4000)),
    () => `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`.slice(0, rng.between(1, 40)),
  ])()
}

function socketCase(rng: Rng): FuzzCase {
  const close = rng.chance(0.5)
  const bytes = rng.weighted<() => string>([
    [
      4,
      () => {
        const { head, body } = gitlabRequest(rng)
        return message(head, body, close)
      },
    ],
    [
      3,
      () => {
        const { head, body } = controlRequest(rng)
        return message(head, body, close)
      },
    ],
    [2, () => badHttp(rng)],
    [
      1,
      () => {
        // Pipelined: the answers must come back whole and in order, or the connection close.
        const n = rng.between(2, 4)
        return Array.from({ length: n }, () => {
          const { head, body } = rng.chance(0.5) ? gitlabRequest(rng) : controlRequest(rng)
          return message(head, body, false)
        }).join('')
      },
    ],
  ])()
  return { kind: 'socket', bytes, hangUp: rng.chance(0.05) }
}

// ---------------------------------------------------------------------------------------------
// Reporting

/** The case as text for a failure message, long strings cut in the middle. */
export function describeCase(c: FuzzCase, limit = 600): string {
  const cut = (s: string) =>
    s.length <= limit
      ? s
      : `${s.slice(0, limit / 2)}…(${s.length - limit} more characters)…${s.slice(-limit / 2)}`
  return JSON.stringify(
    c,
    (_, value: unknown) => {
      if (typeof value === 'string') return cut(value)
      if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
      if (value === undefined) return '(undefined)'
      return value
    },
    1,
  )
}

import { createHash } from 'node:crypto'
import { describe, expect, test, vi } from 'vitest'
import { sha256 as sha256InJs } from '../../src/api/sha256.js'
import { createGitLabFake, type GitLabFake } from '../../src/index.js'
import { body, call, useBothVersions } from '../support/versions.js'
import { both, latest as latestFixture } from './fixtures.js'

/**
 * The artifact downloads today (lib/api/ci/job_artifacts.rb): `search_recent_successful_pipelines`
 * on the downloads by ref, and `artifact_etag`: a strong `ETag` of the archive's SHA-256 (a file's:
 * the SHA-256 of `<archive sha256>:<path>`) under the `workhorse_download_etag_caching` flag, with
 * the conditional requests of Rack::ConditionalGet (an exact If-None-Match) and of Workhorse's
 * `http.ServeContent` for the archive (weak If-None-Match, If-Match, If-Range).
 */

const ETAG_ON = { workhorse_download_etag_caching: true }
const {
  v13,
  latest,
  others: [tagged],
} = useBothVersions({
  v13: { dataset: 'empty', fixtures: [both()] },
  latest: { dataset: 'empty', fixtures: [latestFixture()] },
  others: [{ gitlab: 'latest', dataset: 'empty', fixtures: [latestFixture()], featureFlags: ETAG_ON }],
})
const withEtag = tagged as GitLabFake

const ALICE = { 'PRIVATE-TOKEN': 'alice-token' }
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex')

/** A ref with a newer successful pipeline whose job kept no archive, and an older one whose did. */
function seedRelease(fake: GitLabFake) {
  const pipeline = (id: number, artifacts: boolean, status = 'success') =>
    fake.seed.pipeline({
      project: 1,
      id,
      ref: 'release',
      commit: null,
      status,
      jobs: [
        {
          id: id * 10,
          name: 'dist',
          status,
          ...(artifacts && { artifacts: [{ file_type: 'archive', files: { 'out.txt': `from ${id}\n` } }] }),
        },
      ],
    })
  pipeline(60, true)
  pipeline(61, false)
  pipeline(62, true, 'failed')
}

describe('search_recent_successful_pipelines', () => {
  test('latest: the ref’s newest success has no archive; the search finds the older one’s', async () => {
    seedRelease(latest)
    const plain = await call(latest, '/projects/1/jobs/artifacts/release/download?job=dist', ALICE)
    expect(plain.status).toBe(404)
    expect(await plain.text()).toBe('{"message":"404 Not found"}')
    const searched = await call(
      latest,
      '/projects/1/jobs/artifacts/release/download?job=dist&search_recent_successful_pipelines=true',
      ALICE,
    )
    expect(searched.status).toBe(200)
    const archive = new Uint8Array(await searched.arrayBuffer())
    expect(archive).toEqual(latest.store.blob(latest.store.jobs.get(600)?.artifacts[0]?.blob ?? ''))
    const raw = await call(
      latest,
      '/projects/1/jobs/artifacts/release/raw/out.txt?job=dist&search_recent_successful_pipelines=1',
      ALICE,
    )
    expect(await raw.text()).toBe('from 60\n')
    // false is the default: as without it.
    const off = await call(
      latest,
      '/projects/1/jobs/artifacts/release/download?job=dist&search_recent_successful_pipelines=false',
      ALICE,
    )
    expect(off.status).toBe(404)
  })

  test('latest: nothing found is 404 Job Not Found; an expired archive is not found', async () => {
    seedRelease(latest)
    const none = await call(
      latest,
      '/projects/1/jobs/artifacts/release/download?job=nope&search_recent_successful_pipelines=true',
      ALICE,
    )
    expect(none.status).toBe(404)
    expect(await none.text()).toBe('{"message":"404 Job Not Found"}')
    const job = latest.store.jobs.get(600)
    if (!job) throw new Error('no job 600')
    latest.store.updateJob(job, { artifacts_expire_at: latest.clock.now() - 1 })
    const expired = await call(
      latest,
      '/projects/1/jobs/artifacts/release/download?job=dist&search_recent_successful_pipelines=true',
      ALICE,
    )
    expect(await expired.text()).toBe('{"message":"404 Job Not Found"}')
  })

  test("latest: a value that is no Boolean is Grape's 400, after job", async () => {
    const cases: [string, string][] = [
      [
        'download?job=dist&search_recent_successful_pipelines=maybe',
        '{"error":"search_recent_successful_pipelines is invalid"}',
      ],
      [
        'download?search_recent_successful_pipelines=2',
        '{"error":"job is missing, search_recent_successful_pipelines is invalid"}',
      ],
      [
        'raw/out.txt?job=dist&search_recent_successful_pipelines[]=1',
        '{"error":"search_recent_successful_pipelines is invalid"}',
      ],
    ]
    for (const [path, expected] of cases) {
      const response = await call(latest, `/projects/1/jobs/artifacts/release/${path}`, ALICE)
      expect(response.status, path).toBe(400)
      expect(await response.text()).toBe(expected)
    }
  })

  test('13.0 has no such param: it is ignored, and any value is let through', async () => {
    seedRelease(v13)
    for (const value of ['true', 'maybe']) {
      const response = await call(
        v13,
        `/projects/1/jobs/artifacts/release/download?job=dist&search_recent_successful_pipelines=${value}`,
        ALICE,
      )
      expect(response.status).toBe(404)
      expect(await response.text()).toBe('{"message":"404 Not found"}')
    }
  })
})

describe('ETag on the downloads', () => {
  const ARCHIVE = '/projects/1/jobs/101/artifacts'
  const FILE = '/projects/1/jobs/101/artifacts/coverage/index.html'

  test('with the flag: the archive’s SHA-256, quoted, by id and by ref; a file’s, of "<archive sha>:<path>"', async () => {
    seedRelease(withEtag)
    const archive = await call(withEtag, ARCHIVE, ALICE)
    const bytes = new Uint8Array(await archive.arrayBuffer())
    const digest = sha256(bytes)
    expect(archive.headers.get('etag')).toBe(`"${digest}"`)
    const byRef = await call(withEtag, '/projects/1/jobs/artifacts/release/download?job=dist', ALICE)
    expect(byRef.status).toBe(404)
    const searched = await call(
      withEtag,
      '/projects/1/jobs/artifacts/release/download?job=dist&search_recent_successful_pipelines=true',
      ALICE,
    )
    expect(searched.headers.get('etag')).toBe(`"${sha256(new Uint8Array(await searched.arrayBuffer()))}"`)
    const file = await call(withEtag, FILE, ALICE)
    expect(await file.text()).toBe('<html></html>\n')
    expect(file.headers.get('etag')).toBe(`"${sha256(`${digest}:coverage/index.html`)}"`)
    const raw = await call(
      withEtag,
      '/projects/1/jobs/artifacts/release/raw/out.txt?job=dist&search_recent_successful_pipelines=true',
      ALICE,
    )
    const releaseArchive = withEtag.store.blob(
      withEtag.store.jobs.get(600)?.artifacts[0]?.blob ?? '',
    ) as Uint8Array
    expect(raw.headers.get('etag')).toBe(`"${sha256(`${sha256(releaseArchive)}:out.txt`)}"`)
  })

  test('without crypto.subtle (browsers keep it to secure contexts: a page over http on a LAN address): the same tags', async () => {
    const fake = createGitLabFake({
      gitlab: 'latest',
      dataset: 'empty',
      fixtures: [latestFixture()],
      featureFlags: ETAG_ON,
    })
    const get = (path: string) =>
      fake.handle(new Request(`${fake.apiUrl}${path}`, { headers: ALICE })) as Promise<Response>
    vi.stubGlobal('crypto', {})
    try {
      expect(globalThis.crypto.subtle).toBeUndefined()
      const archive = await get(ARCHIVE)
      expect(archive.status).toBe(200)
      const digest = sha256(new Uint8Array(await archive.arrayBuffer()))
      expect(archive.headers.get('etag')).toBe(`"${digest}"`)
      const file = await get(FILE)
      expect([file.status, file.headers.get('etag')]).toEqual([
        200,
        `"${sha256(`${digest}:coverage/index.html`)}"`,
      ])
    } finally {
      vi.unstubAllGlobals()
    }
  })

  test('the SHA-256 in JavaScript is SHA-256: every padding case, a view into a larger buffer, a large input', () => {
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
    const source = new Uint8Array(300_007)
    for (let i = 0; i < source.length; i++) source[i] = (i * 2654435761) >>> 24
    for (const length of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 300_000]) {
      const bytes = source.subarray(7, 7 + length)
      expect(hex(sha256InJs(bytes)), String(length)).toBe(sha256(bytes))
    }
    expect(hex(sha256InJs(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })

  test('the same tag in If-None-Match: 304, no body, no Content-Type, the ETag kept', async () => {
    const first = await call(withEtag, ARCHIVE, ALICE)
    const etag = first.headers.get('etag') as string
    const again = await call(withEtag, ARCHIVE, { ...ALICE, 'If-None-Match': etag })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('etag')).toBe(etag)
    expect(again.headers.get('content-type')).toBeNull()
    expect(again.headers.get('last-modified')).toBeNull()
    expect(again.headers.get('content-disposition')).toBe(first.headers.get('content-disposition'))
    const fileTag = (await call(withEtag, FILE, ALICE)).headers.get('etag') as string
    const file = await call(withEtag, FILE, { ...ALICE, 'If-None-Match': fileTag })
    expect(file.status).toBe(304)
    expect(file.headers.get('etag')).toBe(fileTag)
    // Another tag: the whole answer.
    const other = await call(withEtag, ARCHIVE, { ...ALICE, 'If-None-Match': '"0000"' })
    expect(other.status).toBe(200)
  })

  test('the archive follows Go’s conditions too: a weak If-None-Match, If-Match and If-Range by tag', async () => {
    const etag = (await call(withEtag, ARCHIVE, ALICE)).headers.get('etag') as string
    expect((await call(withEtag, ARCHIVE, { ...ALICE, 'If-None-Match': `W/${etag}` })).status).toBe(304)
    // Rack compares the file's tag exactly: a weak one is no match there.
    const fileTag = (await call(withEtag, FILE, ALICE)).headers.get('etag') as string
    expect((await call(withEtag, FILE, { ...ALICE, 'If-None-Match': `W/${fileTag}` })).status).toBe(200)
    expect((await call(withEtag, ARCHIVE, { ...ALICE, 'If-Match': '"0000"' })).status).toBe(412)
    expect((await call(withEtag, ARCHIVE, { ...ALICE, 'If-Match': etag })).status).toBe(200)
    const ranged = await call(withEtag, ARCHIVE, { ...ALICE, Range: 'bytes=0-3', 'If-Range': etag })
    expect(ranged.status).toBe(206)
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(new Uint8Array([0x50, 0x4b, 0x03, 0x04]))
    const stale = await call(withEtag, ARCHIVE, { ...ALICE, Range: 'bytes=0-3', 'If-Range': '"0000"' })
    expect(stale.status).toBe(200)
  })

  test('latest without the flag, and 13.0: no ETag, and a tag in If-None-Match matches nothing', async () => {
    for (const fake of [latest, v13]) {
      const archive = await call(fake, ARCHIVE, ALICE)
      expect(archive.headers.get('etag')).toBeNull()
      const digest = sha256(new Uint8Array(await archive.arrayBuffer()))
      const conditional = await call(fake, ARCHIVE, { ...ALICE, 'If-None-Match': `"${digest}"` })
      expect(conditional.status).toBe(200)
      expect((await call(fake, FILE, ALICE)).headers.get('etag')).toBeNull()
    }
  })

  test('the project jobs list is no download: no ETag of this kind', async () => {
    const list = await call(withEtag, '/projects/1/jobs', ALICE)
    expect(list.headers.get('etag')).toBeNull()
    expect(Array.isArray(await body(list))).toBe(true)
  })
})

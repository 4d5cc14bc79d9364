import { Gitlab } from '@gitbeaker/rest'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { encodeCursor } from '../../src/api/keyset-pagination.js'
import { createGitLabFake, type GitLabFake } from '../../src/index.js'
import { FAIL_UNHANDLED } from '../support/msw.js'

/**
 * Keyset pagination of today's project jobs list (lib/api/helpers/pagination_strategies.rb,
 * lib/gitlab/pagination/cursor_based_keyset.rb, keyset/paginator.rb, keyset/header_builder.rb);
 * 13.0 ignores `pagination=keyset`. Both fakes under one setupServer.
 */

const latest = createGitLabFake({ gitlab: 'latest', baseUrl: 'https://latest.example.com' })
const v13 = createGitLabFake({ baseUrl: 'https://v13.example.com' })
const server = setupServer(...latest.handlers, ...v13.handlers)
beforeAll(() => server.listen(FAIL_UNHANDLED))
afterEach(() => {
  latest.reset()
  v13.reset()
})
afterAll(() => server.close())

function get(gitlab: GitLabFake, path: string): Promise<Response> {
  return fetch(`${gitlab.apiUrl}${path}`, { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } })
}

/** Every job of project 1, newest first, as the store holds them. */
function allIds(gitlab: GitLabFake, keep: (status: string) => boolean = () => true): number[] {
  return gitlab.store
    .jobsOfProject(1)
    .list()
    .filter((j) => keep(j.status))
    .map((j) => j.id)
    .reverse()
}

/** Forty more jobs in project 1, so that there are pages to walk. */
function seedMany(gitlab: GitLabFake): void {
  gitlab.seed.pipeline({
    project: 1,
    jobs: Array.from({ length: 40 }, (_, i) => ({ status: i % 3 === 0 ? 'failed' : 'success' })),
  })
}

const ids = async (response: Response) => ((await response.json()) as { id: number }[]).map((j) => j.id)

describe('pages by cursor', () => {
  test('the first page: per_page rows newest first, Link rel="next" with the cursor of its last row', async () => {
    seedMany(latest)
    const response = await get(latest, '/projects/1/jobs?pagination=keyset&per_page=2')
    expect(response.status).toBe(200)
    const all = allIds(latest)
    expect(await ids(response)).toEqual(all.slice(0, 2))
    const cursor = encodeURIComponent(encodeCursor(all[1] as number))
    expect(response.headers.get('link')).toBe(
      `<https://latest.example.com/api/v4/projects/1/jobs?cursor=${cursor}&id=1&page=1&pagination=keyset&per_page=2>; rel="next"`,
    )
    for (const name of ['x-total', 'x-total-pages', 'x-page', 'x-per-page', 'x-next-page', 'x-prev-page'])
      expect(response.headers.get(name)).toBeNull()
  })

  test('the cursor is Base64 of {"id":"<last id>","_kd":"n"}, as GitLab writes it', () => {
    expect(encodeCursor(12)).toBe('eyJpZCI6IjEyIiwiX2tkIjoibiJ9')
    expect(JSON.parse(atob(encodeCursor(4711)))).toEqual({ id: '4711', _kd: 'n' })
  })

  test('following rel="next" walks every job once, newest first; the last page has no Link', async () => {
    seedMany(latest)
    const seen: number[] = []
    let url: string | undefined =
      `${latest.apiUrl}/projects/1/jobs?pagination=keyset&per_page=7&order_by=id&sort=desc`
    let pages = 0
    while (url) {
      const response: Response = await fetch(url, { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } })
      seen.push(...(await ids(response)))
      url = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1]
      pages++
    }
    expect(seen).toEqual(allIds(latest))
    expect(pages).toBe(Math.ceil(seen.length / 7))
  })

  test('with scope and ref, the Link keeps them', async () => {
    seedMany(latest)
    const response = await get(latest, '/projects/1/jobs?pagination=keyset&per_page=3&scope[]=failed')
    const failed = allIds(latest, (s) => s === 'failed')
    expect(await ids(response)).toEqual(failed.slice(0, 3))
    expect(response.headers.get('link')).toContain('&scope%5B%5D=failed>; rel="next"')
    const next = /<([^>]+)>/.exec(response.headers.get('link') ?? '')?.[1] as string
    expect(await ids(await fetch(next, { headers: { 'PRIVATE-TOKEN': 'maintainer-token' } }))).toEqual(
      failed.slice(3, 6),
    )
  })

  test('per_page is not capped at 100 in keyset mode (`keyset_paginate(per_page:)`)', async () => {
    for (let i = 0; i < 3; i++) seedMany(latest)
    const response = await get(latest, '/projects/1/jobs?pagination=keyset&per_page=110')
    expect((await ids(response)).length).toBe(110)
  })

  test('a backward cursor (`_kd: "p"`) pages towards newer jobs, and always has a next', async () => {
    seedMany(latest)
    const all = allIds(latest)
    const back = btoa(JSON.stringify({ id: String(all[10]), _kd: 'p' }))
    const response = await get(latest, `/projects/1/jobs?pagination=keyset&per_page=3&cursor=${back}`)
    expect(await ids(response)).toEqual(all.slice(7, 10))
    expect(response.headers.get('link')).toContain(encodeURIComponent(encodeCursor(all[9] as number)))
  })

  test('a blank cursor is the first page', async () => {
    const response = await get(latest, '/projects/1/jobs?pagination=keyset&per_page=2&cursor=')
    expect(await ids(response)).toEqual(allIds(latest).slice(0, 2))
  })
})

/** A cursor of these attributes, as Base64CursorConverter writes one. */
const cursorOf = (attributes: Record<string, unknown>) => encodeURIComponent(btoa(JSON.stringify(attributes)))

describe('cursor values as Arel compares them (the id cast by ActiveModel::Type::Integer#serialize)', () => {
  test('an id that starts as a number is its `to_i`: "<id>abc", " +<id>" and <id>.7 page as "<id>" does', async () => {
    seedMany(latest)
    const all = allIds(latest)
    const id = all[5] as number
    const page = async (value: unknown) =>
      ids(
        await get(
          latest,
          `/projects/1/jobs?pagination=keyset&per_page=3&cursor=${cursorOf({ id: value, _kd: 'n' })}`,
        ),
      )
    const expected = all.slice(6, 9)
    expect(await page(String(id))).toEqual(expected)
    for (const value of [`${id}abc`, ` +${id}`, id + 0.7]) expect(await page(value)).toEqual(expected)
  })

  test.each([
    ['"abc"', 'abc'],
    ['"" (no number)', ''],
    ['null', null],
    ['an array', ['1']],
  ])('an id of %s is nil, `id < NULL`: 200, an empty page, no Link', async (_, value) => {
    seedMany(latest)
    const response = await get(
      latest,
      `/projects/1/jobs?pagination=keyset&per_page=3&cursor=${cursorOf({ id: value, _kd: 'n' })}`,
    )
    expect([response.status, await response.json(), response.headers.get('link')]).toEqual([200, [], null])
  })

  test('no _kd, or another one, with an id: forward from the id, but never a next page', async () => {
    seedMany(latest)
    const all = allIds(latest)
    for (const attributes of [{ id: String(all[5]) }, { id: String(all[5]), _kd: 'x' }]) {
      const response = await get(
        latest,
        `/projects/1/jobs?pagination=keyset&per_page=3&cursor=${cursorOf(attributes)}`,
      )
      expect([await ids(response), response.headers.get('link')]).toEqual([all.slice(6, 9), null])
    }
  })

  test('_kd alone: "n" or blank is the first page with its Link; another is the last page-forward, without', async () => {
    seedMany(latest)
    const all = allIds(latest)
    for (const kd of ['n', '']) {
      const response = await get(
        latest,
        `/projects/1/jobs?pagination=keyset&per_page=3&cursor=${cursorOf({ _kd: kd })}`,
      )
      expect(await ids(response)).toEqual(all.slice(0, 3))
      expect(response.headers.get('link')).toContain('rel="next"')
    }
    const other = await get(
      latest,
      `/projects/1/jobs?pagination=keyset&per_page=3&cursor=${cursorOf({ _kd: 'x' })}`,
    )
    expect([await ids(other), other.headers.get('link')]).toEqual([all.slice(0, 3), null])
  })
})

describe('what keyset does not support: 405 (`error!`, after the project checks)', () => {
  test.each([
    'order_by=id&sort=asc',
    'sort=asc',
    'order_by=created_at',
    'order_by=ID',
    'sort=DESC',
    'order_by=',
  ])('%s', async (query) => {
    const response = await get(latest, `/projects/1/jobs?pagination=keyset&${query}`)
    expect([response.status, await response.json()]).toEqual([
      405,
      { error: 'Keyset pagination is not yet available for this type of request' },
    ])
  })

  test('a missing project is still a 404 first', async () => {
    const response = await get(latest, '/projects/999/jobs?pagination=keyset&sort=asc')
    expect(response.status).toBe(404)
  })

  test('in offset mode order_by and sort are ignored: id DESC with the offset headers', async () => {
    const response = await get(latest, '/projects/1/jobs?order_by=id&sort=asc&per_page=3')
    expect(response.status).toBe(200)
    expect(await ids(response)).toEqual(allIds(latest).slice(0, 3))
    expect(response.headers.get('x-per-page')).toBe('3')
  })

  test.each([
    ['a cursor that is not Base64', 'cursor=%25%25%25'],
    ['Base64 of no JSON', `cursor=${btoa('nope')}`],
    // Order#verify_incoming_values!: `Incorrect cursor values were given. Extra items: …`
    ['a cursor with a value beside the id', `cursor=${cursorOf({ id: '5', created_at: 'x', _kd: 'n' })}`],
    ['a cursor with another value instead of the id', `cursor=${cursorOf({ ID: '5', _kd: 'n' })}`],
    [
      'an id out of a bigint (ActiveModel::RangeError)',
      `cursor=${cursorOf({ id: '9223372036854775808', _kd: 'n' })}`,
    ],
    [
      'a backward page that is empty (`nil` for its next cursor)',
      `cursor=${cursorOf({ id: 'abc', _kd: 'p' })}`,
    ],
    ['a negative per_page', 'per_page=-2'],
    ['sort as an array', 'sort[]=desc'],
  ])(
    '%s: GitLab raises (its 500); the fake answers 400, as it never answers bad input with a 500',
    async (_, query) => {
      const response = await get(latest, `/projects/1/jobs?pagination=keyset&${query}`)
      expect([response.status, await response.json()]).toEqual([400, { message: '400 Bad request' }])
    },
  )
})

describe('13.0', () => {
  test('pagination=keyset is ignored: offset pages with counts', async () => {
    const response = await get(v13, '/projects/1/jobs?pagination=keyset&per_page=2&sort=asc')
    expect(response.status).toBe(200)
    expect(response.headers.get('x-total')).not.toBeNull()
    expect(response.headers.get('link')).toContain('rel="last"')
  })
})

describe('@gitbeaker/rest 43, pagination: "keyset"', () => {
  test('Jobs.all walks to the end', async () => {
    seedMany(latest)
    latest.journal.clear()
    const api = new Gitlab({ host: 'https://latest.example.com', token: 'maintainer-token' })
    const jobs = await api.Jobs.all('foo/bar', {
      pagination: 'keyset',
      orderBy: 'id',
      sort: 'desc',
      perPage: 6,
    })
    expect(jobs.map((j) => j.id)).toEqual(allIds(latest))
    // Every page after the first asked by the cursor of the one before.
    const asked = latest.journal.filter({ method: 'GET' })
    expect(asked).toHaveLength(Math.ceil(jobs.length / 6))
    expect(asked.slice(1).every((e) => typeof e.query.cursor === 'string')).toBe(true)
  })

  test('with sort: "asc" it gets the 405 as an error', async () => {
    const api = new Gitlab({ host: 'https://latest.example.com', token: 'maintainer-token' })
    await expect(
      api.Jobs.all('foo/bar', { pagination: 'keyset', orderBy: 'id', sort: 'asc', perPage: 6 }),
    ).rejects.toMatchObject({ cause: { response: { status: 405 } } })
  })
})

import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { provideSeeding } from './data/seeder.js'
import * as seeding from './data/seeding.js'
import { createGitLabFake, type GitLabFake, type GitLabFakeOptions } from './fake.js'

// Node only: seeding loaded with the helper, so that tests seed at once, whatever loads it.
provideSeeding(seeding)

export interface UseGitLabFakeOptions extends GitLabFakeOptions {
  /**
   * What MSW does with a request no handler answers (msw's `onUnhandledRequest`). Default
   * `'error'`: a test that reaches anywhere else fails, rather than the network.
   */
  onUnhandledRequest?: 'error' | 'warn' | 'bypass'
}

export interface GitLabFakeInTests {
  /** The fake: its clock, runner, faults, store, seeding. */
  readonly gitlab: GitLabFake
  /** Every request answered since the last test ended. */
  readonly journal: GitLabFake['journal']
  /** The users' tokens by username, as the dataset gives them (`tokens.maintainer`). */
  readonly tokens: Readonly<Record<string, string>>
  /** `${baseUrl}/api/v4`, for fetch. */
  readonly apiUrl: string
}

/**
 * One line of setup for a vitest file: a fake behind msw's `setupServer`, started before the
 * file's tests and stopped after them; after each test the data and the clock go back to where
 * they started, the faults are cleared and the journal emptied. Each test file (so each vitest
 * worker) has a fake of its own.
 *
 * ```ts
 * import { useGitLabFake } from 'gitlab-fake/vitest'
 * const { gitlab, tokens } = useGitLabFake()
 * ```
 */
export function useGitLabFake(options: UseGitLabFakeOptions = {}): GitLabFakeInTests {
  const { onUnhandledRequest = 'error', ...fakeOptions } = options
  const gitlab = createGitLabFake(fakeOptions)
  const server = setupServer(...gitlab.handlers)
  const tokens: Record<string, string> = {}
  for (const user of gitlab.store.users.values()) {
    const token = user.tokens[0]?.token
    if (token !== undefined) tokens[user.username] = token
  }
  beforeAll(() => {
    // Both msw 2's and msw 3's option names.
    server.listen({ onUnhandledRequest, onUnhandledFrame: onUnhandledRequest } as never)
  })
  afterEach(() => {
    gitlab.reset()
    gitlab.faults.clear()
    gitlab.journal.clear()
  })
  afterAll(() => {
    server.close()
  })
  return { gitlab, journal: gitlab.journal, tokens, apiUrl: gitlab.apiUrl }
}

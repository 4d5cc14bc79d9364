import { describe } from 'vitest'
import type { GitLabFake, GitLabFakeOptions } from '../../src/index.js'
import { useGitLab } from './gitlab.js'

/** The versions the fake answers as, each run of a shared suite named after one. */
export type Version = '13.0' | 'latest'
export const VERSIONS: readonly Version[] = ['13.0', 'latest']

/**
 * A suite whose behaviour is the same in every version, run once per version: each run is a
 * `describe` named `<name> [GitLab <version>]` with a fake of its own for that version, behind
 * msw's setupServer for the run's tests only (so `api()` reaches the version of the run), reset
 * after each test. The options are the same for every version, or given per version.
 *
 * ```ts
 * describeEachVersion('scope', (version, gitlab) => { test(…) })
 * ```
 */
export function describeEachVersion(
  name: string,
  body: (version: Version, gitlab: GitLabFake) => void,
  options: GitLabFakeOptions | ((version: Version) => GitLabFakeOptions) = {},
): void {
  for (const version of VERSIONS) {
    describe(`${name} [GitLab ${version}]`, () => {
      const own = typeof options === 'function' ? options(version) : options
      const gitlab = useGitLab({ ...own, gitlab: version })
      body(version, gitlab)
    })
  }
}

/**
 * What each version answers, written out in the test: `byVersion(version, { '13.0': a, latest: b })`.
 * The values come from the references (gitlab-jobs-behaviour.md, gitlab-jobs-latest.md §1), never
 * from the profile under test, so that either side can fail.
 */
export function byVersion<T>(version: Version, values: Record<Version, T>): T {
  return values[version]
}

/**
 * The default datasets' branch: `master` in 13.0's, `main` in latest's (src/data/
 * default-dataset-latest.ts: today's default branch), the same pipelines and jobs on it.
 */
export function defaultBranch(version: Version): string {
  return byVersion(version, { '13.0': 'master', latest: 'main' })
}

/**
 * `forbidden!(reason)`'s message (gitlab-jobs-latest.md §1 row 1, lib/api/helpers.rb
 * `render_api_error_with_reason!`): two spaces before the dash in 13.0, one today.
 */
export function forbidden(version: Version, reason: string): { message: string } {
  return {
    message: byVersion(version, {
      '13.0': `403 Forbidden  - ${reason}`,
      latest: `403 Forbidden - ${reason}`,
    }),
  }
}

/**
 * `bad_request!(reason)`'s message (gitlab-jobs-latest.md §1 row 2, lib/api/helpers.rb):
 * `400 (Bad request) "x" not given` in 13.0, `400 Bad request - x` today.
 */
export function badRequest(version: Version, reason: string): { message: string } {
  return {
    message: byVersion(version, {
      '13.0': `400 (Bad request) "${reason}" not given`,
      latest: `400 Bad request - ${reason}`,
    }),
  }
}

/**
 * A suite run once per version, each run a `describe` named `<name> [GitLab <version>]`, for tests
 * that make their fakes themselves (`createGitLabFake({ gitlab: version, … })`, `listen(…)`).
 */
export function forEachVersion(name: string, body: (version: Version) => void): void {
  for (const version of VERSIONS) describe(`${name} [GitLab ${version}]`, () => body(version))
}

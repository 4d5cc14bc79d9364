import { gitlab13_0 } from './gitlab-13.0.js'
import { gitlabLatest } from './gitlab-latest.js'
import type { GitLabProfile } from './profile.js'

/** The GitLab versions the fake answers as, by the name `gitlab: …` and `--gitlab` take. */
export const profiles = { '13.0': gitlab13_0, latest: gitlabLatest } as const satisfies Record<
  string,
  GitLabProfile
>

export type GitLabVersion = keyof typeof profiles

export const gitlabVersions = Object.keys(profiles) as GitLabVersion[]

/** The profile of a version name; any other name throws, naming the versions there are. */
export function profileFor(version: string): GitLabProfile {
  if (!Object.hasOwn(profiles, version))
    throw new Error(
      `gitlab-fake: unknown GitLab version ${JSON.stringify(version)}; the versions the fake answers as: ${gitlabVersions.join(', ')}`,
    )
  return profiles[version as GitLabVersion]
}

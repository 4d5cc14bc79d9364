import { type Answer, jsonResponse } from '../api/responses.js'
import { isExpired } from '../domain/access-tokens.js'
import type { GitLabFake } from '../fake.js'
import { ACCESS_LEVELS } from '../store/records.js'

const ROLE_NAMES = Object.fromEntries(Object.entries(ACCESS_LEVELS).map(([name, level]) => [level, name]))

/**
 * `GET /__fake/overview`: what the fake's page needs to start, and nothing GitLab's API lists in
 * 13.0's Jobs API: the projects (with how many pipelines and jobs each holds) and every personal
 * access token with its user, its roles and whether it still works. Counts come from the indexes,
 * so that a project of 10,000 jobs costs no more than one of ten.
 */
export function overview(fake: GitLabFake): Answer {
  const { store } = fake
  const now = fake.clock.now()
  const projects = [...store.projects.values()].map((project) => ({
    id: project.id,
    path_with_namespace: project.path_with_namespace,
    visibility: project.visibility,
    pipelines: store.pipelinesOf(project.id).length,
    jobs: store.jobsOfProject(project.id).count(),
  }))
  const tokens = [...store.users.values()].flatMap((user) =>
    user.tokens.map((token) => ({
      token: token.token,
      scopes: token.scopes,
      state: token.revoked ? 'revoked' : isExpired(token, now) ? 'expired' : 'active',
      user: { id: user.id, username: user.username, name: user.name, admin: user.admin },
      roles: Object.fromEntries(
        [...store.projects.values()].flatMap((project) => {
          const level = project.members[user.id]
          return level === undefined
            ? []
            : [[project.path_with_namespace, ROLE_NAMES[level] ?? String(level)]]
        }),
      ),
    })),
  )
  return jsonResponse({ base_url: fake.baseUrl, api_url: fake.apiUrl, projects, tokens })
}

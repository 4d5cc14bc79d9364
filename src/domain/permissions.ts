import type { ProjectRecord, UserRecord } from '../store/records.js'
import { ACCESS_LEVELS } from '../store/records.js'

/**
 * GitLab 13.0's ProjectPolicy and Ci::BuildPolicy for what the Jobs API asks
 * (../shared/reference/gitlab-jobs-behaviour.md §4.3). Admins can do everything.
 */
export type Ability =
  | 'read_project'
  | 'read_build'
  | 'read_pipeline'
  | 'update_build'
  | 'admin_build'
  | 'destroy_artifacts'

export function accessLevel(project: ProjectRecord, user: UserRecord | null): number {
  if (!user) return 0
  return project.members[user.id] ?? 0
}

export function can(user: UserRecord | null, ability: Ability, project: ProjectRecord): boolean {
  if (user?.admin) return true
  const level = accessLevel(project, user)
  const readsProject = canReadProject(user, project, level)
  switch (ability) {
    case 'read_project':
      return readsProject
    case 'read_build':
      // `rule { public_builds }.enable :read_build` for whoever can read the project
      return level >= ACCESS_LEVELS.reporter || (project.public_builds && readsProject)
    case 'read_pipeline':
      return (
        level >= ACCESS_LEVELS.reporter ||
        (project.visibility === 'public' && readsProject) ||
        (project.public_builds && level >= ACCESS_LEVELS.guest)
      )
    case 'update_build':
      return level >= ACCESS_LEVELS.developer
    case 'admin_build':
    case 'destroy_artifacts':
      return level >= ACCESS_LEVELS.maintainer
  }
}

function canReadProject(user: UserRecord | null, project: ProjectRecord, level: number): boolean {
  if (level >= ACCESS_LEVELS.guest) return true
  if (project.visibility === 'public') return true
  return project.visibility === 'internal' && user !== null
}

import type { JobRecord, ProjectRecord, UserRecord } from '../store/records.js'
import { ACCESS_LEVELS } from '../store/records.js'

/**
 * GitLab 13.0's ProjectPolicy and Ci::BuildPolicy for what the Jobs API asks
 * (app/policies/project_policy.rb, app/policies/ci/build_policy.rb). Admins can do everything.
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

export type JobAbility = 'update_build' | 'erase_build' | 'destroy_artifacts'

/**
 * Ci::BuildPolicy (13.0): `protected_ref` (the user may not push or merge to the job's branch,
 * or create its tag) prevents update_build and erase_build; erase_build is for Maintainers, or
 * for the Developer who triggered the job.
 */
export function canOnJob(
  user: UserRecord | null,
  ability: JobAbility,
  project: ProjectRecord,
  job: JobRecord,
): boolean {
  if (user?.admin) return true
  if (ability === 'destroy_artifacts') return can(user, 'destroy_artifacts', project)
  if (!user || !canUpdateRef(user, project, job)) return false
  if (ability === 'update_build') return can(user, 'update_build', project)
  return can(user, 'admin_build', project) || (can(user, 'update_build', project) && job.user_id === user.id)
}

/** Gitlab::UserAccess#can_update_branch? / #can_create_tag? for the job's ref. */
function canUpdateRef(user: UserRecord, project: ProjectRecord, job: JobRecord): boolean {
  const level = accessLevel(project, user)
  if (level < ACCESS_LEVELS.developer) return false
  if (job.tag) {
    const rules = project.protected_tags.filter((t) => refMatches(t.name, job.ref))
    return rules.length === 0 || rules.some((t) => allows(t.create_access_level, level))
  }
  const rules = project.protected_branches.filter((b) => refMatches(b.name, job.ref))
  return (
    rules.length === 0 ||
    rules.some((b) => allows(b.push_access_level, level) || allows(b.merge_access_level, level))
  )
}

function allows(required: number, level: number): boolean {
  return required > 0 && level >= required
}

/** ProtectedRef.matching: an exact name, or a pattern where `*` matches anything. */
function refMatches(pattern: string, ref: string): boolean {
  if (!pattern.includes('*')) return pattern === ref
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  )
  return regex.test(ref)
}

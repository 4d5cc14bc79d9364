import type { JobRecord, ProjectRecord, UserRecord } from '../store/records.js'
import { ACCESS_LEVELS } from '../store/records.js'

/**
 * GitLab 13.0's ProjectPolicy and Ci::BuildPolicy for what the Jobs API asks
 * (app/policies/project_policy.rb, app/policies/ci/build_policy.rb). Admins hold every project
 * ability; on a job, a ref protected for "No one" binds them too.
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
  if (prevented(user, ability, project)) return false
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
        // `rule { can?(:public_access) }.enable :read_pipeline`: a public project, or an internal
        // one for any logged-in user but an external one (`public_user_access`)
        project.visibility === 'public' ||
        (project.visibility === 'internal' && user !== null && !user.external) ||
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
  // `condition(:internal_access) { project.internal? && !user.external? }`
  return project.visibility === 'internal' && user !== null && !user.external
}

/**
 * ProjectPolicy's prevents that the Jobs API meets (app/policies/project_policy.rb). A prevent
 * wins over every enable, an admin's too, and reaches a job through `delegate { @subject.project }`
 * (app/policies/commit_status_policy.rb).
 * - `rule { builds_disabled | repository_disabled }.policy`
 *   `{ prevent(*create_read_update_admin_destroy(:build)) }`, `builds_disabled` being
 *   `!feature_available?(:builds)`: the feature off, or "Only project members" (`private`) for
 *   someone under Guest who is no admin (app/models/project_feature.rb).
 * - `rule { (builds_disabled & ~internal_builds_disabled) | repository_disabled }` prevents the
 *   pipeline abilities too: when the feature is private, not when it is off.
 * - `rule { archived }`: `prevent(*create_update_admin_destroy(feature))` for each of
 *   READONLY_FEATURES_WHEN_ARCHIVED (build, pipeline, …): reads stay.
 * None touches `destroy_artifacts`, a Maintainer ability of its own.
 */
function prevented(user: UserRecord | null, ability: Ability, project: ProjectRecord): boolean {
  if (ability === 'read_project' || ability === 'destroy_artifacts') return false
  if (project.archived && ability !== 'read_build' && ability !== 'read_pipeline') return true
  const level = project.builds_access_level
  if (level === 'enabled') return false
  if (level === 'private' && (user?.admin || accessLevel(project, user) >= ACCESS_LEVELS.guest)) return false
  return ability !== 'read_pipeline' || level === 'private'
}

/**
 * The abilities asked of a job. 13.0 asks `update_build` for every action; today's GitLab names
 * each (Ci::JobAbilities: `UPDATE_JOB_ABILITIES` `retry_job play_job keep_job_artifacts`,
 * `CLEANUP_JOB_ABILITIES` `cancel_build erase_build`), and `force_cancel_build`.
 */
export type JobAbility =
  | 'update_build'
  | 'erase_build'
  | 'destroy_artifacts'
  | 'cancel_build'
  | 'retry_job'
  | 'play_job'
  | 'keep_job_artifacts'
  | 'force_cancel_build'

/**
 * `rule { archived }` (Ci::ProcessablePolicy): an archived job loses the update abilities only,
 * and keeps `cancel_build` and `erase_build`.
 */
const ARCHIVED_PREVENTS: ReadonlySet<JobAbility> = new Set(['retry_job', 'play_job', 'keep_job_artifacts'])

/**
 * Ci::BuildPolicy (13.0, app/policies/ci/build_policy.rb):
 * `rule { protected_ref | archived }.policy { prevent :update_build; prevent :erase_build }`,
 * where `protected_ref` is `!access.can_update_branch?(ref)` (a tag: `!access.can_create_tag?`),
 * and a prevent holds for admins too; then
 * `rule { can?(:admin_build) | (can?(:update_build) & owner_of_job & unprotected_ref) }.enable :erase_build`,
 * where `unprotected_ref` is `!ProtectedBranch.protected?(project, ref)`: a Developer erases the
 * jobs they triggered only on a ref that no rule protects, whoever may push to it.
 * Today's named abilities are `update_build` under the same ref rule, an archived job losing
 * `retry_job`, `play_job` and `keep_job_artifacts`; `force_cancel_build` is a Maintainer's, and
 * not among the write abilities a protected ref prevents (Ci::JobAbilities).
 */
/** What the job abilities read of a job (a build's, or a trigger job's). */
export type JobFacts = Pick<JobRecord, 'ref' | 'tag' | 'archived' | 'user_id'>

export function canOnJob(
  user: UserRecord | null,
  ability: JobAbility,
  project: ProjectRecord,
  job: JobFacts,
): boolean {
  if (ability === 'destroy_artifacts') return can(user, 'destroy_artifacts', project)
  if (ability === 'force_cancel_build') return can(user, 'admin_build', project)
  if (!user || !canUpdateRef(user, project, job)) return false
  if (ARCHIVED_PREVENTS.has(ability) && job.archived) return false
  if (ability !== 'erase_build') return can(user, 'update_build', project)
  return (
    can(user, 'admin_build', project) ||
    (can(user, 'update_build', project) && job.user_id === user.id && !refProtected(project, job))
  )
}

/**
 * Gitlab::UserAccessProject#can_update_branch? (push or merge) / #can_create_tag? for the job's
 * ref (lib/gitlab/user_access_project.rb): an unprotected branch needs `push_code`, an unprotected
 * tag `admin_tag` (Developer+; admins hold both).
 */
function canUpdateRef(user: UserRecord, project: ProjectRecord, job: JobFacts): boolean {
  const level = accessLevel(project, user)
  if (!user.admin && level < ACCESS_LEVELS.developer) return false
  if (job.tag) {
    const rules = project.protected_tags.filter((t) => refMatches(t.name, job.ref))
    return rules.length === 0 || rules.some((t) => allows(t.create_access_level, user, level))
  }
  const rules = project.protected_branches.filter((b) => refMatches(b.name, job.ref))
  return (
    rules.length === 0 ||
    rules.some((b) => allows(b.push_access_level, user, level) || allows(b.merge_access_level, user, level))
  )
}

/** `ProtectedBranch.protected?` / `ProtectedTag.protected?`: some rule matches the ref. */
function refProtected(project: ProjectRecord, job: JobFacts): boolean {
  const rules = job.tag ? project.protected_tags : project.protected_branches
  return rules.some((r) => refMatches(r.name, job.ref))
}

/**
 * `check_access(user)`: ProtectedBranchAccess and ProtectedTag::CreateAccessLevel answer
 * `return false if access_level == Gitlab::Access::NO_ACCESS` before ProtectedRefAccess's
 * `return true if user.admin?` (app/models/concerns/protected_branch_access.rb,
 * app/models/protected_tag/create_access_level.rb, app/models/concerns/protected_ref_access.rb):
 * "No one" holds for admins too.
 */
function allows(required: number, user: UserRecord, level: number): boolean {
  if (required === 0) return false
  return user.admin || level >= required
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

import { jobTokenReaches } from '../domain/job-token.js'
import { can } from '../domain/permissions.js'
import type { ProjectRecord, UserRecord } from '../store/records.js'
import { authenticatedJob } from './auth.js'
import type { RouteRequest } from './context.js'
import { errors } from './errors.js'

/**
 * `find_project!` (lib/api/helpers.rb): digits are an id, anything with a slash a full path
 * (case-insensitive), anything else nothing. Missing and unreadable projects are both a 404.
 *
 * Where the version scopes job tokens (`Ci::JobToken::Scope`), a job token reaches a private
 * project only from its allowlist (ProjectPolicy: `rule { ~project_allowed_for_job_token }.prevent_all`;
 * a public or internal one keeps its public reads), and a job token that may not read the project
 * gets `handle_job_token_failure!`'s 403, naming both projects by `path`, not the 404 (unless the
 * job has no user: then the caller is anonymous, and gets the 404).
 */
export function findProject(req: RouteRequest, user: UserRecord | null): ProjectRecord {
  const { store, profile } = req.api
  const id = req.route.id as string
  const project = /^\d+$/.test(id)
    ? store.projects.get(Number(id))
    : id.includes('/')
      ? store.projectByPath(id)
      : undefined
  if (!project) throw errors.projectNotFound()
  const job = profile.jobTokens.scope === 'allowlist' ? authenticatedJob(req) : undefined
  const outOfScope = job !== undefined && project.visibility === 'private' && !jobTokenReaches(job, project)
  if (outOfScope || !can(user, 'read_project', project)) {
    // `current_user&.from_ci_job_token?`: the token of a job without a user leaves no user, and
    // the anonymous caller gets the 404.
    const source = job && user && store.projects.get(job.project_id)
    if (source)
      throw errors.forbidden(
        profile,
        `Authentication by CI/CD job token not allowed from ${pathOf(source)} to ${pathOf(project)}.`,
      )
    throw errors.projectNotFound()
  }
  return project
}

/** `project.path`: the last segment of its full path. */
function pathOf(project: ProjectRecord): string {
  return project.path_with_namespace.slice(project.path_with_namespace.lastIndexOf('/') + 1)
}

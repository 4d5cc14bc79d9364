import type { GitLabProfile, RouteTable } from '../profiles/profile.js'
import { artifactTreeRoutes } from './artifact-tree.js'
import { currentJobRoutes } from './current-job.js'
import { jobArtifactRoutes } from './job-artifacts.js'
import { jobRoutes } from './jobs.js'
import { projectArtifactRoutes } from './project-artifacts.js'
import type { Route } from './router.js'
import { triggerJobRoutes } from './trigger-jobs.js'

/** The route tables only some versions have, by the name a profile's `routeTables` gives them. */
const TABLES: Readonly<Record<RouteTable, readonly Route[]>> = {
  currentJob: currentJobRoutes,
  artifactsTree: artifactTreeRoutes,
  projectArtifacts: projectArtifactRoutes,
  triggerJobs: triggerJobRoutes,
}

/**
 * Every route the version answers, in the order they are matched: its own tables first (the tree
 * before `artifacts/*artifact_path`, as GitLab declares it), then the job artifacts and Jobs
 * routes every version has. A route a version lacks meets the catch-all 404.
 */
export function routesFor(profile: GitLabProfile): Route[] {
  return [...profile.routeTables.flatMap((name) => TABLES[name]), ...jobArtifactRoutes, ...jobRoutes]
}

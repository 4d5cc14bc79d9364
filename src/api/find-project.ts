import { can } from '../domain/permissions.js'
import type { ProjectRecord, UserRecord } from '../store/records.js'
import type { Store } from '../store/store.js'
import { errors } from './errors.js'

/**
 * `find_project!` (lib/api/helpers.rb): digits are an id, anything with a slash a full path
 * (case-insensitive), anything else nothing. Missing and unreadable projects are both a 404.
 */
export function findProject(store: Store, id: string, user: UserRecord | null): ProjectRecord {
  const project = /^\d+$/.test(id)
    ? store.projects.get(Number(id))
    : id.includes('/')
      ? store.projectByPath(id)
      : undefined
  if (!project || !can(user, 'read_project', project)) throw errors.projectNotFound()
  return project
}

import { archiveOf, hasArtifacts } from '../domain/artifacts.js'
import { presentAll } from '../entities/index.js'
import { presentArtifactEntry } from '../entities/job-artifact-entry.js'
import { errors } from './errors.js'
import { beginGet } from './job-artifacts.js'
import { checkJob, presentContext } from './job-checks.js'
import { pageableList, paginate } from './pagination.js'
import { jsonResponse } from './responses.js'
import type { Route } from './router.js'
import { withArchive } from './zip.js'

/**
 * `GET /projects/:id/jobs/:job_id/artifacts/tree` (lib/api/ci/job_artifacts.rb, today): the
 * entries of a job's archive, as its metadata lists them. Declared before
 * `artifacts/*artifact_path`, so that `tree` is this route, never a file of that name.
 *
 * The entries are the archive's own (its central directory: names, sizes, modes); GitLab reads
 * them from the metadata artifact the runner uploads beside it, which must exist.
 */
export const artifactTreeRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/projects/:id/jobs/:job_id/artifacts/tree',
    handle(req) {
      const { user, params } = beginGet(req, 'artifactsTree')
      const { defaultPerPage, zeroPerPage } = req.api.profile.pagination
      let path = ''
      let recursive = false
      let page = 1
      let perPage = defaultPerPage
      const { job } = checkJob(req, user, params, { project: 'read_build' }, () => {
        // `default: ''`: Grape writes it into params, so the Link carries `path=`.
        path = params.optionalString('path') ?? ''
        if (params.values.path === undefined) params.values.path = ''
        recursive = params.optionalBoolean('recursive', false)
        params.optionalString('job_token')
        page = params.optionalInteger('page', 1)
        perPage = params.optionalInteger('per_page', defaultPerPage, zeroPerPage === 'reject' ? [0] : [])
      })
      const now = req.api.now()
      // `not_found!('Artifacts') unless build.available_artifacts?`
      const archive = archiveOf(job)
      const bytes = archive?.blob ? req.api.store.blob(archive.blob) : undefined
      if (!hasArtifacts(job, now) || !bytes) throw errors.notFound('Artifacts')
      // `not_found!('Artifacts metadata') unless build.job_artifacts_metadata&.exists?`
      if (!job.artifacts.some((a) => a.file_type === 'metadata')) throw errors.notFound('Artifacts metadata')
      // `path.present? ? "#{path.delete_suffix('/')}/" : ''` (a blank path is the root)
      const directory = path.trim() === '' ? '' : `${path.endsWith('/') ? path.slice(0, -1) : path}/`
      // The zip reader loads when first needed, so that a browser app starts without it.
      return withArchive(({ listEntries }) => {
        const all = listEntries(bytes)
        if (directory !== '' && !all.some((e) => e.path === directory)) throw errors.notFound('Path')
        const below = all.filter((e) => e.path.startsWith(directory) && e.path !== directory)
        // Recursive: every entry below, in the archive's order; else the folder's own children,
        // folders first (`entry.directories(parent: false) + entry.files`).
        const children = below.filter((e) => /^[^/]+\/?$/.test(e.path.slice(directory.length)))
        const entries = recursive
          ? below
          : [
              ...children.filter((e) => e.path.endsWith('/')),
              ...children.filter((e) => !e.path.endsWith('/')),
            ]
        const listed = paginate(req, pageableList(entries), {
          order: 'asc',
          statuses: undefined,
          page,
          perPage,
          params: params.values,
        })
        const ctx = presentContext(req)
        return jsonResponse(
          presentAll(listed.jobs, (e) => presentArtifactEntry(e, ctx)),
          { headers: listed.headers },
        )
      })
    },
  },
]

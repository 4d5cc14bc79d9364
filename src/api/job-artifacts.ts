import { archiveOf, hasArtifacts } from '../domain/artifacts.js'
import type { JobTokenRoute } from '../profiles/profile.js'
import type { JobRecord, ProjectRecord, UserRecord } from '../store/records.js'
import { authenticate, type Caller, identify, takesJobToken } from './auth.js'
import { contentDisposition } from './content-disposition.js'
import type { RouteRequest } from './context.js'
import { errors } from './errors.js'
import { findProject } from './find-project.js'
import { authorize, checkJob, jobResponse, rejectIfStatsRefreshing } from './job-checks.js'
import { Params } from './params.js'
import { type Answer, answer } from './responses.js'
import type { Route } from './router.js'
import { serveContent } from './send-file.js'
import { entryNotFound, sendEntry } from './workhorse.js'
import { withArchive } from './zip.js'

/**
 * lib/api/job_artifacts.rb (GitLab 13.0). `before { authenticate_non_get! }`: GET is open to
 * anonymous callers, who then meet the project's visibility and "Public pipelines". The by-ref
 * routes come first, as GitLab declares them.
 *
 * Expiry: only the single file by id and keep ask `build.artifacts?`, false once
 * `artifacts_expire_at` has passed; the archive downloads (by id and by ref) and the single file by
 * ref serve an expired archive until the expiry worker destroys it (src/domain/artifact-expiry.ts).
 */
export const jobArtifactRoutes: readonly Route[] = [
  {
    // GET /projects/:id/jobs/artifacts/:ref_name/download?job=name
    method: 'GET',
    path: '/projects/:id/jobs/artifacts/*ref_name/download',
    handle(req) {
      return sendArchive(req, jobOfRef(req, 'artifactsByRef'))
    },
  },
  {
    // GET /projects/:id/jobs/artifacts/:ref_name/raw/*artifact_path?job=name
    method: 'GET',
    path: '/projects/:id/jobs/artifacts/*ref_name/raw/*artifact_path',
    lenient: ['artifact_path'],
    handle(req) {
      return sendArtifactsEntry(req, jobOfRef(req, 'artifactFileByRef'))
    },
  },
  {
    // GET /projects/:id/jobs/:job_id/artifacts
    method: 'GET',
    path: '/projects/:id/jobs/:job_id/artifacts',
    handle(req) {
      const { user, params } = beginGet(req, 'artifactsById')
      const { job } = checkJob(req, user, params, { project: 'read_build' })
      return sendArchive(req, job)
    },
  },
  {
    // GET /projects/:id/jobs/:job_id/artifacts/*artifact_path
    method: 'GET',
    path: '/projects/:id/jobs/:job_id/artifacts/*artifact_path',
    lenient: ['artifact_path'],
    handle(req) {
      const { user, params } = beginGet(req, 'artifactFileById')
      const { job } = checkJob(req, user, params, { project: 'read_build' })
      // `not_found! unless build.artifacts?`: an expired archive is refused here, deleted or not.
      if (!hasArtifacts(job, req.api.now())) throw errors.notFound()
      return sendArtifactsEntry(req, job)
    },
  },
  {
    // POST /projects/:id/jobs/:job_id/artifacts/keep
    method: 'POST',
    path: '/projects/:id/jobs/:job_id/artifacts/keep',
    handle(req) {
      const { user, params } = begin(req, false)
      authenticate({ user, job: null })
      const { job } = checkJob(req, user, params, req.api.profile.jobChecks.keepArtifacts)
      // `not_found!(build)`: the message holds the Ruby object's to_s.
      if (!hasArtifacts(job, req.api.now())) throw errors.notFound(rubyInspect(job))
      return jobResponse(req, req.api.actions.keepArtifacts(job), 200)
    },
  },
  {
    // DELETE /projects/:id/jobs/:job_id/artifacts
    method: 'DELETE',
    path: '/projects/:id/jobs/:job_id/artifacts',
    handle(req) {
      const { user, params } = begin(req, false)
      authenticate({ user, job: null })
      const { project, job } = checkJob(req, user, params, req.api.profile.jobChecks.deleteArtifacts)
      rejectIfStatsRefreshing(req, project)
      req.api.actions.deleteArtifacts(job)
      return answer(204, {})
    },
  },
]

/** Who is asking (job tokens only where `job_token_allowed`), and the declared `:id`. */
function begin(req: RouteRequest, jobTokenAllowed: boolean): { user: UserRecord | null; params: Params } {
  const caller = identify(req, jobTokenAllowed)
  return { user: caller.user, params: new Params(req.query, req.route) }
}

/**
 * The same for GET, which has no `authenticate!` in `before`: the route first asks for
 * `current_user` once its params are valid, and the credentials are checked then.
 */
export function beginGet(
  req: RouteRequest,
  route: JobTokenRoute,
): { user: () => UserRecord | null; params: Params } {
  let caller: Caller | undefined
  const user = () => {
    caller ??= identify(req, takesJobToken(req, route))
    return caller.user
  }
  return { user, params: new Params(req.query, req.route) }
}

/** The by-ref routes: `job` required (400), then the project, then the ref's latest job. */
function jobOfRef(req: RouteRequest, route: JobTokenRoute): JobRecord {
  const { user, params } = beginGet(req, route)
  const name = params.requiredString('job')
  const limit = req.api.profile.artifactDownloads.searchRecentLimit
  // `optional :search_recent_successful_pipelines, type: Boolean, default: false`, where the
  // version has it.
  const search = limit !== null && params.optionalBoolean('search_recent_successful_pipelines', false)
  params.check()
  const project = downloadableProject(req, user())
  const ref = req.route.ref_name as string
  if (search) {
    const job = latestWithArtifactsForRef(req, project, name, ref, limit)
    // `not_found!('Job') unless latest_build`
    if (!job) throw errors.notFound('Job')
    return job
  }
  return latestSuccessfulJobForRef(req, project, name, ref)
}

/**
 * `Ci::Build.latest_with_artifacts_for_ref` (`search_recent_successful_pipelines=true`): among the
 * ref's most recent successful pipelines (100, doc/api/job_artifacts.md), newest first, the first
 * whose latest job of that name still has its archive (not expired); none: nil.
 */
function latestWithArtifactsForRef(
  req: RouteRequest,
  project: ProjectRecord,
  name: string,
  ref: string,
  limit: number,
): JobRecord | undefined {
  const { store } = req.api
  const now = req.api.now()
  const successful = store
    .pipelinesOf(project.id)
    .filter((p) => p.ref === ref && p.status === 'success')
    .sort((a, b) => b.id - a.id)
    .slice(0, limit)
  for (const pipeline of successful) {
    const jobs = store.jobsOfPipeline(pipeline.id).list()
    for (let i = jobs.length - 1; i >= 0; i--) {
      const job = jobs[i] as JobRecord
      if (job.name === name && !job.retried && hasArtifacts(job, now)) return job
    }
  }
  return undefined
}

/** `authorize_download_artifacts!`: the project (404), then read_build (403). */
function downloadableProject(req: RouteRequest, user: UserRecord | null): ProjectRecord {
  const project = findProject(req, user)
  authorize(req, user, 'read_build', project)
  return project
}

/**
 * `latest_successful_build_for_ref!`: the newest pipeline of that ref that succeeded, among the
 * ref's newest pipelines only (`newest_first(ref: ref).success.take`, 100 in 13.0:
 * app/models/ci/pipeline.rb), and in it the latest job of that name with an archive row
 * (`builds.latest.with_artifacts_archive`, expired or not: app/models/project.rb); no fallback to
 * older pipelines.
 */
function latestSuccessfulJobForRef(
  req: RouteRequest,
  project: ProjectRecord,
  name: string,
  ref: string,
): JobRecord {
  const { store, profile } = req.api
  const newest = store
    .pipelinesOf(project.id)
    .filter((p) => p.ref === ref)
    .sort((a, b) => b.id - a.id)
  const limit = profile.newestPipelinesLimit ?? newest.length
  const pipeline = newest.slice(0, limit).find((p) => p.status === 'success')
  if (pipeline) {
    const jobs = store.jobsOfPipeline(pipeline.id).list()
    for (let i = jobs.length - 1; i >= 0; i--) {
      const job = jobs[i] as JobRecord
      if (job.name === name && !job.retried && archiveOf(job)) return job
    }
  }
  // ActiveRecord::RecordNotFound "Couldn't find job <name>"
  throw errors.recordNotFound()
}

/**
 * `present_carrierwave_file!(build.artifacts_file)`: the archive as a download, while its row and
 * file exist (`not_found! unless file&.exists?`); its expiry is not asked (lib/api/helpers.rb).
 * Workhorse sends the file (src/api/send-file.ts): ranges, so that a client resumes a download.
 */
function sendArchive(req: RouteRequest, job: JobRecord): Answer | Promise<Answer> {
  const archive = archiveOf(job)
  const bytes = archive?.blob ? req.api.store.blob(archive.blob) : undefined
  if (!archive || !bytes) throw errors.notFound()
  return withEtag(req, bytes, undefined, (etag) =>
    serveContent(req.request, {
      bytes,
      // The file was written when the runner uploaded it, as the job finished.
      modtime: job.finished_at ?? job.started_at ?? job.created_at,
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Transfer-Encoding': 'binary',
        'Content-Disposition': contentDisposition('attachment', archive.filename),
      },
      ...(etag !== undefined && { etag }),
    }),
  )
}

/**
 * `artifact_etag(build, path:)` (lib/api/ci/job_artifacts.rb), where the version sends one and its
 * feature flag is on: the archive's SHA-256, or for a file of it the SHA-256 of
 * `"<archive sha256>:<path>"`, hex and quoted. Without it the answer is made at once.
 */
function withEtag(
  req: RouteRequest,
  archive: Uint8Array,
  path: string | undefined,
  send: (etag: string | undefined) => Answer | Promise<Answer>,
): Answer | Promise<Answer> {
  const flag = req.api.profile.artifactDownloads.etagFlag
  if (flag === null || req.api.featureFlags[flag] !== true) return send(undefined)
  return sha256Of(archive)
    .then((digest) =>
      path === undefined ? digest : sha256Hex(new TextEncoder().encode(`${digest}:${path}`)),
    )
    .then((digest) => send(`"${digest}"`))
}

/** `file_sha256`, worked out once an archive (its bytes never change). */
const archiveDigests = new WeakMap<Uint8Array, Promise<string>>()

function sha256Of(bytes: Uint8Array): Promise<string> {
  let digest = archiveDigests.get(bytes)
  if (!digest) {
    digest = sha256Hex(bytes)
    archiveDigests.set(bytes, digest)
  }
  return digest
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // Browsers give `crypto.subtle` to secure contexts only: the page over plain http on a LAN
  // address has none, and then the plain JavaScript one (loaded on demand) works it out.
  const subtle = globalThis.crypto?.subtle
  const digest = subtle
    ? new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
    : (await import('./sha256.js')).sha256(bytes)
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * `Gitlab::Ci::Build::Artifacts::Path#valid?` (no NUL, valid UTF-8), else `bad_request!`, then
 * Workhorse's `artifacts-entry`.
 */
function sendArtifactsEntry(req: RouteRequest, job: JobRecord): Answer | Promise<Answer> {
  const path = req.route.artifact_path
  if (path === undefined || path.includes('\0')) throw errors.badRequest(req.api.profile)
  const archive = archiveOf(job)
  const bytes = archive?.blob ? req.api.store.blob(archive.blob) : undefined
  if (!bytes) return entryNotFound()
  return withEtag(req, bytes, path, (etag) => {
    // Rack::ConditionalGet, before Workhorse sends anything: the same tag is a 304.
    if (etag !== undefined && req.request.headers.get('if-none-match') === etag)
      return answer(304, { Etag: etag })
    return withArchive(({ readEntry }) => {
      const entry = readEntry(bytes, path)
      return entry.kind === 'file' ? sendEntry(path, entry.bytes, etag) : entryNotFound()
    })
  })
}

/** Ruby's default `to_s` of the build, as `not_found!(build)` interpolates it. */
function rubyInspect(job: JobRecord): string {
  return `#<Ci::Build:0x${(0x7f0000000000 + job.id * 0x28).toString(16).padStart(16, '0')}>`
}

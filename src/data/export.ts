import { gunzipSync, unzipSync } from 'fflate'
import type { GitLabProfile } from '../profiles/profile.js'
import type {
  ArtifactRecord,
  JobRecord,
  JobRun,
  PersonalAccessTokenRecord,
  PipelineRecord,
  ProjectRecord,
  RunnerManagerRecord,
  RunnerRecord,
} from '../store/records.js'
import type { Store } from '../store/store.js'
import { type FixtureDocument, VERSIONED_FIELDS, VERSIONED_JOB_FIELDS } from './fixture-schema.js'

type Json = Record<string, unknown>
type ExportedFile = string | { base64: string }

const utf8 = new TextDecoder('utf-8', { fatal: true })
const LEVEL_NAMES = { 0: 'no_one', 30: 'developer', 40: 'maintainer' } as const

/**
 * The whole dataset as a fixture document: loaded into an empty fake, it answers every request
 * as this one does. Everything is written out, so that nothing is left for faker to fill.
 */
export function exportState(store: Store, profile: GitLabProfile): FixtureDocument {
  return {
    users: [...store.users.values()].map((u) => ({
      id: u.id,
      username: u.username,
      name: u.name,
      state: u.state,
      admin: u.admin,
      external: u.external,
      tokens: u.tokens.map(exportToken),
      avatar_url: u.avatar_url,
      created_at: iso(u.created_at),
      bio: u.bio,
      location: u.location,
      public_email: u.public_email,
      skype: u.skype,
      linkedin: u.linkedin,
      twitter: u.twitter,
      website_url: u.website_url,
      organization: u.organization,
    })),
    runners: [...store.runners.values()].map((r) => exportRunner(r, profile)),
    projects: [...store.projects.values()].map((p) => exportProject(store, p, profile)),
  } as FixtureDocument
}

function exportRunner(runner: RunnerRecord, profile: GitLabProfile): Json {
  return withVersioned(
    {
      id: runner.id,
      description: runner.description,
      ip_address: runner.ip_address,
      active: runner.active,
      is_shared: runner.is_shared,
      name: runner.name,
      online: runner.online,
      status: runner.status,
    },
    'runner',
    {
      created_by: runner.created_by_id ?? undefined,
      created_at: iso(runner.created_at),
      managers: runner.managers.map(exportManager),
    },
    profile,
  )
}

function exportManager(m: RunnerManagerRecord): Json {
  return {
    id: m.id,
    system_id: m.system_id,
    version: m.version,
    revision: m.revision,
    platform: m.platform,
    architecture: m.architecture,
    created_at: iso(m.created_at),
    contacted_at: m.contacted_at === null ? null : iso(m.contacted_at),
    ip_address: m.ip_address,
    status: m.status,
    ...(m.runtime_features && { runtime_features: { ...m.runtime_features } }),
  }
}

/** The row with the fields only some versions have, where this one has them (others refuse them). */
function withVersioned(
  row: Json,
  kind: keyof typeof VERSIONED_FIELDS,
  values: Json,
  profile: GitLabProfile,
): Json {
  for (const [field, has] of VERSIONED_FIELDS[kind]) {
    if (values[field] !== undefined && has(profile)) row[field] = values[field]
  }
  return row
}

/** A plain `api` token that never expires as its string, as a fixture may give it; any other whole. */
function exportToken(t: PersonalAccessTokenRecord): string | Json {
  if (t.scopes.length === 1 && t.scopes[0] === 'api' && t.expires_at === null && !t.revoked) return t.token
  return { token: t.token, scopes: [...t.scopes], expires_at: t.expires_at, revoked: t.revoked }
}

function exportProject(store: Store, project: ProjectRecord, profile: GitLabProfile): Json {
  const row: Json = {
    id: project.id,
    path: project.path_with_namespace,
    visibility: project.visibility,
    public_builds: project.public_builds,
    builds_access_level: project.builds_access_level,
    archived: project.archived,
    members: Object.entries(project.members).map(([user, level]) => ({
      user: Number(user),
      access_level: level,
    })),
    protected_branches: project.protected_branches.map((b) => ({
      name: b.name,
      push_access_level: LEVEL_NAMES[b.push_access_level],
      merge_access_level: LEVEL_NAMES[b.merge_access_level],
    })),
    protected_tags: project.protected_tags.map((t) => ({
      name: t.name,
      create_access_level: LEVEL_NAMES[t.create_access_level],
    })),
  }
  withVersioned(
    row,
    'project',
    {
      ci_job_token_scope_enabled: project.ci_job_token_scope_enabled,
      ci_inbound_job_token_scope_enabled: project.ci_inbound_job_token_scope_enabled,
      job_token_allowlist: [...project.job_token_allowlist],
      refreshing_build_artifacts_size: project.refreshing_build_artifacts_size || undefined,
    },
    profile,
  )
  row.pipelines = exportPipelines(store, project, profile)
  return row
}

/** Each commit described once, by the first pipeline of its sha; a commit not in the repository as null. */
function exportPipelines(store: Store, project: ProjectRecord, profile: GitLabProfile): Json[] {
  const described = new Set<string>()
  return [...store.pipelinesOf(project.id)]
    .sort((a, b) => a.id - b.id)
    .map((p) => {
      const first = !described.has(p.sha)
      described.add(p.sha)
      return exportPipeline(store, p, first, profile)
    })
}

function exportPipeline(
  store: Store,
  pipeline: PipelineRecord,
  describeCommit: boolean,
  profile: GitLabProfile,
): Json {
  const commit = store.commit(pipeline.project_id, pipeline.sha)
  const { project_id: _p, ...commitFields } = commit ?? { project_id: 0 }
  return {
    id: pipeline.id,
    ...(VERSIONED_FIELDS.pipeline.get('source')?.(profile) && { source: pipeline.source }),
    ref: pipeline.ref,
    tag: pipeline.tag,
    sha: pipeline.sha,
    status: pipeline.status,
    user: pipeline.user_id,
    created_at: iso(pipeline.created_at),
    updated_at: iso(pipeline.updated_at),
    ...(!commit ? { commit: null } : describeCommit ? { commit: commitFields } : {}),
    jobs: store
      .jobsOfPipeline(pipeline.id)
      .list()
      .map((j) => exportJob(store, j, profile)),
    ...exportTriggerJobs(store, pipeline, profile),
  }
}

/** A pipeline's trigger jobs, where the version has them and the pipeline has some. */
function exportTriggerJobs(store: Store, pipeline: PipelineRecord, profile: GitLabProfile): Json {
  if (!VERSIONED_FIELDS.pipeline.get('trigger_jobs')?.(profile)) return {}
  const bridges = store.bridgesOfPipeline(pipeline.id)
  if (bridges.length === 0) return {}
  return {
    trigger_jobs: bridges.map((b) => ({
      id: b.id,
      name: b.name,
      stage: b.stage,
      status: b.status,
      when: b.when,
      allow_failure: b.allow_failure,
      created_at: iso(b.created_at),
      started_at: b.started_at === null ? null : iso(b.started_at),
      finished_at: b.finished_at === null ? null : iso(b.finished_at),
      queued_at: b.queued_at === null ? null : iso(b.queued_at),
      user: b.user_id,
      ...(b.status === 'failed' && b.failure_reason !== null && { failure_reason: b.failure_reason }),
      archived: b.archived,
      retried: b.retried,
      downstream_pipeline: b.downstream_pipeline_id,
    })),
  }
}

function exportJob(store: Store, job: JobRecord, profile: GitLabProfile): Json {
  const row: Json = {
    id: job.id,
    name: job.name,
    stage: job.stage,
    status: job.status,
    when: job.when,
    ref: job.ref,
    tag: job.tag,
    allow_failure: job.allow_failure,
    coverage: job.coverage,
    created_at: iso(job.created_at),
    started_at: job.started_at === null ? null : iso(job.started_at),
    finished_at: job.finished_at === null ? null : iso(job.finished_at),
    user: job.user_id,
    runner: job.runner_id,
    trace: job.trace,
    artifacts: job.artifacts.map((a) => exportArtifact(store, a)),
    artifacts_expire_at: job.artifacts_expire_at === null ? null : iso(job.artifacts_expire_at),
    retried: job.retried,
    token: job.token,
    ...(job.start_in !== null && { start_in: job.start_in }),
    ...(job.scheduled_at !== null && { scheduled_at: iso(job.scheduled_at) }),
    ...(job.run && { run: exportRun(store, job.run) }),
  }
  // The fields only some versions have, where this one has them (a fixture of another is refused).
  const versioned: Json = {
    failure_reason: job.status === 'failed' ? (job.failure_reason ?? undefined) : undefined,
    tag_list: [...job.tag_list],
    queued_at: job.queued_at === null ? null : iso(job.queued_at),
    archived: job.archived,
    erased_at: job.erased_at === null ? undefined : iso(job.erased_at),
  }
  for (const [field, key] of VERSIONED_JOB_FIELDS) {
    if (versioned[field] !== undefined && profile.entities.job.includes(key)) row[field] = versioned[field]
  }
  return withVersioned(
    row,
    'job',
    {
      runner_manager: job.runner_manager_id ?? undefined,
      debug_trace_enabled: job.debug_trace_enabled || undefined,
    },
    profile,
  )
}

function exportArtifact(store: Store, a: ArtifactRecord): Json {
  const row: Json = {
    file_type: a.file_type,
    filename: a.filename,
    file_format: a.file_format,
    size: a.size,
  }
  const bytes = a.blob === null ? undefined : store.blob(a.blob)
  if (bytes && a.file_type === 'archive') row.files = archiveFiles(bytes)
  else if (bytes) row.content = reportContent(bytes, a.file_format)
  if (a.expire_at !== undefined) row.expire_at = iso(a.expire_at)
  return row
}

/** A run plan as a fixture gives one; times in milliseconds. */
function exportRun(store: Store, run: JobRun): Json {
  return {
    queued: run.queued,
    duration: run.duration,
    status: run.status,
    log: run.log.map((line) => ({ at: line.at, text: line.text })),
    artifacts: run.artifacts.map((a) => exportArtifact(store, a)),
    expire_in: run.expire_in ?? 'never',
    ...(run.progress !== null && { progress: run.progress }),
    ...(run.reads !== null && { reads: run.reads }),
    ...(run.runner !== null && { runner: run.runner }),
  }
}

/** A report's content before compression, so that it is rebuilt to the same size. */
function reportContent(bytes: Uint8Array, format: string): ExportedFile {
  const content =
    format === 'gzip'
      ? gunzipSync(bytes)
      : format === 'zip'
        ? (Object.values(unzipSync(bytes))[0] ?? bytes)
        : bytes
  return text(content) ?? { base64: base64(content) }
}

/** An archive's files (folders are implied by the paths). */
function archiveFiles(zip: Uint8Array): Record<string, ExportedFile> {
  const files: Record<string, ExportedFile> = {}
  for (const [path, bytes] of Object.entries(unzipSync(zip))) {
    if (path.endsWith('/')) continue
    files[path] = text(bytes) ?? { base64: base64(bytes) }
  }
  return files
}

function text(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}

function base64(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

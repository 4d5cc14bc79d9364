import type { PipelineRecord } from '../store/records.js'
import { type Fields, isoTime, type Json, once, type PresentContext, present } from './present.js'

// lib/api/entities/pipeline_basic.rb
const fields: Fields<PipelineRecord> = {
  id: (p) => p.id,
  iid: (p) => p.iid,
  project_id: (p) => p.project_id,
  sha: (p) => p.sha,
  ref: (p) => p.ref,
  status: (p) => p.status,
  source: (p) => p.source,
  created_at: (p) => isoTime(p.created_at),
  updated_at: (p) => isoTime(p.updated_at),
  web_url: (p, ctx) =>
    `${ctx.gitlabUrl}/${ctx.store.projects.get(p.project_id)?.path_with_namespace}${ctx.profile.webScope}/pipelines/${p.id}`,
}

export function presentPipelineBasic(pipeline: PipelineRecord, ctx: PresentContext): Json {
  return once(pipeline, ctx, () => present(pipeline, ctx.profile.entities.pipelineBasic, fields, ctx))
}

import type { CommitRecord } from '../store/records.js'
import { type Fields, type Json, once, type PresentContext, present } from './present.js'

// lib/api/entities/commit.rb; Git dates keep their own offset.
const fields: Fields<CommitRecord> = {
  id: (c) => c.id,
  short_id: (c) => c.short_id,
  created_at: (c) => c.created_at,
  parent_ids: (c) => c.parent_ids,
  title: (c) => c.title,
  message: (c) => c.message,
  author_name: (c) => c.author_name,
  author_email: (c) => c.author_email,
  authored_date: (c) => c.authored_date,
  committer_name: (c) => c.committer_name,
  committer_email: (c) => c.committer_email,
  committed_date: (c) => c.committed_date,
  // `Commit#trailers` and `#extended_trailers`: the fake's commits carry none.
  trailers: () => ({}),
  extended_trailers: () => ({}),
  web_url: (c, ctx) =>
    `${ctx.gitlabUrl}/${ctx.store.projects.get(c.project_id)?.path_with_namespace}${ctx.profile.webScope}/commit/${c.id}`,
}

export function presentCommit(commit: CommitRecord, ctx: PresentContext): Json {
  return once(commit, ctx, () => present(commit, ctx.profile.entities.commit, fields, ctx))
}

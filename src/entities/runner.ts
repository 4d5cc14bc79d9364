import type { RunnerRecord } from '../store/records.js'
import { type Fields, isoTime, type Json, OMIT, once, type PresentContext, present } from './present.js'

// lib/api/entities/runner.rb
const fields: Fields<RunnerRecord> = {
  id: (r) => r.id,
  description: (r) => r.description,
  ip_address: (r, ctx) => (ctx.profile.runnerIpAddress === 'runner' ? r.ip_address : null),
  active: (r) => r.active,
  paused: (r) => !r.active,
  is_shared: (r) => r.is_shared,
  // A shared runner is the instance's; the others are taken as their project's.
  runner_type: (r) => (r.is_shared ? 'instance_type' : 'project_type'),
  name: (r) => r.name,
  online: (r) => r.online,
  // `expose :created_by, if: …`: a runner registered by a user; the fake records no creator.
  created_by: () => OMIT,
  created_at: (r) => isoTime(r.created_at),
  status: (r) => r.status,
  job_execution_status: (r, ctx) => (ctx.store.runnerExecuting(r.id) ? 'active' : 'idle'),
}

export function presentRunner(runner: RunnerRecord, ctx: PresentContext): Json {
  return once(runner, ctx, () => present(runner, ctx.profile.entities.runner, fields, ctx))
}

import type { RunnerManagerRecord, RunnerRecord } from '../store/records.js'
import { type Fields, isoTime, type Json, OMIT, once, type PresentContext, present } from './present.js'
import { presentUserBasic } from './user.js'

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
  // `expose :created_by, with: UserBasic, if: ->(runner, opts) { Ability.allowed?(opts[:current_user],
  // :read_user, runner.creator) }`: anyone may read a user, so it is there whenever a user
  // registered the runner.
  created_by: (r, ctx) => {
    const user = r.created_by_id === null ? undefined : ctx.store.users.get(r.created_by_id)
    return user ? presentUserBasic(user, ctx) : OMIT
  },
  created_at: (r) => isoTime(r.created_at),
  status: (r) => r.status,
  job_execution_status: (r, ctx) => (ctx.store.runnerExecuting(r.id) ? 'active' : 'idle'),
}

export function presentRunner(runner: RunnerRecord, ctx: PresentContext): Json {
  return once(runner, ctx, () => present(runner, ctx.profile.entities.runner, fields, ctx))
}

// lib/api/entities/ci/runner_manager.rb
const managerFields: Fields<RunnerManagerRecord> = {
  id: (m) => m.id,
  system_id: (m) => m.system_id,
  version: (m) => m.version,
  revision: (m) => m.revision,
  platform: (m) => m.platform,
  architecture: (m) => m.architecture,
  created_at: (m) => isoTime(m.created_at),
  contacted_at: (m) => isoTime(m.contacted_at),
  ip_address: (m) => m.ip_address,
  status: (m) => m.status,
  job_execution_status: (m, ctx) => (ctx.store.runnerManagerExecuting(m.id) ? 'active' : 'idle'),
}

export function presentRunnerManager(manager: RunnerManagerRecord, ctx: PresentContext): Json {
  return once(manager, ctx, () => present(manager, ctx.profile.entities.runnerManager, managerFields, ctx))
}

import type { RunnerRecord } from '../store/records.js'
import { type Fields, type Json, once, type PresentContext, present } from './present.js'

// lib/api/entities/runner.rb
const fields: Fields<RunnerRecord> = {
  id: (r) => r.id,
  description: (r) => r.description,
  ip_address: (r) => r.ip_address,
  active: (r) => r.active,
  is_shared: (r) => r.is_shared,
  name: (r) => r.name,
  online: (r) => r.online,
  status: (r) => r.status,
}

export function presentRunner(runner: RunnerRecord, ctx: PresentContext): Json {
  return once(runner, ctx, () => present(runner, ctx.profile.entities.runner, fields, ctx))
}

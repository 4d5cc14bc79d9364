import { type Answer, jsonResponse } from '../api/responses.js'
import { FixtureError } from '../data/fixture-schema.js'
import type { GitLabFake } from '../fake.js'
import type { JobRecord } from '../store/records.js'
import { objectBody, refused, refusedFor } from './bodies.js'

/**
 * `POST /__fake/runner/jobs/:id/start` (`{"runner": 1}`), `…/log` (`{"text": "line\n"}`),
 * `…/finish` (`{"status": "success", "artifacts": […], "expire_in": "1 week"}`): the runner
 * driven by hand, for a test in any language. Answers the job as it then stands; a call that
 * cannot be carried out is a 400 naming the field, and changes nothing.
 */
export function driveRunner(fake: GitLabFake, id: string, step: string, text: string): Answer {
  const parsed = objectBody(text, true)
  if ('refusal' in parsed) return parsed.refusal
  const { body } = parsed
  const known = KNOWN[step] ?? []
  const unknown = Object.keys(body).find((key) => !known.includes(key))
  if (unknown !== undefined)
    return refused(unknown, `is not a field of ${step}; give ${known.join(', ') || 'nothing'}`)
  const job = /^\d+$/.test(id) ? Number(id) : Number.NaN
  try {
    const record =
      step === 'start'
        ? fake.runner.start(job, body.runner === undefined ? {} : { runner: body.runner as number })
        : step === 'log'
          ? fake.runner.log(job, body.text as string)
          : fake.runner.finish(job, body as Parameters<GitLabFake['runner']['finish']>[1])
    return jsonResponse(summary(record))
  } catch (error) {
    if (error instanceof FixtureError)
      return jsonResponse({ error: error.message, issues: error.issues }, { status: 400 })
    return refusedFor(error)
  }
}

const KNOWN: Record<string, string[]> = {
  start: ['runner'],
  log: ['text'],
  finish: ['status', 'artifacts', 'expire_in'],
}

/** The job as it now stands, in the control API's words (the GitLab API shows the rest). */
function summary(job: JobRecord): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  return {
    id: job.id,
    status: job.status,
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
    runner: job.runner_id,
    trace_size: new TextEncoder().encode(job.trace ?? '').length,
    artifacts: job.artifacts.map((a) => a.file_type),
  }
}

import { z } from 'zod'
import { gitlab13_0 } from '../profiles/gitlab-13.0.js'
import type { GitLabProfile } from '../profiles/profile.js'
import type {
  ArtifactRecord,
  JobRecord,
  PipelineRecord,
  ProjectRecord,
  RunnerRecord,
  UserRecord,
} from '../store/records.js'
import type { Store } from '../store/store.js'
import { Batch, pushLevel } from './batch.js'
import type { SeededFaker } from './faker.js'
import {
  artifactSchema,
  type FixtureDocument,
  FixtureError,
  fixtureSchema,
  type JobInput,
  jobSchema,
  type PipelineInput,
  type ProjectInput,
  parseWith,
  pipelineSchema,
  projectSchema,
  type RunnerInput,
  refuseFixture,
  runnerSchema,
  type UserInput,
  userSchema,
} from './fixture-schema.js'
import { checkSizes, DEFAULT_LIMITS, type SeedingLimits } from './limits.js'
import type { Created, SeederOptions } from './seeder.js'

export { exportState } from './export.js'

/**
 * What the seeder does, loaded on demand with zod, the fixture checks and the archive builder
 * (src/data/seeder.ts): turns fixture documents and seeding calls into records. A load is planned
 * whole before it touches the store: a reference that does not resolve or an id already taken
 * refuses the whole load, and the store stays as it was.
 */
export class SeedingCore {
  private readonly limits: SeedingLimits
  private readonly now: () => number
  private readonly profile: GitLabProfile
  private readonly onCommit: (jobs: readonly JobRecord[]) => void

  constructor(
    private readonly store: Store,
    private readonly seeded: SeededFaker,
    /** Values faker is slow to make, made once per seeder (the seeder keeps them with its position). */
    private readonly pools: Map<string, string[]>,
    options: SeederOptions,
    /** Runs `make`; if it throws, the generator and its pools are put back first. */
    private readonly refusable: <T>(make: () => T) => T,
  ) {
    const { now = Date.now, onCommit = () => {}, profile = gitlab13_0, ...limits } = options
    this.profile = profile
    this.limits = { ...DEFAULT_LIMITS, ...limits }
    this.now = now
    this.onCommit = onCommit
  }

  load(document: unknown): Created {
    return this.loadValid(parseWith(fixtureSchema, document))
  }

  /**
   * A document known to fit the format: the default dataset, checked by its type and by a test.
   * (Zod compiles its parsers on the first parse; skipping it keeps `createGitLabFake()` quick.)
   */
  loadValid(fixture: FixtureDocument): Created {
    const jobs: [JobInput, string][] = []
    fixture.projects?.forEach((p, i) => {
      p.pipelines?.forEach((pipeline, j) => {
        pipeline.jobs?.forEach((job, k) => {
          jobs.push([job, `projects[${i}].pipelines[${j}].jobs[${k}].`])
        })
      })
    })
    fixture.pipelines?.forEach((pipeline, i) => {
      pipeline.jobs?.forEach((job, k) => {
        jobs.push([job, `pipelines[${i}].jobs[${k}].`])
      })
    })
    checkSizes(jobs, this.limits)
    return this.plan((batch) => {
      fixture.users?.forEach((u, i) => {
        batch.user(u, `users[${i}]`)
      })
      fixture.runners?.forEach((r, i) => {
        batch.runner(r, `runners[${i}]`)
      })
      fixture.projects?.forEach((p, i) => {
        batch.project(p, `projects[${i}]`)
      })
      fixture.protected_branches?.forEach(({ project, ...rule }, i) => {
        batch.protect(batch.resolveProject(project, `protected_branches[${i}].project`), {
          branch: {
            name: rule.name,
            push_access_level: pushLevel(rule.push_access_level),
            merge_access_level: pushLevel(rule.merge_access_level),
          },
        })
      })
      fixture.protected_tags?.forEach(({ project, ...rule }, i) => {
        batch.protect(batch.resolveProject(project, `protected_tags[${i}].project`), {
          tag: { name: rule.name, create_access_level: pushLevel(rule.create_access_level) },
        })
      })
      fixture.pipelines?.forEach(({ project, ...p }, i) => {
        batch.pipeline(batch.resolveProject(project, `pipelines[${i}].project`), p, `pipelines[${i}]`)
      })
    })
  }

  user(input: UserInput = {}): UserRecord {
    const parsed = parseWith(userSchema, input)
    const { users } = this.plan((batch) => batch.user(parsed, 'user'))
    return this.store.users.get(users[0] as number) as UserRecord
  }

  runner(input: RunnerInput = {}): RunnerRecord {
    const parsed = parseWith(runnerSchema, input)
    const { runners } = this.plan((batch) => batch.runner(parsed, 'runner'))
    return this.store.runners.get(runners[0] as number) as RunnerRecord
  }

  project(input: ProjectInput = {}): ProjectRecord {
    const parsed = parseWith(projectSchema, input)
    const { projects } = this.plan((batch) => batch.project(parsed, 'project'))
    return this.store.projects.get(projects[0] as number) as ProjectRecord
  }

  /** A pipeline (and its jobs) in an existing project: its id, its full path, or its record. */
  pipeline(input: PipelineInput & { project: number | string | { id: number } }): {
    pipeline: PipelineRecord
    jobs: JobRecord[]
  } {
    const { project: ref, ...rest } = input
    const parsed = parseWith(pipelineSchema, rest)
    checkSizes(
      (parsed.jobs ?? []).map((job, i) => [job, `pipeline.jobs[${i}].`]),
      this.limits,
    )
    const name = typeof ref === 'object' ? ref.id : ref
    const project = typeof name === 'string' ? this.store.projectByPath(name) : this.store.projects.get(name)
    if (!project) {
      const message = `no project ${JSON.stringify(name)}`
      throw new FixtureError(`Invalid fixture: project: ${message}`, [{ path: 'project', message }])
    }
    const created = this.plan((batch) => batch.pipeline(project, parsed, 'pipeline'))
    return {
      pipeline: this.store.pipelines.get(created.pipelines[0] as number) as PipelineRecord,
      jobs: created.jobs.map((id) => this.store.jobs.get(id) as JobRecord),
    }
  }

  /** A job in an existing pipeline. */
  job(input: JobInput & { pipeline: number }): JobRecord {
    const { pipeline: pipelineId, ...rest } = input
    const parsed = parseWith(jobSchema, rest)
    checkSizes([[parsed, 'job.']], this.limits)
    const pipeline = this.store.pipelines.get(pipelineId)
    const project = pipeline && this.store.projects.get(pipeline.project_id)
    if (!pipeline || !project) {
      const message = `no pipeline ${pipelineId}`
      throw new FixtureError(`Invalid fixture: pipeline: ${message}`, [{ path: 'pipeline', message }])
    }
    const { jobs } = this.plan((batch) => batch.job(project, pipeline, parsed, 'job'))
    return this.store.jobs.get(jobs[0] as number) as JobRecord
  }

  /**
   * What a job uploads when it finishes by hand: fixture artifacts (checked as in a fixture,
   * `artifacts[i]` naming the one refused), built and stored now.
   */
  uploads(job: JobRecord, inputs: unknown): ArtifactRecord[] {
    const parsed = parseWith(z.array(artifactSchema), inputs, 'artifacts')
    checkSizes([[{ artifacts: parsed }, '']], this.limits)
    const batch = new Batch(this.store, this.seeded, this.pools, this.now, this.profile)
    const artifacts = this.refusable(() =>
      parsed.map((a, i) => {
        if (a.file_type === 'trace')
          refuseFixture(`artifacts[${i}].file_type`, 'the trace is the log the job writes')
        return batch.artifact(a, job.name, this.now(), parsed, `artifacts[${i}]`)
      }),
    )
    batch.commitBlobs()
    return artifacts
  }

  /** Plans a load whole, then commits it; a refused load leaves the generator where it was. */
  private plan(fill: (batch: Batch) => void): Created {
    const batch = new Batch(this.store, this.seeded, this.pools, this.now, this.profile)
    this.refusable(() => {
      fill(batch)
      batch.finish()
    })
    const created = batch.commit()
    this.onCommit(batch.jobs)
    return created
  }
}

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
import { loadFaker, type SeededFaker } from './faker.js'
import type {
  FixtureDocument,
  JobInput,
  PipelineInput,
  ProjectInput,
  RunnerInput,
  UserInput,
} from './fixture-schema.js'
import type { SeedingLimits } from './limits.js'
import type { SeededRandom } from './random.js'
import type * as SeedingModule from './seeding.js'

/** What a load created, by kind, in the order it was given. */
export interface Created {
  users: number[]
  runners: number[]
  projects: number[]
  pipelines: number[]
  jobs: number[]
}

export type SeederOptions = Partial<SeedingLimits> & {
  /** The fake's clock: a pipeline that is to run is created now. */
  now?: () => number
  /** The GitLab version: a fixture may give only the fields it has. Default 13.0. */
  profile?: GitLabProfile
  /** Told of the jobs each load added, once they are in the store (the runner adopts them). */
  onCommit?: (jobs: readonly JobRecord[]) => void
}

let seeding: typeof SeedingModule | undefined

export const SEEDING_NOT_LOADED =
  'gitlab-fake: seeding and fixtures load on demand outside Node, and are not loaded yet: ' +
  '`await gitlab.seed.ready()` first (or `await loadSeeding()` before createGitLabFake() with fixtures)'

/**
 * Loads what seeding needs: the fixture checks (zod), the archive builder and faker. A browser
 * bundle gets them as chunks of their own, fetched when this is first called; the default
 * dataset needs none of them (docs/decisions/bundle.md).
 */
export async function loadSeeding(): Promise<void> {
  await Promise.all([loadFaker(), (async () => (seeding ??= await import('./seeding.js')))()])
}

/** For the Node-only entries, which import seeding statically. */
export function provideSeeding(module: typeof SeedingModule): void {
  seeding ??= module
}

/**
 * The seeding module, now: loaded already, or in Node, where it is required synchronously
 * (`require` of an ES module, Node 20.19 and later); elsewhere it throws, naming what to await.
 */
export function seedingNow(): typeof SeedingModule {
  if (seeding) return seeding
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  if (typeof node?.getBuiltinModule === 'function') {
    const { createRequire } = node.getBuiltinModule('node:module') as typeof import('node:module')
    try {
      seeding = createRequire(import.meta.url)('./seeding.js') as typeof SeedingModule
      return seeding
    } catch {
      // An older Node, or sources run untranspiled: as elsewhere.
    }
  }
  throw new Error(SEEDING_NOT_LOADED)
}

/**
 * `gitlab.seed`: adds data, with faker filling what is left out. What it does is loaded on demand
 * (src/data/seeding.ts); this keeps the generator's position, which `reset()` returns to.
 */
export class Seeder {
  /** Values faker is slow to make, made once per seeder; part of the generator's position. */
  private readonly pools = new Map<string, string[]>()
  private readonly random: SeededRandom
  private initial: Position
  private loaded: SeedingModule.SeedingCore | undefined

  constructor(
    private readonly store: Store,
    private readonly seeded: SeededFaker,
    private readonly options: SeederOptions = {},
  ) {
    this.random = seeded.random
    this.initial = this.position()
  }

  private get core(): SeedingModule.SeedingCore {
    this.loaded ??= new (seedingNow().SeedingCore)(
      this.store,
      this.seeded,
      this.pools,
      this.options,
      (make) => this.refusable(make),
    )
    return this.loaded
  }

  /**
   * Resolves once seeding is loaded (the fixture checks and faker). In Node it loads when first
   * needed; elsewhere a seeding call throws until this has resolved.
   */
  ready(): Promise<void> {
    return loadSeeding()
  }

  /** Adds a fixture document, checked first; answers the ids it created. */
  load(document: unknown): Created {
    return this.core.load(document)
  }

  /** A document known to fit the format, not checked again. */
  loadValid(fixture: FixtureDocument): Created {
    return this.core.loadValid(fixture)
  }

  user(input: UserInput = {}): UserRecord {
    return this.core.user(input)
  }

  runner(input: RunnerInput = {}): RunnerRecord {
    return this.core.runner(input)
  }

  project(input: ProjectInput = {}): ProjectRecord {
    return this.core.project(input)
  }

  /** A pipeline (and its jobs) in an existing project: its id, its full path, or its record. */
  pipeline(input: PipelineInput & { project: number | string | { id: number } }): {
    pipeline: PipelineRecord
    jobs: JobRecord[]
  } {
    return this.core.pipeline(input)
  }

  /** A job in an existing pipeline. */
  job(input: JobInput & { pipeline: number }): JobRecord {
    return this.core.job(input)
  }

  /**
   * What a job uploads when it finishes by hand: fixture artifacts (checked as in a fixture,
   * `artifacts[i]` naming the one refused), built and stored now.
   */
  uploads(job: JobRecord, inputs: unknown): ArtifactRecord[] {
    return this.core.uploads(job, inputs)
  }

  /**
   * Makes the generator's position now the one `reset()` returns to, so that after a reset the
   * same seeding calls get the same values, whatever ran before.
   */
  markGenerator(): void {
    this.initial = this.position()
  }

  /** Back to the generator's position at `markGenerator()`. */
  resetGenerator(): void {
    this.restore(this.initial)
  }

  /** Runs `make`; if it throws, the generator and its pools are put back first. */
  private refusable<T>(make: () => T): T {
    const position = this.position()
    try {
      return make()
    } catch (error) {
      this.restore(position)
      throw error
    }
  }

  private position(): Position {
    return {
      random: this.random.save(),
      pools: new Map([...this.pools].map(([name, values]) => [name, values.slice()])),
    }
  }

  private restore(position: Position): void {
    this.random.restore(position.random)
    this.pools.clear()
    for (const [name, values] of position.pools) this.pools.set(name, values.slice())
  }
}

/** Where the generator stands, and the values it has made for the pools. */
interface Position {
  readonly random: ReturnType<SeededRandom['save']>
  readonly pools: ReadonlyMap<string, string[]>
}

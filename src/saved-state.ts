import type { FixtureDocument } from './data/fixture-schema.js'
import type { GitLabFake } from './fake.js'

/** What is kept: the data, and after `commitInitial()` the dataset it made, which `reset()` returns to. */
interface Saved {
  readonly version: 1
  /** The fake's clock when saved (epoch ms). */
  readonly now: number
  readonly state: FixtureDocument
  /** The data and clock as `commitInitial()` made them the dataset, when it was called. */
  readonly initial?: { readonly now: number; readonly state: FixtureDocument }
}

/**
 * `startWorker`'s `persist`: the fake's state in sessionStorage, put back on start, saved after
 * changes. What is kept is what the page, started again with the same options, needs to come back
 * to the same data: nothing while the data is the options' dataset, the state once it differs,
 * and the committed dataset beside it after `commitInitial()` (so that `reset()` still returns
 * there after a reload).
 */
export class SavedState {
  private readonly key: string
  /** The store's change count when last saved; a request that moves it changed the data. */
  private savedAt = 0
  /** A change the count does not show (a commit, a reset to a committed dataset, a control route). */
  private stale = false
  private initial: Saved['initial']
  private pending: ReturnType<typeof setTimeout> | undefined
  private warned = false
  private readonly reset: () => void
  private readonly commitInitial: () => void

  constructor(
    private readonly gitlab: GitLabFake,
    key: string | undefined,
    private readonly storage: Storage | undefined = globalThis.sessionStorage,
  ) {
    this.key = key ?? `gitlab-fake:${gitlab.baseUrl}`
    this.reset = gitlab.reset
    this.commitInitial = gitlab.commitInitial
    Object.defineProperty(gitlab, 'reset', {
      configurable: true,
      value: () => {
        this.reset.call(gitlab)
        // Back to the options' dataset: a reload starts there too, nothing to keep. Back to a
        // committed one: a reload needs it.
        if (this.initial === undefined) this.forget()
        else this.changed(true)
      },
    })
    Object.defineProperty(gitlab, 'commitInitial', {
      configurable: true,
      value: () => {
        this.commitInitial.call(gitlab)
        this.initial = { now: gitlab.clock.now(), state: gitlab.state() }
        this.changed(true)
      },
    })
  }

  /** Puts the saved state back, if there is one; one that no longer loads is dropped with a warning. */
  restore(): void {
    const text = this.storage?.getItem(this.key)
    if (!text) return
    try {
      const saved = JSON.parse(text) as Saved
      if (saved.version !== 1) throw new Error(`unknown version ${saved.version}`)
      if (saved.initial) {
        this.gitlab.replace(saved.initial.state)
        this.setClock(saved.initial.now)
        this.commitInitial.call(this.gitlab)
        this.initial = saved.initial
      }
      this.gitlab.replace(saved.state)
      this.setClock(saved.now)
    } catch (error) {
      console.warn('gitlab-fake: the saved state could not be restored, and is dropped:', error)
      this.storage?.removeItem(this.key)
      return
    }
    this.savedAt = this.gitlab.store.changesSinceInitial
  }

  /**
   * After a request: when the data changed, a save soon (several changes in a row save once).
   * `surely`: the data changed outside GitLab's routes (a control route), so it is saved whatever
   * the change count says.
   */
  changed(surely = false): void {
    if (surely) this.stale = true
    if ((this.gitlab.store.changesSinceInitial === this.savedAt && !this.stale) || this.pending !== undefined)
      return
    this.pending = setTimeout(() => this.save(), 0)
  }

  save(): void {
    if (this.pending !== undefined) clearTimeout(this.pending)
    this.pending = undefined
    const changes = this.gitlab.store.changesSinceInitial
    if (!this.storage || (changes === this.savedAt && !this.stale)) return
    this.savedAt = changes
    this.stale = false
    // The options' dataset, untouched: the page started again makes it, nothing to keep.
    if (changes === 0 && this.initial === undefined) {
      this.forget()
      return
    }
    const bytes = artifactBytes(this.gitlab)
    const now = this.gitlab.clock.now()
    const saved: Saved = {
      version: 1,
      now,
      state: this.gitlab.state(),
      ...(this.initial && { initial: this.initial }),
    }
    if (bytes <= ARTIFACT_BYTES_SAVED && this.write(saved)) return
    // Too large: a reload starts from the dataset, rather than from a state missing some of it.
    this.storage.removeItem(this.key)
    this.warnOnce(
      `the state is not kept across reloads: with its artifacts (${(bytes / 2 ** 20).toFixed(1)} MB) it does not fit in sessionStorage`,
    )
  }

  detach(): void {
    Object.defineProperty(this.gitlab, 'reset', { configurable: true, writable: true, value: this.reset })
    Object.defineProperty(this.gitlab, 'commitInitial', {
      configurable: true,
      writable: true,
      value: this.commitInitial,
    })
  }

  private setClock(now: number): void {
    if (this.gitlab.clock.mode !== 'source' && now > this.gitlab.clock.now()) this.gitlab.clock.set(now)
  }

  private forget(): void {
    if (this.pending !== undefined) clearTimeout(this.pending)
    this.pending = undefined
    this.savedAt = 0
    this.stale = false
    this.storage?.removeItem(this.key)
  }

  /** Whether sessionStorage took it (it throws QuotaExceededError past its quota). */
  private write(saved: Saved): boolean {
    try {
      this.storage?.setItem(this.key, JSON.stringify(saved))
      return true
    } catch {
      return false
    }
  }

  private warnOnce(what: string): void {
    if (this.warned) return
    this.warned = true
    console.warn(`gitlab-fake: ${what}`)
  }
}

/** Artifacts are saved with their bytes while they take no more than this, in all. */
const ARTIFACT_BYTES_SAVED = 1024 * 1024

/** The bytes of every artifact held (a saved archive's files often take several times that as text). */
function artifactBytes(gitlab: GitLabFake): number {
  let bytes = 0
  for (const job of gitlab.store.jobs.values()) for (const a of job.artifacts) bytes += a.size
  return bytes
}

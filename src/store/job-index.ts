import type { JobRecord } from './records.js'

/**
 * The jobs of one project or one pipeline, in id order, with a sub-list per status, so that a
 * page of `ORDER BY id` (optionally filtered by status) costs O(offset + page), not O(all jobs).
 */
export class JobIndex {
  private readonly all: JobRecord[] = []
  private readonly byStatus = new Map<string, JobRecord[]>()

  add(job: JobRecord): void {
    insertById(this.all, job)
    insertById(this.listFor(job.status), job)
  }

  remove(job: JobRecord): void {
    removeById(this.all, job.id)
    const list = this.byStatus.get(job.status)
    if (list) removeById(list, job.id)
  }

  /** Call after `job.status` changed from `from`. */
  moveStatus(job: JobRecord, from: string): void {
    if (from === job.status) return
    const old = this.byStatus.get(from)
    if (old) removeById(old, job.id)
    insertById(this.listFor(job.status), job)
  }

  /** A new index of the jobs `keep` holds true for. */
  where(keep: (job: JobRecord) => boolean): JobIndex {
    const index = new JobIndex()
    for (const job of this.all) if (keep(job)) index.add(job)
    return index
  }

  /** Every job, in id order. */
  list(): readonly JobRecord[] {
    return this.all
  }

  count(statuses?: readonly string[]): number {
    if (!statuses) return this.all.length
    let n = 0
    for (const status of new Set(statuses)) n += this.byStatus.get(status)?.length ?? 0
    return n
  }

  /** `limit` jobs after skipping `offset`, ordered by id. */
  page(order: 'asc' | 'desc', offset: number, limit: number, statuses?: readonly string[]): JobRecord[] {
    if (!statuses) return slicePage(this.all, order, offset, limit)
    const lists = [...new Set(statuses)]
      .map((s) => this.byStatus.get(s))
      .filter((l): l is JobRecord[] => l !== undefined && l.length > 0)
    if (lists.length === 1) {
      return slicePage(lists[0] as JobRecord[], order, offset, limit)
    }
    return mergePage(lists, order, offset, limit)
  }

  /**
   * `limit` jobs past the id `after` (null: from the first), ordered by id: a keyset page
   * (`WHERE id < after ORDER BY id DESC LIMIT n`), in O(log n + page) a status list.
   */
  seek(
    order: 'asc' | 'desc',
    after: number | null,
    limit: number,
    statuses?: readonly string[],
  ): JobRecord[] {
    const lists = statuses
      ? [...new Set(statuses)]
          .map((s) => this.byStatus.get(s))
          .filter((l): l is JobRecord[] => l !== undefined && l.length > 0)
      : [this.all]
    const asc = order === 'asc'
    const pos = lists.map((l) =>
      after === null ? (asc ? 0 : l.length - 1) : asc ? lowerBound(l, after + 1) : lowerBound(l, after) - 1,
    )
    return mergeFrom(lists, pos, asc, 0, limit)
  }

  private listFor(status: string): JobRecord[] {
    let list = this.byStatus.get(status)
    if (!list) {
      list = []
      this.byStatus.set(status, list)
    }
    return list
  }
}

/** A page of one id-sorted list, from either end. */
function slicePage(
  list: readonly JobRecord[],
  order: 'asc' | 'desc',
  offset: number,
  limit: number,
): JobRecord[] {
  if (order === 'asc') return list.slice(offset, offset + limit)
  const end = list.length - offset
  return end <= 0 ? [] : list.slice(Math.max(0, end - limit), end).reverse()
}

/** k-way merge of id-sorted lists, walking only as far as the page needs. */
function mergePage(lists: JobRecord[][], order: 'asc' | 'desc', offset: number, limit: number): JobRecord[] {
  const asc = order === 'asc'
  return mergeFrom(
    lists,
    lists.map((l) => (asc ? 0 : l.length - 1)),
    asc,
    offset,
    limit,
  )
}

/** The merge from each list's position `pos`, walking towards its end (asc) or its start. */
function mergeFrom(
  lists: readonly JobRecord[][],
  pos: number[],
  asc: boolean,
  offset: number,
  limit: number,
): JobRecord[] {
  const out: JobRecord[] = []
  let skipped = 0
  while (out.length < limit) {
    let best = -1
    let bestId = 0
    for (let k = 0; k < lists.length; k++) {
      const job = (lists[k] as JobRecord[])[pos[k] as number]
      if (!job) continue
      if (best === -1 || (asc ? job.id < bestId : job.id > bestId)) {
        best = k
        bestId = job.id
      }
    }
    if (best === -1) break
    const job = (lists[best] as JobRecord[])[pos[best] as number] as JobRecord
    pos[best] = (pos[best] as number) + (asc ? 1 : -1)
    if (skipped < offset) skipped++
    else out.push(job)
  }
  return out
}

function insertById(list: JobRecord[], job: JobRecord): void {
  const last = list[list.length - 1]
  if (!last || last.id < job.id) {
    list.push(job)
    return
  }
  list.splice(lowerBound(list, job.id), 0, job)
}

function removeById(list: JobRecord[], id: number): void {
  const i = lowerBound(list, id)
  if (list[i]?.id === id) list.splice(i, 1)
}

function lowerBound(list: JobRecord[], id: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((list[mid] as JobRecord).id < id) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * A binary min-heap: the least item in O(1), a push or a removal in O(log n). `moved` is told of
 * every item's new place, for a heap whose owner finds its items in it.
 */
export class MinHeap<T> {
  private readonly items: T[] = []

  constructor(
    private readonly before: (a: T, b: T) => boolean,
    private readonly moved: (item: T, index: number) => void = () => {},
  ) {}

  get size(): number {
    return this.items.length
  }

  peek(): T | undefined {
    return this.items[0]
  }

  push(item: T): void {
    this.items.push(item)
    this.moved(item, this.items.length - 1)
    this.up(this.items.length - 1)
  }

  /** Takes the least item out. */
  pop(): T | undefined {
    const top = this.items[0]
    if (top !== undefined) this.removeAt(0)
    return top
  }

  /** Takes out the item at `index` (as `moved` last told it). */
  removeAt(index: number): void {
    const last = this.items.length - 1
    if (index !== last) this.swap(index, last)
    this.items.pop()
    if (index < this.items.length) {
      this.up(index)
      this.down(index)
    }
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(this.items[i] as T, this.items[parent] as T)) return
      this.swap(i, parent)
      i = parent
    }
  }

  private down(i: number): void {
    const n = this.items.length
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) return
      const right = left + 1
      const child = right < n && this.before(this.items[right] as T, this.items[left] as T) ? right : left
      if (!this.before(this.items[child] as T, this.items[i] as T)) return
      this.swap(i, child)
      i = child
    }
  }

  private swap(a: number, b: number): void {
    const item = this.items[a] as T
    this.items[a] = this.items[b] as T
    this.items[b] = item
    this.moved(this.items[a] as T, a)
    this.moved(item, b)
  }
}

import type { Randomizer } from '@faker-js/faker'

const N = 624
const M = 397
const MATRIX_A = 0x9908b0df
const UPPER = 0x80000000
const LOWER = 0x7fffffff

/**
 * MT19937, the generator faker uses by default (the same numbers for the same seed), with its
 * state saved and put back: a fixture load that is refused must not move the generator, or the
 * next good load would get other values than it would have.
 */
export class SeededRandom implements Randomizer {
  private states: number[] = []
  private index = 0
  /** A seed not yet turned into a state: that is done at the first draw (a fake starts quicker). */
  private pending: number | readonly number[] | undefined

  constructor(seed: number = Math.ceil(Math.random() * (2 ** 53 - 1))) {
    this.seed(seed)
  }

  // Faker calls these detached from the object: fields bound to it.
  readonly seed = (seed: number | number[]): void => {
    this.pending = typeof seed === 'number' ? seed : seed.slice()
    this.states = []
    this.index = 0
  }

  /** A float in [0, 1) with 53 random bits, from two 32-bit draws (faker's `nextF53`). */
  readonly next = (): number => {
    const high = this.nextU32() >>> 5
    const low = this.nextU32() >>> 6
    return (high * 67108864 + low) * 2 ** -53
  }

  private nextU32(): number {
    if (this.pending !== undefined) {
      const seed = this.pending
      this.states = twist(typeof seed === 'number' ? fromNumber(seed) : fromArray(seed))
      this.pending = undefined
    }
    let y = this.states[this.index] as number
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    if (++this.index >= N) {
      this.states = twist(this.states)
      this.index = 0
    }
    return y >>> 0
  }

  /** The generator's position, to `restore` later. */
  save(): SavedRandom {
    return { states: this.states.slice(), index: this.index, pending: this.pending }
  }

  restore(saved: SavedRandom): void {
    this.states = saved.states.slice()
    this.index = saved.index
    this.pending = saved.pending
  }
}

/** Where a generator stands: its state, or the seed it has not yet turned into one. */
export interface SavedRandom {
  readonly states: readonly number[]
  readonly index: number
  readonly pending: number | readonly number[] | undefined
}

function fromNumber(seed: number): number[] {
  const mt = new Array<number>(N)
  mt[0] = seed
  for (let i = 1; i < N; i++) {
    const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30)
    mt[i] = Math.trunc(Math.imul(1812433253, prev) + i)
  }
  return mt
}

function fromArray(key: readonly number[]): number[] {
  const mt = fromNumber(19650218)
  let i = 1
  let j = 0
  for (let k = Math.max(N, key.length); k !== 0; k--) {
    const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30)
    mt[i] = Math.trunc(((mt[i] as number) ^ Math.imul(prev, 1664525)) + (key[j] as number) + j)
    i++
    j++
    if (i >= N) {
      mt[0] = mt[N - 1] as number
      i = 1
    }
    if (j >= key.length) j = 0
  }
  for (let k = N - 1; k !== 0; k--) {
    const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30)
    mt[i] = Math.trunc(((mt[i] as number) ^ Math.imul(prev, 1566083941)) - i)
    i++
    if (i >= N) {
      mt[0] = mt[N - 1] as number
      i = 1
    }
  }
  mt[0] = UPPER
  return mt
}

function twist(mt: number[]): number[] {
  for (let k = 0; k < N; k++) {
    const y = ((mt[k] as number) & UPPER) + ((mt[(k + 1) % N] as number) & LOWER)
    mt[k] = (mt[(k + M) % N] as number) ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A)
  }
  return mt
}

import { toGitLabJson } from '../entities/index.js'

/** About how much JSON is written between two turns of the event loop. */
const CHUNK = 64 * 1024

const encoder = new TextEncoder()

/**
 * A large value as a stream of GitLab JSON, byte for byte what `toGitLabJson` writes, made a
 * chunk at a time with a turn of the event loop between chunks: serialising 100,000 jobs at once
 * would hold every other request for as long.
 */
export function jsonStream(value: unknown): ReadableStream<Uint8Array> {
  const pieces = piecesOf(value)
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setImmediate(resolve))
      const parts: string[] = []
      let size = 0
      while (size < CHUNK) {
        const next = pieces.next()
        if (next.done) break
        parts.push(next.value)
        size += next.value.length
      }
      if (parts.length) controller.enqueue(encoder.encode(parts.join('')))
      if (size < CHUNK) controller.close()
    },
    cancel() {
      pieces.return(undefined)
    },
  })
}

/**
 * The JSON in pieces: a container larger than a chunk is opened and its members written one by
 * one; anything smaller is written whole. What JSON.stringify leaves out (undefined, functions) it
 * leaves out too, and a value with `toJSON` is written whole.
 */
function* piecesOf(value: unknown): Generator<string, void, undefined> {
  if (!isContainer(value) || weigh(value, CHUNK) > 0) {
    const json = toGitLabJson(value)
    yield json === undefined ? 'null' : json
    return
  }
  if (Array.isArray(value)) {
    yield '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ','
      const item = value[i]
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null'
      else yield* piecesOf(item)
    }
    yield ']'
    return
  }
  yield '{'
  let first = true
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue
    yield `${first ? '' : ','}${toGitLabJson(key)}:`
    first = false
    yield* piecesOf(item)
  }
  yield '}'
}

/** An array, or a plain object without `toJSON`. */
function isContainer(value: unknown): value is unknown[] | Record<string, unknown> {
  if (Array.isArray(value)) return true
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  )
}

/** What is left of `budget` after about the JSON length of `value`; stops counting at 0. */
function weigh(value: unknown, budget: number): number {
  if (typeof value === 'string') return budget - value.length - 2
  if (!isContainer(value)) return budget - 8
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && budget > 0; i++) budget = weigh(value[i], budget - 1)
    return budget
  }
  for (const key in value) {
    if (budget <= 0) break
    budget = weigh(value[key], budget - key.length - 4)
  }
  return budget
}

import type * as Archive from '../domain/archive.js'

let loaded: typeof Archive | undefined

/**
 * Runs `use` with the zip code (src/domain/archive.ts, fflate): loaded the first time a route
 * reads an archive, so that a browser app starts without it (docs/decisions/bundle.md); from
 * then on at once, without a promise.
 */
export function withArchive<T>(use: (archive: typeof Archive) => T | Promise<T>): T | Promise<T> {
  if (loaded) return use(loaded)
  return import('../domain/archive.js').then((module) => {
    loaded = module
    return use(module)
  })
}

import { type JobInput, refuseFixture } from './fixture-schema.js'

/** What one load may make: a `size` is a promise to build that many bytes. */
export interface SeedingLimits {
  /**
   * The largest artifact file, in bytes: GitLab's `max_artifacts_size` setting, 100 MB by
   * default (ApplicationSetting, `max_artifacts_size` in megabytes).
   */
  maxArtifactSize: number
  /** The bytes of artifacts and traces that one load may ask to be built, in all. */
  maxLoadSize: number
}

export const DEFAULT_LIMITS: SeedingLimits = {
  maxArtifactSize: 100 * 1024 * 1024,
  maxLoadSize: 256 * 1024 * 1024,
}

/** Refuses, naming the field, sizes over the limits: before any byte is built. Each job comes with the prefix of its fields' paths. */
export function checkSizes(jobs: Iterable<readonly [JobInput, string]>, limits: SeedingLimits): void {
  let total = 0
  for (const [job, at] of jobs) {
    const uploads = typeof job.run === 'object' ? (job.run.artifacts ?? []) : []
    const artifacts = [
      ...(job.artifacts ?? []).map((a, i) => [a, `${at}artifacts[${i}]`] as const),
      ...uploads.map((a, i) => [a, `${at}run.artifacts[${i}]`] as const),
    ]
    for (const [artifact, path] of artifacts) {
      const size = artifact.size
      if (size === undefined) continue
      const where = `${path}.size`
      if (size > limits.maxArtifactSize) {
        refuseFixture(
          where,
          `is ${size} bytes, over the maximum artifacts size of ${limits.maxArtifactSize} bytes`,
        )
      }
      total += size
      if (total > limits.maxLoadSize) {
        refuseFixture(
          where,
          `makes the sizes of this load add up to ${total} bytes, over its limit of ${limits.maxLoadSize}`,
        )
      }
    }
  }
}

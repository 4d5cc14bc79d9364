export type { ApiContext } from './api/context.js'
export { ApiError } from './api/errors.js'
export type { Journal, JournalEntry, JournalFilter } from './api/journal.js'
export type { Answer, ApiRequest } from './api/responses.js'
export { defaultDataset } from './data/default-dataset.js'
export { defaultDatasetLatest } from './data/default-dataset-latest.js'
export {
  type ArtifactInput,
  type CommitInput,
  type FixtureDocument,
  FixtureError,
  fixtureSchema,
  type JobInput,
  type PipelineInput,
  type ProjectInput,
  type RunInput,
  type RunnerInput,
  type UserInput,
} from './data/fixture-schema.js'
export type { RunnerControl } from './data/runner-control.js'
export { type Created, loadSeeding, type Seeder } from './data/seeder.js'
export { Clock, ClockError, type ClockMode } from './domain/clock.js'
export { type Progress, RunnerError, type RunnerOptions } from './domain/runner.js'
export { createGitLabFake, type GitLabFake, type GitLabFakeOptions } from './fake.js'
export { ConnectionDropped } from './faults/connection.js'
export type { FaultDecision, FaultInfo, Faults } from './faults/faults.js'
export { FAULT_PRESETS, type FaultPreset } from './faults/presets.js'
export {
  type FaultAnswer,
  type FaultMatch,
  type FaultRule,
  FaultRuleError,
  type FaultStep,
} from './faults/rule.js'
export { gitlab13_0 } from './profiles/gitlab-13.0.js'
export { gitlabLatest } from './profiles/gitlab-latest.js'
export { type GitLabVersion, gitlabVersions } from './profiles/index.js'
export type { GitLabProfile } from './profiles/profile.js'
export type * from './store/records.js'
export type { Store } from './store/store.js'

export { presentJob } from './job.js'
export { toGitLabJson } from './json.js'
export { concat, Json, JsonList, type PresentContext, presentAll, presentContext } from './present.js'

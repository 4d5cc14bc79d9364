export { presentJob } from './job.js'
export { toGitLabJson } from './json.js'
export { Json, type PresentContext, presentAll, presentContext } from './present.js'

import { afterAll, beforeAll, beforeEach, describe } from 'vitest'
import { listen, type RunningServer } from '../../src/node/index.js'
import { DOCUMENTED_NOW, gitbeakerAgainstLatest } from '../client/gitbeaker-latest-suite.js'

/** @gitbeaker/rest 43 over real HTTP against `--gitlab latest`, its clock at the documented moment. */

let server: RunningServer
beforeAll(async () => {
  server = await listen({ port: 0, gitlab: 'latest', clock: 'manual', now: DOCUMENTED_NOW })
})
afterAll(() => server.close())
beforeEach(() => {
  server.fake.reset()
  server.fake.journal.clear()
})

describe('@gitbeaker/rest 43 over HTTP against latest', () => {
  gitbeakerAgainstLatest(() => ({ host: server.url, gitlab: server.fake }))
})

import { describe } from 'vitest'
import { BASE, useGitLab } from '../support/gitlab.js'
import { DOCUMENTED_NOW, gitbeakerAgainstLatest } from './gitbeaker-latest-suite.js'

/** @gitbeaker/rest 43 in-process (msw's setupServer) against `gitlab: 'latest'`. */

const gitlab = useGitLab({ gitlab: 'latest', now: DOCUMENTED_NOW })

describe('@gitbeaker/rest 43 in-process against latest', () => {
  gitbeakerAgainstLatest(() => ({ host: BASE, gitlab }))
})

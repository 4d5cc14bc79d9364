import type { Faker } from '@faker-js/faker'

/**
 * What faker writes into artifacts a test did not describe: the files a CI job typically
 * keeps (a coverage summary, a JUnit report, a build log and output).
 */
export function defaultArchiveFiles(faker: Faker, jobName: string): Map<string, string> {
  const lines = faker.number.int({ min: 200, max: 5_000 })
  const covered = faker.number.int({ min: Math.floor(lines / 2), max: lines })
  const pct = Math.round((covered / lines) * 10_000) / 100
  const files = new Map<string, string>()
  files.set(
    'coverage/coverage-summary.json',
    `${JSON.stringify(
      {
        total: {
          lines: { total: lines, covered, skipped: 0, pct },
          statements: { total: lines, covered, skipped: 0, pct },
        },
      },
      null,
      2,
    )}\n`,
  )
  files.set('reports/junit.xml', junitReport(faker, jobName))
  files.set(
    'build/output.log',
    `${Array.from(
      { length: faker.number.int({ min: 3, max: 8 }) },
      () => `${faker.git.commitSha({ length: 7 })} ${faker.hacker.phrase()}`,
    ).join('\n')}\n`,
  )
  files.set(
    `dist/${faker.system.commonFileName('js')}`,
    `export const version = '${faker.system.semver()}'\nexport function ${faker.hacker.verb()}() {\n  return ${faker.number.int(1000)}\n}\n`,
  )
  return files
}

export function junitReport(faker: Faker, suite: string): string {
  const cases = Array.from({ length: faker.number.int({ min: 2, max: 5 }) }, () => {
    const name = `${faker.hacker.verb()} ${faker.hacker.noun()}`
    const time = faker.number.float({ min: 0.001, max: 2, fractionDigits: 3 })
    return `    <testcase classname="${suite}" name="${name}" time="${time}"/>`
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites>',
    `  <testsuite name="${suite}" tests="${cases.length}" failures="0" errors="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}

/** The body of GitLab's artifacts metadata (a gzip of the archive's entry list). */
export function metadataFor(paths: Iterable<string>): string {
  const entries = [...paths].map((p) => JSON.stringify({ path: p }))
  return `GitLab Build Artifacts Metadata 0.0.2\n${entries.join('\n')}\n`
}

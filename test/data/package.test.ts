import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

// The package as users import it: package.json `exports`, built JavaScript and its types.
test('gitlab-fake and gitlab-fake/node resolve to built JavaScript with types', async () => {
  const main = await import('gitlab-fake')
  const node = await import('gitlab-fake/node')
  expect(typeof main.createGitLabFake).toBe('function')
  expect(typeof node.listen).toBe('function')
  const gitlab = main.createGitLabFake()
  const project = gitlab.seed.project({ path: 'pkg/check' })
  expect(gitlab.seed.pipeline({ project, jobs: [{ name: 'rspec' }] }).jobs[0]?.name).toBe('rspec')
  for (const file of ['index.d.ts', 'node/index.d.ts', 'node/cli.js']) {
    expect(existsSync(new URL(`../../dist/${file}`, import.meta.url)), file).toBe(true)
  }
})

test('the seeding API refuses an unknown project by name', async () => {
  const { createGitLabFake, FixtureError } = await import('gitlab-fake')
  expect(() => createGitLabFake().seed.pipeline({ project: 'no/such' })).toThrow(FixtureError)
})

/** Runs an ES module in a Node of its own, from the repository; answers what it prints, parsed. */
function runNode(source: string): unknown {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
  })
  return JSON.parse(out)
}

const SEEDING = `
  const gitlab = createGitLabFake({ seed: 7, fixtures: [{ projects: [{ path: 'a/b' }] }] })
  const { jobs } = gitlab.seed.pipeline({ project: 'a/b', jobs: [{}, {}] })
  const user = gitlab.seed.user()
  console.log(JSON.stringify({ jobs: jobs.map((j) => [j.name, j.trace, j.created_at]), user: [user.username, user.name] }))
`

test('in Node, the universal entry seeds at once too, faker and the checks loaded as they are needed, with the same values', () => {
  const universal = runNode(`import { createGitLabFake } from './dist/index.js'\n${SEEDING}`)
  const node = runNode(`import { createGitLabFake } from 'gitlab-fake'\n${SEEDING}`)
  expect(universal).toEqual(node)
  expect((universal as { jobs: unknown[] }).jobs).toHaveLength(2)
})

test('a refusal from the universal entry in Node is the FixtureError it exports', () => {
  const result = runNode(`import { createGitLabFake, FixtureError } from './dist/index.js'
    try { createGitLabFake().load({ users: [{ username: 1 }] }); console.log('null') }
    catch (error) { console.log(JSON.stringify([error instanceof FixtureError, error.message])) }`)
  expect(result).toEqual([true, expect.stringContaining('users[0].username')])
})

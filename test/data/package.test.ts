import { existsSync } from 'node:fs'
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

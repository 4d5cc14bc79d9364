#!/usr/bin/env node
import { parseArgs } from 'node:util'

const HELP = `Usage: gitlab-fake [options]

Serves a fake GitLab 13.0 Jobs API over HTTP, on the documented dataset.

Options:
  --port N     port to listen on (default 4000; 0 picks a free port)
  --host H     address to listen on (default 127.0.0.1)
  --seed N     seed for the values faker fills in
  -h, --help   show this help
`

function fail(message: string): never {
  process.stderr.write(`gitlab-fake: ${message}\n\n${HELP}`)
  process.exit(2)
}

let args: ReturnType<typeof parse>
function parse() {
  return parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
}
try {
  args = parse()
} catch (error) {
  fail((error as Error).message)
}
if (args.values.help) {
  process.stdout.write(HELP)
  process.exit(0)
}
const port = args.values.port === undefined ? 4000 : Number(args.values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be a port number, got "${args.values.port}"`)
const seed = args.values.seed === undefined ? undefined : Number(args.values.seed)
if (seed !== undefined && !Number.isInteger(seed))
  fail(`--seed must be an integer, got "${args.values.seed}"`)

// Loaded after the flags are read, so that --help and a bad flag answer at once.
const [{ listen }, { defaultDataset }] = await Promise.all([
  import('./server.js'),
  import('../data/default-dataset.js'),
])
const running = await listen({ port, host: args.values.host ?? '127.0.0.1', seed }).catch((error: Error) =>
  fail(`cannot listen: ${error.message}`),
)
// Handlers first: a client may read the URL and signal at once.
let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1)
    closing = true
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}

const project = defaultDataset.projects[0] as (typeof defaultDataset.projects)[number]
const tokens = defaultDataset.users.map((u) => {
  const role =
    'admin' in u && u.admin
      ? 'admin'
      : (project.members.find((m) => m.user === u.username)?.access_level ??
        `not a member of ${project.path}`)
  return `  ${(u.tokens[0] ?? '').padEnd(18)} ${u.username} (${role})`
})
process.stdout.write(
  `${running.url}\n\nTokens (PRIVATE-TOKEN), with their role in ${project.path}:\n${tokens.join('\n')}\n\nCtrl-C stops it.\n`,
)

/**
 * Whether this runtime is Node (Bun and Deno, which serve `node:http`, say so too). Browsers have
 * no `process`; bundlers that stand one in leave out `versions.node`.
 */
export function isNode(scope: { process?: unknown } = globalThis): boolean {
  const versions = (scope.process as { versions?: { node?: unknown } } | undefined)?.versions
  return typeof versions?.node === 'string'
}

export const LISTEN_NEEDS_NODE =
  'gitlab-fake: listen() starts an HTTP server, which needs Node, and this runtime is not Node. ' +
  "In a browser, give the handlers to MSW instead: setupWorker(...gitlab.handlers) from 'msw/browser'. " +
  'For a server that other programs reach, run `npx gitlab-fake` in a terminal.'

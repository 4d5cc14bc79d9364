// One server for the load test, in its own process: the standalone fake, or a bare node:http
// server writing the bytes the fake would write, with the same headers.
import { createServer } from 'node:http'
import { createGitLabFake } from '../dist/index.js'
import { serve } from '../dist/node/index.js'
import { seedJobs } from './lib.mjs'

const [mode, path] = process.argv.slice(2)
process.on('SIGINT', () => process.exit(0))
// The parent asks for the CPU time spent so far, to count CPU per request under load.
process.on('message', () => {
  const { user, system } = process.cpuUsage()
  process.send?.({ cpuUs: user + system })
})
const fake = createGitLabFake({ dataset: 'empty', seed: 1 })
seedJobs(fake, 100_000)
if (mode === 'fake') {
  const running = await serve(fake, { port: 0 })
  console.log(JSON.stringify({ url: running.url }))
} else {
  const response = await fake.handle(
    new Request(fake.baseUrl + path, { headers: { 'PRIVATE-TOKEN': 'bench-token' } }),
  )
  const body = Buffer.from(await response.arrayBuffer())
  const headers = Object.fromEntries(response.headers)
  headers['content-length'] = String(body.length)
  const server = createServer((req, res) => {
    req.resume()
    res.writeHead(200, headers)
    res.end(body)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }))
}

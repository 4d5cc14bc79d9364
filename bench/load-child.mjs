// autocannon against one URL; prints requests per second.
import autocannon from 'autocannon'

const [url, seconds] = process.argv.slice(2)
const result = await autocannon({
  url,
  connections: 50,
  duration: Number(seconds),
  headers: { 'PRIVATE-TOKEN': 'bench-token' },
})
console.log(
  JSON.stringify({
    rps: result.requests.average,
    total: result.requests.total,
    errors: result.errors + result.non2xx,
  }),
)

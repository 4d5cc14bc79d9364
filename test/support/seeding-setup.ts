import { loadSeeding } from '../../src/index.js'

// The sources run under vitest as TypeScript, which the seeder cannot `require` on demand as it
// does the built package in Node: loaded before each test file instead.
await loadSeeding()

// The package's entry in Node (the `node` export condition): the same API as the universal
// entry, with seeding loaded with it, so that seeding calls and fixtures work at once. Browser
// bundles get the universal entry, which loads seeding on demand (docs/decisions/bundle.md).
import { provideSeeding } from './data/seeder.js'
import * as seeding from './data/seeding.js'

provideSeeding(seeding)

export * from './index.js'

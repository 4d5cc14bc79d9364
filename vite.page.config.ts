import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { defineConfig } from 'vite'

/**
 * The fake's own page (src/page) for `npm run build`: dist/page/index.html and its assets,
 * with relative URLs so that it works at the server's `/__fake/` and from any static server;
 * mockServiceWorker.js beside it, from the msw bundled into the page (the two must match).
 */
const require = createRequire(import.meta.url)

export default defineConfig({
  root: 'src/page',
  base: './',
  logLevel: 'warn',
  build: {
    outDir: '../../dist/page',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
  plugins: [
    {
      name: 'msw-worker',
      generateBundle() {
        this.emitFile({
          type: 'asset',
          fileName: 'mockServiceWorker.js',
          source: readFileSync(require.resolve('msw/mockServiceWorker.js'), 'utf8'),
        })
      },
    },
  ],
})

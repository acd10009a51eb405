import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

/**
 * The example web app. `npx vite examples/web` serves it at http://127.0.0.1:5173 (start the gateway
 * with `CORS_ORIGINS=http://127.0.0.1:5173`); `npx vite build examples/web` writes a static site to
 * `examples/web/dist/`. The browser tests build it with Vite's JS API into a temporary folder.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // 127.0.0.1 rather than localhost, so that the origin the gateway must allow is the one printed.
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
})

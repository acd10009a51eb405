import { fileURLToPath } from 'node:url'
import { defineConfig, mergeConfig } from 'vitest/config'
import base from '../../vitest.config.js'
import KillersFirstSequencer from './sequencer.js'

/**
 * The suite as the mutation run sees it (`npm run test:mutation`): the same tests, without the
 * Chromium ones (they drive the same gateway through a browser, cost a browser per file, and add
 * nothing the HTTP tests do not already check of the mutated files), with the hook-coverage setup
 * file, and without a fresh module graph per file.
 */
export default mergeConfig(
  base,
  defineConfig({
    root: fileURLToPath(new URL('../..', import.meta.url)),
    test: {
      exclude: ['test/browser/**', 'node_modules/**'],
      setupFiles: [fileURLToPath(new URL('./hook-coverage.ts', import.meta.url))],
      // Loading the gateway's modules again for every file was most of each mutant's time. The suite
      // passes with the modules shared; a mutant is switched at run time, not at load.
      isolate: false,
      sequence: { sequencer: KillersFirstSequencer },
    },
  }),
)

// Preloaded with `node --import` after tsx: records the URL of every module the process resolves,
// one a line, in the file that MODULE_LOG names (test/production-imports.test.ts reads it).
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url, { data: { file: process.env.MODULE_LOG } })

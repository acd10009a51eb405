/**
 * Prints the schema, sorted, to `schema.graphql`; with `--check`, fails when the committed file
 * differs from what the code builds.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { printSchema } from 'graphql'
import { schema } from '../src/schema/index.js'

const path = new URL('../schema.graphql', import.meta.url)
const printed = `${printSchema(schema)}\n`

if (process.argv.includes('--check')) {
  let committed = ''
  try {
    committed = readFileSync(path, 'utf8')
  } catch {}
  if (committed !== printed) {
    process.stderr.write('schema.graphql is out of date: run `npm run schema:print` and commit it\n')
    process.exit(1)
  }
  process.stdout.write('schema.graphql is up to date\n')
} else {
  writeFileSync(path, printed)
  process.stdout.write('wrote schema.graphql\n')
}

// Lists what a mutation report left alive: `node test/mutation/survivors.mjs [report.json …]`
// (default reports/mutation/mutation.json). Prints a table per file (total, killed, timeout,
// survived, no coverage, compile errors, score) and then every Survived and NoCoverage mutant as
// `file:line:column  status  mutator  original → replacement`. `--json` prints the mutants as JSON.

import { readFileSync } from 'node:fs'

const args = process.argv.slice(2)
const asJson = args.includes('--json')
const reports = args.filter((arg) => arg !== '--json')
if (reports.length === 0) reports.push('reports/mutation/mutation.json')

const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError', 'RuntimeError', 'Ignored']

/** The text a mutant replaces (1-based lines, 1-based columns, as the report schema has them). */
function original(source, { start, end }) {
  const lines = source.split('\n')
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1)
  return [
    lines[start.line - 1].slice(start.column - 1),
    ...lines.slice(start.line, end.line - 1),
    lines[end.line - 1].slice(0, end.column - 1),
  ].join('\n')
}

const oneLine = (text, max = 70) => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

const alive = []
for (const path of reports) {
  const report = JSON.parse(readFileSync(path, 'utf8'))
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const counts = Object.fromEntries(STATUSES.map((status) => [status, 0]))
    for (const mutant of mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1
    const valid = mutants.length - counts.CompileError - counts.RuntimeError - counts.Ignored
    const score = valid === 0 ? 100 : (100 * (counts.Killed + counts.Timeout)) / valid
    if (!asJson) {
      console.log(
        [
          file.padEnd(40),
          `total ${mutants.length}`,
          `killed ${counts.Killed}`,
          `timeout ${counts.Timeout}`,
          `survived ${counts.Survived}`,
          `no coverage ${counts.NoCoverage}`,
          `compile errors ${counts.CompileError}`,
          `score ${score.toFixed(2)}%`,
        ].join(' | '),
      )
    }
    for (const mutant of mutants) {
      if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue
      alive.push({
        id: mutant.id,
        file,
        line: mutant.location.start.line,
        column: mutant.location.start.column,
        status: mutant.status,
        mutator: mutant.mutatorName,
        original: original(source, mutant.location),
        replacement: mutant.replacement,
        location: mutant.location,
      })
    }
  }
}

if (asJson) console.log(JSON.stringify(alive, null, 2))
else {
  console.log('')
  for (const mutant of alive) {
    console.log(
      `${mutant.file}:${mutant.line}:${mutant.column}  ${mutant.status}  ${mutant.mutator}  ` +
        `${oneLine(mutant.original)} → ${oneLine(mutant.replacement)}  [${mutant.id}]`,
    )
  }
}

/**
 * What a benchmark hands back to the run: its tables (markdown), notes, and the SPEC §11 targets it
 * checked. The run prints each section as it finishes and writes them all to `bench/RESULTS.md`.
 */

/** One SPEC §11 target and what this run measured for it. */
export interface Target {
  target: string
  measured: string
  /** `undefined` when it could not be measured. */
  met: boolean | undefined
  /**
   * What was measured for it before the lean-request-path work (the figures of the runs that set
   * these targets), for the "before" column; absent for targets that came later.
   */
  before?: string
}

/** One benchmark's results. */
export interface Section {
  title: string
  /** What was measured and how, in a sentence or two. */
  summary: string
  tables: string[]
  notes: string[]
  targets: Target[]
}

/** A markdown table; cells are strings already formatted. Numeric-looking columns align right. */
export function table(headers: string[], rows: string[][]): string {
  const numeric = headers.map((_, column) =>
    rows.every((row) => /^[-\d.,×%~<>+ ]*(ms|µs|KiB|MiB|req\/s|\/s|×)?( \(.*\))?$/.test(row[column] ?? '')),
  )
  const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|')
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`
  return [
    line(headers),
    `|${headers.map((_, column) => (numeric[column] && column > 0 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map(line),
  ].join('\n')
}

/** A section as markdown. */
export function renderSection(section: Section): string {
  return [
    `## ${section.title}`,
    '',
    section.summary,
    '',
    ...section.tables.flatMap((t) => [t, '']),
    ...section.notes.map((note) => `- ${note}`),
    ...(section.notes.length > 0 ? [''] : []),
  ].join('\n')
}

/** The error of something that could not be measured, on one line. */
export const describeError = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 400)

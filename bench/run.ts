/**
 * `npm run bench`: runs every benchmark in turn, prints each one's tables as it finishes, and writes
 * them all to `bench/RESULTS.md` with the machine they ran on.
 *
 * `npm run bench -- cpu subscriptions` runs only the named benchmarks and prints them without
 * touching RESULTS.md. Names: upstream-requests, cpu, peers, subscriptions, cross-instance,
 * device-events.
 *
 * Every benchmark disposes what it starts; the whole run is bounded by {@link RUN_LIMIT_MS}, past
 * which it stops its children and exits with an error.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import { runCpu } from './cpu.js'
import { runCrossInstance } from './cross-instance.js'
import { runDeviceEvents } from './device-events.js'
import { describeError, renderSection, type Section, table } from './lib/report.js'
import { runPeers } from './peers.js'
import { runSubscriptions } from './subscriptions.js'
import { runUpstreamRequests } from './upstream-requests.js'

/** The longest a whole run may take; it normally takes 4 to 6 minutes on 2 cores. */
const RUN_LIMIT_MS = 9.5 * 60_000

const BENCHMARKS: Array<{ name: string; title: string; run: () => Promise<Section> }> = [
  { name: 'upstream-requests', title: '1. Upstream requests per canonical query', run: runUpstreamRequests },
  { name: 'cpu', title: '2. CPU per request', run: runCpu },
  { name: 'peers', title: '3. Peers on the same upstream and data', run: runPeers },
  { name: 'subscriptions', title: '4. Subscriptions', run: runSubscriptions },
  { name: 'cross-instance', title: '5. Cross-instance close through Redis', run: runCrossInstance },
  { name: 'device-events', title: '6. Device events', run: runDeviceEvents },
]

/** The machine, Node and commit the figures belong to, as a markdown list. */
function describeMachine(): string {
  const cpus = os.cpus()
  const { commit, dirty } = sourceVersion()
  return [
    `- Date: ${new Date().toISOString()}`,
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores (${os.availableParallelism()} available)`,
    `- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node: ${process.version}`,
    `- Commit: ${commit}${dirty ? ' (src/ has uncommitted changes)' : ''}`,
    `- Load average at start (1, 5, 15 min): ${loadAverage()}`,
  ].join('\n')
}

/** The commit of the work tree, and whether src/ differs from it. */
function sourceVersion(): { commit: string; dirty: boolean } {
  return {
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    dirty: git('status', '--porcelain', '--', 'src') !== '',
  }
}

/** The stdout of a git command, or '' when git fails. */
function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return ''
  }
}

/** The machine's load averages: other work on it makes every figure noisier. */
const loadAverage = (): string =>
  os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(', ')

async function main(): Promise<void> {
  const wanted = process.argv.slice(2)
  const unknown = wanted.filter((name) => !BENCHMARKS.some((b) => b.name === name))
  if (unknown.length > 0) {
    throw new Error(
      `Expected benchmark names among ${BENCHMARKS.map((b) => b.name).join(', ')}, got ${unknown.join(', ')}`,
    )
  }
  const selected = wanted.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => wanted.includes(b.name))
  const machine = describeMachine()
  const versionAtStart = sourceVersion()
  process.stdout.write(`# Benchmarks\n\n${machine}\n\n`)

  const started = performance.now()
  const sections: Section[] = []
  for (const benchmark of selected) {
    const begin = performance.now()
    process.stderr.write(`… ${benchmark.title}\n`)
    let section: Section
    try {
      section = await benchmark.run()
    } catch (error) {
      // One benchmark failing leaves the others' figures standing; the table says what went wrong.
      process.stderr.write(
        `${benchmark.title} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      )
      if (error instanceof Error && error.cause !== undefined)
        process.stderr.write(`  cause: ${String(error.cause)}\n`)
      section = {
        title: benchmark.title,
        summary: `Not measured: ${describeError(error)}`,
        tables: [],
        notes: [],
        targets: [],
      }
      process.exitCode = 1
    }
    section.notes.push(`Took ${((performance.now() - begin) / 1000).toFixed(1)} s.`)
    sections.push(section)
    process.stdout.write(`${renderSection(section)}\n`)
  }

  const targets = sections.flatMap((section) => section.targets)
  const targetTable = table(
    ['target (SPEC §11)', 'before', 'measured', 'met'],
    targets.map((t) => [
      t.target,
      t.before ?? '—',
      t.measured,
      t.met === undefined ? 'not measured' : t.met ? 'yes' : 'no',
    ]),
  )
  const totalSeconds = (performance.now() - started) / 1000
  process.stdout.write(`## Targets\n\n${targetTable}\n\nWhole run: ${totalSeconds.toFixed(0)} s\n`)
  // Each benchmark's processes load src/ when they start: a change to it during the run means the
  // benchmarks did not all measure the same code.
  const versionAtEnd = sourceVersion()
  const changed =
    versionAtEnd.commit !== versionAtStart.commit || versionAtEnd.dirty !== versionAtStart.dirty
      ? `- **src/ changed during the run** (commit ${versionAtEnd.commit}${versionAtEnd.dirty ? ' with uncommitted changes' : ''} at the end): run it again`
      : undefined
  if (changed !== undefined) process.stderr.write(`${changed}\n`)

  if (wanted.length === 0) {
    const results = [
      '# Benchmark results',
      '',
      'Written by `npm run bench` (see `bench/README.md` for what each benchmark measures and how to read it).',
      'Compare ratios and counts, which were measured side by side in this run, rather than absolute times.',
      '',
      machine,
      `- Load average at end (1, 5, 15 min): ${loadAverage()}`,
      `- Whole run: ${totalSeconds.toFixed(0)} s`,
      ...(changed === undefined ? [] : [changed]),
      '',
      '## Targets',
      '',
      targetTable,
      '',
      ...sections.map(renderSection),
    ].join('\n')
    writeFileSync(new URL('./RESULTS.md', import.meta.url), results)
    process.stdout.write('Wrote bench/RESULTS.md\n')
  }
}

const limit = setTimeout(() => {
  process.stderr.write(`The benchmarks did not finish within ${RUN_LIMIT_MS / 60_000} minutes; stopping.\n`)
  // The children are killed by the exit handler of lib/child.ts.
  process.exit(1)
}, RUN_LIMIT_MS)
limit.unref()

main().then(
  // Whatever a library left open (keep-alive sockets, timers), the run is over.
  () => process.exit(),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)

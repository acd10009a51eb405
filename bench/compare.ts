/**
 * What a change saved, measured side by side in one run:
 * `npx tsx bench/compare.ts [--rounds N] [--seconds S] [--queries scoped,kind,anonymous] <tree>...`
 *
 * Each `<tree>` is a git revision (`HEAD~1`, a commit) or a folder holding a copy of the gateway's
 * `src/` (`.` for this work tree). Each is compiled with this repository's benchmark children
 * (`lib/compile.ts`) and started as a gateway of its own on one shared fast upstream, in the
 * environment of benchmark 2; then every query is sent to every gateway at once, in rounds
 * (autocannon, 10 connections each), so that whatever else the machine does weighs on all alike. The
 * table gives each tree's CPU per request (the gateway process's own user+system time over the
 * requests it answered): the median over the rounds, and the median of its difference to the first
 * tree's in the same round, with every round's figure.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type FastUpstreamInfo, tokenOfSession } from './children/fast-upstream.js'
import type { GatewayInfo } from './children/gateway.js'
import { type Child, REPO_ROOT, startChild } from './lib/child.js'
import { compileTree, removeTree } from './lib/compile.js'
import { bearer, expectData, graphqlRequest } from './lib/http.js'
import { cannon } from './lib/load.js'
import { productionGatewayEnv } from './lib/production.js'
import { SCOPED_DEVICES } from './lib/queries.js'
import { table } from './lib/report.js'
import { int } from './lib/stats.js'

const QUERIES: Record<string, { query: string; authenticated: boolean }> = {
  scoped: { query: SCOPED_DEVICES, authenticated: true },
  kind: { query: 'query ViewerKind { viewer { kind } }', authenticated: true },
  anonymous: { query: '{ __typename }', authenticated: false },
}

const CONNECTIONS = 10

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  return sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const WARMUP_SECONDS = 3

interface Args {
  rounds: number
  seconds: number
  queries: string[]
  trees: string[]
}

function parseArgs(argv: string[]): Args {
  const args: Args = { rounds: 3, seconds: 4, queries: ['scoped', 'kind'], trees: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--rounds') args.rounds = Number(argv[++i])
    else if (arg === '--seconds') args.seconds = Number(argv[++i])
    else if (arg === '--queries') args.queries = (argv[++i] ?? '').split(',')
    else args.trees.push(arg)
  }
  const unknown = args.queries.filter((q) => QUERIES[q] === undefined)
  if (unknown.length > 0)
    throw new Error(`Expected queries among ${Object.keys(QUERIES).join(', ')}, got ${unknown.join(', ')}`)
  if (args.trees.length === 0)
    throw new Error('Expected at least one tree (a git revision or a folder), got none')
  return args
}

/** The folder holding `tree`'s gateway: the folder itself, or the revision's files exported. */
function sourceOf(tree: string, scratch: string): string {
  if (existsSync(path.join(tree, 'src'))) return path.resolve(tree)
  const commit = execFileSync('git', ['rev-parse', '--short', tree], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  }).trim()
  const out = path.join(scratch, commit)
  mkdirSync(out, { recursive: true })
  const archive = execFileSync('git', ['archive', commit, 'src', 'sandbox', 'test/helpers', 'package.json'], {
    cwd: REPO_ROOT,
    maxBuffer: 256 * 1024 * 1024,
  })
  execFileSync('tar', ['-x', '-C', out], { input: archive })
  return out
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const scratch = path.join(os.tmpdir(), 'seam-gw-bench', `compare-sources-${process.pid}`)
  const roots: string[] = []
  const children: Array<Child<unknown>> = []
  try {
    const upstreamRoot = compileTree('compare-upstream')
    roots.push(upstreamRoot)
    const upstream = await startChild<FastUpstreamInfo>('fast-upstream', { root: upstreamRoot })
    children.push(upstream)
    const gateways: Array<{ tree: string; child: Child<GatewayInfo> }> = []
    for (const [i, tree] of args.trees.entries()) {
      const root = compileTree(`compare-${i}`, sourceOf(tree, scratch))
      roots.push(root)
      const child = await startChild<GatewayInfo>('gateway', {
        root,
        quiet: true,
        env: productionGatewayEnv(upstream.info.url),
      })
      children.push(child)
      gateways.push({ tree, child })
    }
    const headersOf = (name: string) =>
      QUERIES[name]!.authenticated ? bearer(tokenOfSession('bench-compare')) : {}
    const load = (gateway: Child<GatewayInfo>, name: string, seconds: number) =>
      cannon({
        url: `${gateway.info.url}/graphql`,
        request: graphqlRequest(QUERIES[name]!.query, headersOf(name)),
        connections: CONNECTIONS,
        durationSeconds: seconds,
      })
    for (const { child } of gateways) {
      for (const name of args.queries) {
        await expectData(child.info.url, QUERIES[name]!.query, headersOf(name))
        await load(child, name, WARMUP_SECONDS)
      }
    }
    // Per query and tree, each round's CPU µs per request (and the requests and failures).
    const rounds = new Map<string, Array<Array<{ perRequest: number; requests: number; failed: number }>>>(
      args.queries.map((name) => [name, gateways.map(() => [])]),
    )
    for (let round = 0; round < args.rounds; round++) {
      for (const name of args.queries) {
        // Every tree under load at once: whatever else the machine does meanwhile weighs on all.
        const befores = await Promise.all(gateways.map(({ child }) => child.request<NodeJS.CpuUsage>('cpu')))
        const results = await Promise.all(gateways.map(({ child }) => load(child, name, args.seconds)))
        const afters = await Promise.all(gateways.map(({ child }) => child.request<NodeJS.CpuUsage>('cpu')))
        for (const [index, result] of results.entries()) {
          const before = befores[index]!
          const after = afters[index]!
          const micros = after.user - before.user + (after.system - before.system)
          rounds.get(name)![index]!.push({
            perRequest: micros / result.ok,
            requests: result.ok,
            failed: result.failed,
          })
        }
      }
      process.stderr.write(`round ${round + 1} of ${args.rounds} done\n`)
    }
    // Medians: a round in which the machine was busier weighs on every tree of that round alike,
    // and on the median not at all.
    const rows = args.queries.flatMap((name) => {
      const list = rounds.get(name)!
      const base = list[0]!
      const baseMedian = median(base.map((r) => r.perRequest))
      return gateways.map(({ tree }, i) => {
        const own = list[i]!
        const perRequest = median(own.map((r) => r.perRequest))
        const delta = median(own.map((r, round) => r.perRequest - base[round]!.perRequest))
        return [
          name,
          tree,
          int(own.reduce((n, r) => n + r.requests, 0)),
          `${int(perRequest)} µs`,
          i === 0
            ? ''
            : `${delta > 0 ? '+' : ''}${int(delta)} µs (${((delta / baseMedian) * 100).toFixed(1)}%)`,
          own.map((r) => int(r.perRequest)).join(' '),
          int(own.reduce((n, r) => n + r.failed, 0)),
        ]
      })
    })
    process.stdout.write(
      `${table(
        [
          'query',
          'tree',
          'requests',
          'CPU per request (median)',
          'vs the first tree (median)',
          'rounds (µs)',
          'failed',
        ],
        rows,
      )}\n` +
        `\n${args.rounds} rounds of ${args.seconds} s per query and tree; load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(', ')}\n`,
    )
  } finally {
    await Promise.all(children.map((child) => child.stop()))
    for (const root of roots) removeTree(root)
    rmSync(scratch, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)

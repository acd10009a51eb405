import path from 'node:path'

/** The parts of a V8 `.cpuprofile` (Chrome DevTools' format) that the summary reads. */
export interface CpuProfile {
  nodes: Array<{
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
    children?: number[]
  }>
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** One row of a summary: self time (the function itself) and total time (with its callees). */
export interface ProfileRow {
  key: string
  selfMicros: number
  totalMicros: number
}

/** What a profile's time went to, by function and by file or package. */
export interface ProfileSummary {
  /** Sampled time, in µs, idle time excluded. */
  busyMicros: number
  idleMicros: number
  byFunction: ProfileRow[]
  byFile: ProfileRow[]
}

/**
 * The file or package a frame belongs to: `graphql-yoga`, `@whatwg-node/server`, `src/http/server.js`,
 * `(node) _http_server` — what a change can be aimed at.
 */
export function fileOf(url: string, root: string): string {
  if (url === '') return '(native)'
  if (url.startsWith('node:')) return `(node) ${url.slice(5)}`
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url
  const modules = file.lastIndexOf('/node_modules/')
  if (modules >= 0) {
    const [scope, name] = file.slice(modules + '/node_modules/'.length).split('/')
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? file)
  }
  return path.relative(root, file)
}

/**
 * Adds up a profile's samples: each function's (and each file's) self time, and its total time
 * (every sample with it anywhere on the stack, counted once however deep it recurses).
 */
export function summarizeProfile(profile: CpuProfile, root: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const functionKey = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame
    return `${functionName || '(anonymous)'} ${fileOf(url, root)}:${lineNumber + 1}`
  }
  const fileKey = (id: number) => {
    const { functionName, url } = byId.get(id)!.callFrame
    return url === '' ? `(${functionName})` : fileOf(url, root)
  }
  const functions = new Map<string, ProfileRow>()
  const files = new Map<string, ProfileRow>()
  const row = (rows: Map<string, ProfileRow>, key: string) => {
    let found = rows.get(key)
    if (found === undefined) {
      found = { key, selfMicros: 0, totalMicros: 0 }
      rows.set(key, found)
    }
    return found
  }
  let busyMicros = 0
  let idleMicros = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const leaf = profile.samples[i]!
    // The delta before a sample is the time it stands for (V8's own convention).
    const micros = profile.timeDeltas[i] ?? 0
    // Waiting for the next event is no cost; `(program)` (V8 itself) and `(garbage collector)` are.
    if (byId.get(leaf)!.callFrame.functionName === '(idle)') {
      idleMicros += micros
      continue
    }
    busyMicros += micros
    row(functions, functionKey(leaf)).selfMicros += micros
    row(files, fileKey(leaf)).selfMicros += micros
    const seenFunctions = new Set<string>()
    const seenFiles = new Set<string>()
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const f = functionKey(id)
      if (!seenFunctions.has(f)) {
        seenFunctions.add(f)
        row(functions, f).totalMicros += micros
      }
      const file = fileKey(id)
      if (!seenFiles.has(file)) {
        seenFiles.add(file)
        row(files, file).totalMicros += micros
      }
    }
  }
  const bySelf = (a: ProfileRow, b: ProfileRow) => b.selfMicros - a.selfMicros
  return {
    busyMicros,
    idleMicros,
    byFunction: [...functions.values()].sort(bySelf),
    byFile: [...files.values()].sort(bySelf),
  }
}

/**
 * The tables a profiling script prints: the top `rows` by file or package and by function, each
 * row's self and total time in the script's own unit (`per` turns µs into it, padded), then where
 * the profile is kept.
 */
export function formatSummary(
  summary: ProfileSummary,
  { unit, per, rows, file }: { unit: string; per: (micros: number) => string; rows: number; file: string },
): string[] {
  const lines = (found: ProfileRow[]) =>
    found
      .slice(0, rows)
      .map((r) => `${per(r.selfMicros)} ${per(r.totalMicros)}  ${r.key}`)
      .join('\n')
  return [
    `${unit}: self, total — by file or package`,
    lines(summary.byFile),
    '',
    `${unit}: self, total — by function`,
    lines(summary.byFunction),
    '',
    `Profile: ${file}`,
    '',
  ]
}

import { type ChildProcess, fork } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Servers under test run in child processes of their own, so that the load generator (in the parent)
 * and the server do not share one event loop. Parent and child talk over Node's IPC channel:
 *
 * - the child sends `{ type: 'ready', info }` once it listens (or `{ type: 'failed', message }`);
 * - the parent sends `{ id, type, args }` requests; the child answers `{ id, result }` or `{ id, error }`;
 * - `{ type: 'stop' }` asks the child to dispose what it started and exit.
 *
 * Every child a run starts is recorded here and killed on the parent's exit, whatever happened.
 */

/** Absolute path of the repository root (bench/ is right below it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** A running child process that serves requests over IPC. */
export interface Child<Info> {
  /** What the child reported once ready, such as its URL. */
  readonly info: Info
  /** The child's process id. */
  readonly pid: number
  /** Sends a request to the child and resolves with its answer. */
  request<T = unknown>(type: string, args?: unknown): Promise<T>
  /** Asks the child to stop, waits for it to exit, and kills it after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>
}

/** Options of {@link startChild}. */
export interface ChildOptions {
  /** Environment variables of the child, on top of PATH and HOME (nothing else is inherited). */
  env?: Record<string, string>
  /** Extra Node flags, such as `--expose-gc`. */
  nodeFlags?: string[]
  /** How long the child may take to report ready. @default 60000 */
  readyTimeoutMs?: number
  /**
   * A compiled tree (`compileTree` of `lib/compile.ts`): the child runs as its
   * `bench/children/<name>.js` on plain `node`, in that tree. @default this tree's
   * `bench/children/<name>.ts`, under tsx
   */
  root?: string
  /** Drop the child's stdout (a gateway logging a line per request under load). @default false */
  quiet?: boolean
}

const running = new Set<ChildProcess>()

// The last resort: whatever way the parent ends, its children end with it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Starts `bench/children/<name>.ts` under tsx and waits for it to report ready.
 *
 * @throws when the child fails to start, exits early, or is not ready within the timeout; the child
 * is killed in every such case
 */
export async function startChild<Info>(name: string, options: ChildOptions = {}): Promise<Child<Info>> {
  const { root } = options
  const entry =
    root === undefined
      ? fileURLToPath(new URL(`../children/${name}.ts`, import.meta.url))
      : path.join(root, 'bench', 'children', `${name}.js`)
  const child = fork(entry, [], {
    cwd: root ?? REPO_ROOT,
    execArgv: [...(root === undefined ? ['--import', 'tsx'] : []), ...(options.nodeFlags ?? [])],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  })
  running.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  void exited.then(() => running.delete(child))

  let nextId = 0
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
    if (message.id === undefined) return
    const waiter = pending.get(message.id)
    pending.delete(message.id)
    if (message.error !== undefined) waiter?.reject(new Error(`${name}: ${message.error}`))
    else waiter?.resolve(message.result)
  })
  void exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited with a request pending`))
    pending.clear()
  })

  const timeoutMs = options.readyTimeoutMs ?? 60_000
  let info: Info
  try {
    info = await new Promise<Info>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Expected ${name} to be ready within ${timeoutMs} ms, got no answer`)),
        timeoutMs,
      )
      child.on('message', (message: { type?: string; info?: Info; message?: string }) => {
        if (message.type === 'ready') {
          clearTimeout(timer)
          resolve(message.info as Info)
        } else if (message.type === 'failed') {
          clearTimeout(timer)
          reject(new Error(`${name} failed to start: ${message.message}`))
        }
      })
      void exited.then(() => {
        clearTimeout(timer)
        reject(new Error(`${name} exited with code ${child.exitCode} before it was ready`))
      })
    })
  } catch (error) {
    child.kill('SIGKILL')
    await exited
    throw error
  }

  let stopping: Promise<void> | undefined
  return {
    info,
    pid: child.pid ?? -1,
    request<T>(type: string, args?: unknown) {
      if (!child.connected) return Promise.reject(new Error(`${name} is not running`))
      const id = nextId++
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
        child.send({ id, type, args })
      })
    },
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return
        if (child.connected) child.send({ type: 'stop' })
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
        await exited
        clearTimeout(timer)
      })()
      return stopping
    },
  }
}

/** One message to the inspector of this very process. */
const inspect = (session: Session, method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  )

/**
 * What every child answers besides its own handlers: its CPU time, its RSS, and a CPU profile of a
 * window (`bench/profile.ts`: started and stopped around the load, so the start is not in it).
 */
function commonHandlers(): ChildHandlers {
  let profiler: Session | undefined
  return {
    cpu: () => process.cpuUsage(),
    rss: () => process.memoryUsage().rss,
    'profile-start': async (intervalMicros: number) => {
      profiler = new Session()
      profiler.connect()
      await inspect(profiler, 'Profiler.enable')
      await inspect(profiler, 'Profiler.setSamplingInterval', { interval: intervalMicros })
      await inspect(profiler, 'Profiler.start')
    },
    'profile-stop': async (file: string) => {
      if (profiler === undefined) throw new Error('Expected a profile-start before profile-stop, got none')
      const { profile } = (await inspect(profiler, 'Profiler.stop')) as { profile: unknown }
      profiler.disconnect()
      profiler = undefined
      writeFileSync(file, JSON.stringify(profile))
    },
  }
}

/** Handlers a child serves, by request type. */
export type ChildHandlers = Record<string, (args: never) => unknown>

/**
 * The child's side: runs `start` (which returns what to report and how to dispose), reports ready,
 * answers the parent's requests with `handlers` (and `cpu`, `rss`, `profile-start`, `profile-stop`
 * of every child), and on `stop` (or when the parent goes away)
 * disposes and exits.
 */
export async function serveParent<Info>(
  start: () => Promise<{ info: Info; handlers?: ChildHandlers; dispose: () => Promise<void> }>,
): Promise<void> {
  // Imported for its exports by a process that is no benchmark child (the parent reads a child
  // module's types and helpers): nothing to serve.
  if (process.send === undefined) return
  const send = (message: unknown) => process.send?.(message)
  let started: Awaited<ReturnType<typeof start>>
  try {
    started = await start()
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    process.exit(1)
  }
  let exiting = false
  const exit = async (code: number) => {
    if (exiting) return
    exiting = true
    try {
      await started.dispose()
    } finally {
      process.exit(code)
    }
  }
  const handlers = { ...commonHandlers(), ...started.handlers }
  process.on('message', (message: { id?: number; type: string; args?: unknown }) => {
    if (message.type === 'stop') return void exit(0)
    if (message.id === undefined) return
    const handler = handlers[message.type] as ((args: unknown) => unknown) | undefined
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`Expected a known request type, got "${message.type}"`)
        return handler(message.args)
      })
      .then(
        (result) => send({ id: message.id, result }),
        (error: unknown) =>
          send({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
      )
  })
  // The parent died or closed the channel: nobody will ever ask this child to stop.
  process.once('disconnect', () => void exit(1))
  send({ type: 'ready', info: started.info })
}

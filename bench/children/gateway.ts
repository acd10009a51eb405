/**
 * A gateway process for the benchmarks: `createApp(loadConfig(process.env))`, exactly as
 * `src/main.ts` builds it, plus IPC answers the benchmarks need from inside the process (heap and
 * CPU time, CPU profiles of a window), so that nothing in src/ has to expose them.
 *
 * Run with `--expose-gc` to make `heap` collect garbage before it measures.
 */

import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { createApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { serveParent } from '../lib/child.js'

/** What the gateway child reports once listening. */
export interface GatewayInfo {
  url: string
  /** Its metrics listener's `/metrics` (start it with METRICS_PORT=0 when several run). */
  metricsUrl: string
}

/** The `heap` answer: `process.memoryUsage()` after full garbage collections. */
export type HeapAnswer = NodeJS.MemoryUsage

/** One message to the inspector of this very process. */
const post = (session: Session, method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  )

/** Runs every collection there is, a few times, so that what is left is what is held. */
async function collect(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('Expected the gateway child to run with --expose-gc, got no gc()')
  for (let i = 0; i < 4; i++) {
    gc()
    // Lets finalizers and weak callbacks run between collections.
    await new Promise((resolve) => setImmediate(resolve))
  }
}

await serveParent<GatewayInfo>(async () => {
  const gateway = createApp(loadConfig(process.env))
  const url = await gateway.start()
  // `bench/profile.ts` samples the CPU of the measured window only, not the start.
  let profiler: Session | undefined
  return {
    info: { url, metricsUrl: gateway.metricsUrl },
    handlers: {
      heap: async (): Promise<HeapAnswer> => {
        await collect()
        return process.memoryUsage()
      },
      cpu: () => process.cpuUsage(),
      rss: () => process.memoryUsage().rss,
      'profile-start': async (intervalMicros: number) => {
        profiler = new Session()
        profiler.connect()
        await post(profiler, 'Profiler.enable')
        await post(profiler, 'Profiler.setSamplingInterval', { interval: intervalMicros })
        await post(profiler, 'Profiler.start')
      },
      'profile-stop': async (file: string) => {
        if (profiler === undefined) throw new Error('Expected a profile-start before profile-stop, got none')
        const { profile } = (await post(profiler, 'Profiler.stop')) as { profile: unknown }
        profiler.disconnect()
        profiler = undefined
        writeFileSync(file, JSON.stringify(profile))
      },
    },
    dispose: () => gateway.stop(),
  }
})

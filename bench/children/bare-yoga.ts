/**
 * The baseline of the CPU benchmark: a bare GraphQL Yoga server (default options, one-field schema)
 * on `node:http`, in its own process like the gateway, answering `{ __typename }`. Whatever the
 * gateway costs beyond this is its own work: credentials, principal cache, limits, metrics,
 * scope-auth, DataLoaders, the upstream call and the bigger response.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSchema, createYoga } from 'graphql-yoga'
import { serveParent } from '../lib/child.js'

/** What the bare Yoga child reports once listening. */
export interface BareYogaInfo {
  url: string
}

await serveParent<BareYogaInfo>(async () => {
  const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }) })
  const server = createServer(yoga)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    info: { url: `http://127.0.0.1:${port}` },
    handlers: {
      cpu: () => process.cpuUsage(),
      rss: () => process.memoryUsage().rss,
    },
    dispose: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
})

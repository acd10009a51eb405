/**
 * The generated alternative: a GraphQL Mesh gateway built from Seam's own OpenAPI document (the
 * `openapi` export of `@seamapi/types/connect`) with `@omnigraph/openapi`, served by GraphQL Yoga,
 * calling `SEAM_ENDPOINT` with the caller's own `Authorization` header (as the gateway does).
 *
 * Every Seam route becomes a root field named by its operation id (`devicesListGet`, …); nothing
 * links one type to another, so a screen is one request with several root fields.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadGraphQLSchemaFromOpenAPI } from '@omnigraph/openapi'
import { openapi } from '@seamapi/types/connect'
import { createYoga } from 'graphql-yoga'
import { serveParent } from '../lib/child.js'

/** What the Mesh child reports once listening. */
export interface MeshInfo {
  url: string
  /** How long building the schema from the OpenAPI document took. */
  buildMs: number
}

await serveParent<MeshInfo>(async () => {
  const endpoint = process.env.SEAM_ENDPOINT
  if (endpoint === undefined) throw new Error('Expected SEAM_ENDPOINT, got none')
  const started = performance.now()
  const schema = await loadGraphQLSchemaFromOpenAPI('seam', {
    // The loader dereferences the document in place: it gets a copy.
    source: structuredClone(openapi) as never,
    endpoint,
    // Mesh's string interpolation reads the header from the GraphQL context below.
    operationHeaders: { authorization: '{context.headers.authorization}' },
  })
  const buildMs = performance.now() - started
  const yoga = createYoga({
    schema,
    logging: false,
    context: ({ request }) => ({ headers: Object.fromEntries(request.headers) }),
  })
  const server = createServer(yoga)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    info: { url: `http://127.0.0.1:${port}`, buildMs },
    handlers: { rss: () => process.memoryUsage().rss, cpu: () => process.cpuUsage() },
    dispose: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
})

/** A GraphQL response as the benchmarks read it. */
export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number
  data?: TData | null
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>
}

/** `Authorization: Bearer <token>` */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })

/** The request body and headers of a GraphQL POST, shared by `fetch` and autocannon. */
export function graphqlRequest(
  query: string,
  headers: Record<string, string> = {},
  variables: Record<string, unknown> = {},
): { method: 'POST'; headers: Record<string, string>; body: string } {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  }
}

/** POSTs a GraphQL operation to `{baseUrl}/graphql`. */
export async function postGraphQL<TData = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  headers: Record<string, string> = {},
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(`${baseUrl}/graphql`, graphqlRequest(query, headers, variables))
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>
  return { status: response.status, ...body }
}

/**
 * Like {@link postGraphQL}, but throws unless the answer is a 200 with data and no errors, naming
 * what came instead: a benchmark never measures a failing query.
 */
export async function expectData<TData = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  headers: Record<string, string> = {},
  variables: Record<string, unknown> = {},
): Promise<TData> {
  const response = await postGraphQL<TData>(baseUrl, query, headers, variables)
  if (response.status !== 200 || response.errors !== undefined || response.data == null) {
    throw new Error(
      `Expected data from ${baseUrl}, got HTTP ${response.status}: ${JSON.stringify(response.errors ?? response.data).slice(0, 300)}`,
    )
  }
  return response.data
}

/** Reads one unlabelled series of a Prometheus `/metrics` page (a gateway's `metricsUrl`); 0 when absent. */
export async function readMetric(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text()
  const line = new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)
  return line === null ? 0 : Number(line[1])
}

/** Resolves once `condition()` holds, checking every `everyMs`; throws after `timeoutMs` naming `what`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Expected ${what} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

/**
 * What graphql-ws needs from the envelop pipeline: the `execute` and `subscribe` that Yoga's
 * plugins wrapped, passed as the root value. How errors leave a socket is in
 * `contract/error-shaping.ts`.
 */
export type EnvelopedRoot = { execute: (args: unknown) => never; subscribe: (args: unknown) => never }

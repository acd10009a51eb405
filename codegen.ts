import type { CodegenConfig } from '@graphql-codegen/cli'

/** One preset for every target: typed documents (`TypedDocumentNode`) and their result types. */
const typedDocuments = {
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: {
    useTypeImports: true,
    enumsAsTypes: true,
    scalars: { DateTime: 'string', JSON: 'unknown' },
  },
} as const

/**
 * Typed documents for the operations the tests and the examples run, generated from the committed
 * `schema.graphql`; each target has its own documents, so that an example's bundle carries only its
 * own operations. `npm run check` runs this with `--check` and fails on drift.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    'test/generated/': { ...typedDocuments, documents: ['test/operations/**/*.graphql'] },
    'examples/web/src/generated/': { ...typedDocuments, documents: ['examples/web/src/**/*.graphql'] },
  },
}

export default config

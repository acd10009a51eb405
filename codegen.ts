import type { CodegenConfig } from '@graphql-codegen/cli'

/**
 * Typed documents for the operations the tests (and examples) run, generated from the committed
 * `schema.graphql`. `npm run check` runs this with `--check` and fails on drift.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
}

export default config

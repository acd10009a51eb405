import { afterAll, beforeAll, beforeEach, inject } from 'vitest'

/**
 * Coverage of what a test file's hooks run, for the mutation run's first (coverage) pass.
 *
 * Stryker's per-test coverage counts code reached outside a test as "static", as if only loading a
 * module reached it. Here most code runs in `beforeAll`: the gateway and its upstream start there,
 * and every test of the file then talks to that gateway. Counted as static, such a mutant is either
 * ignored (`ignoreStatic`) or tested by the whole suite. Yet the mutant is active while those hooks
 * run (Stryker activates it in a `beforeAll` of its own, registered before this file's), so what a
 * file's hooks reach is covered by every test of that file, and is recorded so. Only code run while
 * modules load stays static.
 */

type Coverage = Record<string, number>
interface StrykerGlobal {
  currentTestId?: string | undefined
  mutantCoverage?: { static: Coverage; perTest: Record<string, Coverage> }
}

// Provided by @stryker-mutator/vitest-runner: 'dry-run' in the coverage pass, 'mutant' afterwards.
const provided = inject as unknown as (key: string) => unknown

if (provided('mode') === 'dry-run') {
  const namespace = provided('globalNamespace') as string
  const globals = globalThis as unknown as Record<string, StrykerGlobal>
  globals[namespace] ??= {}
  const ns = globals[namespace]
  const testIds = new Set<string>()
  let hooksId = ''

  // Vitest reads the first parameter for fixtures: it must be a destructuring pattern.
  // biome-ignore lint/correctness/noEmptyPattern: no fixtures are used
  beforeAll(({}, suite) => {
    hooksId = `${suite.file.filepath}#(hooks)`
    testIds.clear()
    // Stryker's own hooks set the id before each test and clear it after; between tests (in the
    // file's beforeAll/afterAll and its describes') the id is this file's hooks.
    let current: string | undefined
    Object.defineProperty(ns, 'currentTestId', {
      configurable: true,
      enumerable: true,
      get: () => current ?? hooksId,
      set: (id: string | undefined) => {
        current = id
      },
    })
  })

  beforeEach(({ task }) => {
    // The same id Stryker gives the test (its setup file's toRawTestId).
    const names = [task.name]
    for (let suite = task.suite; suite; suite = suite.suite) names.unshift(suite.name)
    testIds.add(`${task.file.filepath}#${names.join(' ').trim()}`)
  })

  // After hooks run in reverse order: this one after the file's own, before Stryker's, which
  // reports the coverage.
  afterAll(() => {
    Object.defineProperty(ns, 'currentTestId', {
      configurable: true,
      enumerable: true,
      writable: true,
      value: undefined,
    })
    const perTest = ns.mutantCoverage?.perTest
    const hooks = perTest?.[hooksId]
    if (perTest === undefined || hooks === undefined) return
    delete perTest[hooksId]
    for (const id of testIds) {
      perTest[id] ??= {}
      const coverage = perTest[id]
      for (const [mutant, hits] of Object.entries(hooks)) coverage[mutant] = (coverage[mutant] ?? 0) + hits
    }
  })
}

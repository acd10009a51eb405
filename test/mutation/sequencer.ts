import { relative } from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The order of test files against each mutant: a file that failed in the previous run first (the
 * previous mutant was most likely its neighbour, and is killed by the same tests), then the
 * shortest first. A killed mutant stops at its first failing test (bail), so the sooner a killing
 * test runs, the cheaper the mutant.
 */
export default class KillersFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const results = (file: TestSpecification) =>
      this.ctx.cache.getFileTestResults(
        `${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`,
      )
    return [...files].sort((a, b) => {
      const stateA = results(a)
      const stateB = results(b)
      if (stateA?.failed !== stateB?.failed) return stateA?.failed ? -1 : 1
      return (stateA?.duration ?? 0) - (stateB?.duration ?? 0)
    })
  }
}

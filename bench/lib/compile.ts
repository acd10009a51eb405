import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ts from 'typescript'
import { REPO_ROOT } from './child.js'

/** The folders a benchmark child may load from the tree compiled: the gateway and the sandbox. */
const SOURCES = ['src', 'sandbox', 'test/helpers']
/** The benchmark's own, always from this repository: children and what they share. */
const BENCH = ['bench/children', 'bench/lib']

/** The TypeScript files under `dir`, recursively, relative to `root`. */
function typescriptFiles(root: string, dir: string): string[] {
  const entries = readdirSync(path.join(root, dir), { withFileTypes: true })
  return entries.flatMap((entry) => {
    const relative = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'test' ? [] : typescriptFiles(root, relative)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : []
  })
}

/**
 * Compiles the gateway at `source` (this repository by default, or a copy of another commit's
 * files) with this repository's benchmark children to plain JavaScript under a temporary folder,
 * with this repository's `node_modules`, and returns that folder: its `bench/children/<name>.js`
 * run on plain `node`, as `npm start` runs the gateway from `dist/` (production mode), without
 * tsx's loader, which adds tens of MiB of RSS and source-mapped stacks. Each file is transpiled
 * alone (`isolatedModules`), which takes seconds; type errors are `npm run check`'s business.
 */
export function compileTree(label: string, source: string = REPO_ROOT): string {
  const out = path.join(os.tmpdir(), 'seam-gw-bench', `${label}-${process.pid}`)
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const files = [
    ...SOURCES.map((dir) => ({ from: source, dir })),
    ...BENCH.map((dir) => ({ from: REPO_ROOT, dir })),
  ].flatMap(({ from, dir }) => typescriptFiles(from, dir).map((file) => ({ from, file })))
  for (const { from, file } of files) {
    const { outputText } = ts.transpileModule(readFileSync(path.join(from, file), 'utf8'), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        // ES modules throughout, as package.json's `"type": "module"` makes them.
        module: ts.ModuleKind.ES2022,
        verbatimModuleSyntax: true,
        esModuleInterop: true,
      },
    })
    const target = path.join(out, file.replace(/\.ts$/, '.js'))
    mkdirSync(path.dirname(target), { recursive: true })
    writeFileSync(target, outputText)
  }
  cpSync(path.join(REPO_ROOT, 'bench/fixtures'), path.join(out, 'bench/fixtures'), { recursive: true })
  cpSync(path.join(source, 'package.json'), path.join(out, 'package.json'))
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir')
  return out
}

/** Removes what {@link compileTree} made. */
export function removeTree(out: string): void {
  rmSync(out, { recursive: true, force: true })
}

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js'

// Production never loads the sandbox: nothing under src/ imports the sandbox folder or Seam's fake,
// except the one dynamic import with which src/main.ts starts the sandbox in sandbox mode. Checked
// twice: in the source (every import specifier of every file), and in a real process on a Seam
// endpoint, whose every resolved module is recorded.

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SRC = join(ROOT, 'src')
const SANDBOX = join(ROOT, 'sandbox')
const FAKE = '@seamapi/fake-seam-connect'
const MODULE_HOOK = fileURLToPath(new URL('./helpers/module-log/register.mjs', import.meta.url))

/** Every TypeScript file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** One module a file names: statically (import, export … from, require) or with `import()`. */
interface ModuleReference {
  file: string
  specifier: string
  dynamic: boolean
}

/** Every module `file` names, and every `import()` or `require()` whose argument is not a string literal. */
function moduleReferences(file: string): { references: ModuleReference[]; computed: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const references: ModuleReference[] = []
  const computed: string[] = []
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      references.push({ file, specifier: node.moduleSpecifier.text, dynamic: false })
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      references.push({ file, specifier: node.moduleReference.expression.text, dynamic: false })
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal
      if (ts.isStringLiteral(literal)) references.push({ file, specifier: literal.text, dynamic: false })
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require'
      if (isImport || isRequire) {
        const [argument] = node.arguments
        if (argument !== undefined && ts.isStringLiteralLike(argument)) {
          references.push({ file, specifier: argument.text, dynamic: isImport })
        } else {
          computed.push(`${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.pos).line + 1}`)
        }
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return { references, computed }
}

/** True when `reference` names the sandbox folder or Seam's fake. */
function namesTheSandbox({ file, specifier }: ModuleReference): boolean {
  if (specifier === FAKE || specifier.startsWith(`${FAKE}/`)) return true
  if (!specifier.startsWith('.')) return false
  const target = resolve(dirname(file), specifier)
  return target === SANDBOX || target.startsWith(`${SANDBOX}/`)
}

describe('the source of src/', () => {
  const scanned = sourceFiles(SRC).map(moduleReferences)
  const references = scanned.flatMap((file) => file.references)

  it('is scanned: every file, with the imports it is known to have', () => {
    expect(scanned.length).toBeGreaterThan(40)
    expect(references).toContainEqual({
      file: join(SRC, 'app.ts'),
      specifier: './graphql/yoga.js',
      dynamic: false,
    })
  })

  it('imports modules by name only: no import() or require() of a computed specifier', () => {
    expect(scanned.flatMap((file) => file.computed)).toEqual([])
  })

  it('names the sandbox folder or Seam fake only in the dynamic import of src/main.ts', () => {
    const found = references
      .filter(namesTheSandbox)
      .map(({ file, specifier, dynamic }) => ({ file: relative(ROOT, file), specifier, dynamic }))
    expect(found).toEqual([{ file: 'src/main.ts', specifier: '../sandbox/embedded.js', dynamic: true }])
  })
})

/** A gateway process started as `npm start` starts it, with the modules it resolved recorded. */
interface Started {
  child: ChildProcessWithoutNullStreams
  url: string
  /** The URLs the process has resolved so far. */
  modules: () => string[]
}

const logDir = mkdtempSync(join(tmpdir(), 'production-imports-'))
const processes: ChildProcessWithoutNullStreams[] = []
let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox()
})

afterAll(async () => {
  // Whatever happened, no process outlives the file.
  await Promise.all(
    processes.map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit')
        child.kill('SIGKILL')
        await exited
      }
    }),
  )
  await sandbox?.stop()
  rmSync(logDir, { recursive: true, force: true })
})

async function startGateway(name: string, env: Record<string, string>): Promise<Started> {
  const logFile = join(logDir, `${name}.log`)
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', MODULE_HOOK, 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'silent',
      MODULE_LOG: logFile,
      ...env,
    },
  })
  processes.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const deadline = Date.now() + 15_000
  while (!/Metrics: \S+\n/.test(stdout)) {
    if (child.exitCode !== null)
      throw new Error(`Expected the gateway to start, it exited with ${child.exitCode}: ${stderr}`)
    if (Date.now() > deadline)
      throw new Error(`Expected the start banner within 15 s, got: ${stdout}${stderr}`)
    await sleep(20)
  }
  const url = /Seam GraphQL Gateway listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout)?.[1]
  if (url === undefined) throw new Error(`Expected the gateway's URL in the banner, got:\n${stdout}`)
  const modules = () =>
    readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
  return { child, url, modules }
}

/** The recorded modules of the OpenTelemetry SDK, exporter and instrumentations (not the API). */
const tracingModules = (modules: string[]) =>
  modules.filter((url) => /\/node_modules\/@opentelemetry\/(?!api\/)/.test(url))

/** The recorded modules that belong to the sandbox folder or to Seam's fake. */
const sandboxModules = (modules: string[]) =>
  modules.filter((url) => url.includes(`/node_modules/${FAKE}/`) || url.startsWith(`file://${SANDBOX}/`))

describe('a gateway process', () => {
  it('on a Seam endpoint never loads the sandbox or Seam fake, through start, a query, GraphiQL and SIGTERM', async () => {
    const gateway = await startGateway('production', {
      SEAM_ENDPOINT: sandbox.url,
      SEAM_API_KEY: sandbox.apiKey,
      GRAPHIQL: 'true',
    })
    // What is loaded on first use: the request path, the upstream client, GraphiQL's bundle.
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
      body: JSON.stringify({ query: '{ viewer { kind } devices { nodes { deviceId } } }' }),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      data: { viewer: { kind: 'WORKSPACE' }, devices: { nodes: expect.any(Array) } },
    })
    const graphiql = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } })
    expect(graphiql.status).toBe(200)
    await graphiql.text()

    const exited = once(gateway.child, 'exit')
    gateway.child.kill('SIGTERM')
    expect(await exited).toEqual([0, null])

    const modules = gateway.modules()
    // The record is complete: the entry, the composition root and the lazily loaded GraphiQL.
    expect(modules).toContain(`file://${SRC}/main.ts`)
    expect(modules).toContain(`file://${SRC}/app.ts`)
    expect(modules.some((url) => url.includes('/node_modules/@graphql-yoga/render-graphiql/'))).toBe(true)
    expect(sandboxModules(modules)).toEqual([])
    // Tracing is off (no OTEL_*): its SDK is never loaded.
    expect(tracingModules(modules)).toEqual([])
  })

  it('with OTEL_EXPORTER_OTLP_ENDPOINT loads the SDK and exports the spans of a query, flushed on SIGTERM', async () => {
    const received: Array<{ path: string; body: Buffer }> = []
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: Buffer.concat(chunks) })
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{}')
      })
    })
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = collector.address() as AddressInfo
      const gateway = await startGateway('traced', {
        SEAM_ENDPOINT: sandbox.url,
        SEAM_API_KEY: sandbox.apiKey,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_SERVICE_NAME: 'traced-gateway-under-test',
      })
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.apiKey}` },
        body: JSON.stringify({ query: 'query Traced { devices { nodes { deviceId } } }' }),
      })
      expect(response.status).toBe(200)
      const exited = once(gateway.child, 'exit')
      gateway.child.kill('SIGTERM')
      expect(await exited).toEqual([0, null])

      expect(tracingModules(gateway.modules()).length).toBeGreaterThan(0)
      // OTLP/HTTP (protobuf): the strings are in the body as they are.
      const exported = Buffer.concat(received.map((request) => request.body)).toString('latin1')
      expect(received.map((request) => request.path)).toContain('/v1/traces')
      for (const text of [
        'traced-gateway-under-test',
        'POST /graphql',
        'graphql.operation',
        'seam /devices/list',
        'Traced',
      ]) {
        expect(exported).toContain(text)
      }
      expect(exported).not.toContain(sandbox.apiKey)
    } finally {
      collector.closeAllConnections()
      await new Promise<void>((resolve) => collector.close(() => resolve()))
    }
  })

  it('in sandbox mode (no SEAM_ENDPOINT) loads both, so the record would show them', async () => {
    const gateway = await startGateway('sandbox-mode', {})
    const exited = once(gateway.child, 'exit')
    gateway.child.kill('SIGTERM')
    expect(await exited).toEqual([0, null])

    const loaded = sandboxModules(gateway.modules())
    expect(loaded).toContain(`file://${SANDBOX}/embedded.ts`)
    expect(loaded.some((url) => url.includes(`/node_modules/${FAKE}/`))).toBe(true)
  })
})

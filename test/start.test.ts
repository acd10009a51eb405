import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { createClient } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

const SEED_DEVICES = [
  'august_device_1',
  'august_device_2',
  'ecobee_device_1',
  'minut_device_1',
  'schlage_device_id',
]
const JOHN_DEVICES = ['august_device_1', 'august_device_2', 'ecobee_device_1', 'minut_device_1']

/** What a newcomer finds in GraphiQL's editor (SPEC §8). */
const EXAMPLE_QUERY = [
  '# Press run: the demo client session token',
  '# is already in the Headers pane below.',
  'query MyDevices {',
  '  viewer {',
  '    kind',
  '    clientSession {',
  '      userIdentifierKey',
  '      devices {',
  '        nodes {',
  '          deviceId',
  '          displayName',
  '          deviceType',
  '          locked',
  '          online',
  '        }',
  '      }',
  '    }',
  '  }',
  '}',
  '',
  '# Live device state: open a new tab (+), paste the line',
  '# below without its #, press run, then lock or unlock',
  '# august_device_1 (the web example, or unlockDoor here).',
  '# subscription { deviceEvents { eventType deviceId device { locked online } } }',
  '',
].join('\n')

/** A gateway started as `npm start` starts it, with what it printed. */
interface Started {
  child: ChildProcessWithoutNullStreams
  stdout: () => string
  stderr: () => string
  banner: { url: string; graphiql: string; apiKey: string; demoToken: string; metrics: string }
}

/** Every process a test started: none outlives the file. */
const processes: ChildProcessWithoutNullStreams[] = []

/** `npm start` as a newcomer runs it: no Seam variables, so the embedded sandbox. */
async function npmStart(): Promise<Started> {
  // Node itself with tsx's loader, not the `tsx` wrapper: the wrapper forwards SIGTERM and gives its
  // child only a moment to report before it exits 143 on its own, which would hide the real exit.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // Nothing of the test runner's environment but PATH: the defaults must be enough.
    env: { PATH: process.env.PATH, PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent' },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const started = { child, stdout: () => stdout, stderr: () => stderr }
  processes.push(child)

  // The banner ends with the operations line; wait for it (or for the process to die).
  const deadline = Date.now() + 15_000
  while (!/Metrics: \S+\n/.test(stdout)) {
    if (child.exitCode !== null) throw new Error(`The gateway exited with ${child.exitCode}: ${stderr}`)
    if (Date.now() > deadline)
      throw new Error(`Expected the start banner within 15 s, got: ${stdout}${stderr}`)
    await sleep(20)
  }
  const url = /Seam GraphQL Gateway listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout)?.[1]
  const graphiql = /GraphiQL: +(\S+)\n/.exec(stdout)?.[1]
  const apiKey = /Sandbox API key \(workspace\): +(\S+)\n/.exec(stdout)?.[1]
  const demoToken = /Demo client session token: +(\S+)\n/.exec(stdout)?.[1]
  const metrics = /Metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)\n/.exec(stdout)?.[1]
  if (!url || !graphiql || !apiKey || !demoToken || !metrics)
    throw new Error(`Expected a complete banner, got:\n${stdout}`)
  return { ...started, banner: { url, graphiql, apiKey, demoToken, metrics } }
}

/** The gateway the read-only tests share. */
let shared: Started
let banner: Started['banner']
/** The SIGTERM test's own gateway (started beside the shared one, to overlap the start-up). */
let toStop: Started

beforeAll(async () => {
  ;[shared, toStop] = await Promise.all([npmStart(), npmStart()])
  banner = shared.banner
}, 20_000)

afterAll(async () => {
  // Whatever happened, no process outlives the file: SIGTERM lets the gateway stop its sandbox and
  // listeners; SIGKILL only if it hangs.
  await Promise.all(
    processes.map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit')
        child.kill('SIGTERM')
        const hung = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(hung)
      }
    }),
  )
})

async function graphql(query: string, token: string) {
  const response = await fetch(banner.graphiql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  })
  return { status: response.status, body: await response.json() }
}

describe('npm start (tsx src/main.ts) on the embedded sandbox', () => {
  it('prints a banner with the GraphiQL URL, the sandbox API key and a demo client session token', () => {
    expect(banner.graphiql).toBe(`${banner.url}/graphql`)
    expect(banner.apiKey).toBe('seam_apikey1_token')
    expect(banner.demoToken).toMatch(/^seam_cst/)
    const stdout = shared.stdout()
    expect(stdout).toContain(`Upstream:  embedded Seam sandbox at http://127.0.0.1:`)
    expect(stdout).toContain(`-H 'authorization: Bearer ${banner.demoToken}'`)
    expect(stdout).toContain(
      `Health: ${banner.url}/health   Ready: ${banner.url}/ready   Metrics: ${banner.metrics}`,
    )
    // The metrics listener is not the public one (METRICS_PORT, loopback).
    expect(banner.metrics).not.toBe(`${banner.url}/metrics`)
    // LOG_LEVEL=silent: the banner is all there is.
    expect(shared.stderr()).toBe('')
  })

  it('serves the workspace and its 5 seeded devices to the printed API key', async () => {
    expect(await graphql('{ viewer { kind } devices { nodes { deviceId } } }', banner.apiKey)).toEqual({
      status: 200,
      body: {
        data: {
          viewer: { kind: 'WORKSPACE' },
          devices: { nodes: SEED_DEVICES.map((deviceId) => ({ deviceId })) },
        },
      },
    })
  })

  it("serves John's 4 devices to the printed demo token", async () => {
    expect(
      await graphql('{ viewer { kind clientSession { devices { nodes { deviceId } } } } }', banner.demoToken),
    ).toEqual({
      status: 200,
      body: {
        data: {
          viewer: {
            kind: 'CLIENT_SESSION',
            clientSession: { devices: { nodes: JOHN_DEVICES.map((deviceId) => ({ deviceId })) } },
          },
        },
      },
    })
  })

  it('opens GraphiQL with the example query and the demo token in its headers', async () => {
    const response = await fetch(banner.graphiql, { headers: { accept: 'text/html' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await response.text()
    expect(html).toContain('<title>Seam GraphQL Gateway</title>')
    // The page embeds GraphiQL's options as JSON: the query and the headers appear as JSON strings.
    expect(html).toContain(`"defaultQuery":${JSON.stringify(EXAMPLE_QUERY)}`)
    const headers = JSON.stringify({ authorization: `Bearer ${banner.demoToken}` }, null, 2)
    expect(html).toContain(`"headers":${JSON.stringify(headers)}`)
  })

  it('answers the example query with data when run with the demo token, as GraphiQL sends it', async () => {
    const device = (deviceId: string, deviceType: string, locked: boolean | null) => ({
      deviceId,
      displayName: 'Smart Device',
      deviceType,
      locked,
      online: true,
    })
    expect(await graphql(EXAMPLE_QUERY, banner.demoToken)).toEqual({
      status: 200,
      body: {
        data: {
          viewer: {
            kind: 'CLIENT_SESSION',
            clientSession: {
              userIdentifierKey: expect.stringMatching(/^demo-user-[0-9a-f]{6}$/),
              devices: {
                nodes: [
                  device('august_device_1', 'august_lock', true),
                  device('august_device_2', 'august_lock', true),
                  device('ecobee_device_1', 'ecobee_thermostat', null),
                  device('minut_device_1', 'minut_sensor', null),
                ],
              },
            },
          },
        },
      },
    })
  })

  it('stops on SIGTERM: closes open sockets with 1001 and exits 0 within a few seconds', async () => {
    // Its own process: the other tests' gateway stays up whatever order the tests run in.
    const { child, stderr, banner } = toStop
    const closes: Array<{ code: number; reason: string }> = []
    let connected = false
    const client = createClient({
      url: `${banner.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${banner.apiKey}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => {},
      on: {
        connected: () => {
          connected = true
        },
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string }
          closes.push({ code, reason })
        },
      },
    })
    try {
      const deadline = Date.now() + 3000
      while (!connected && Date.now() < deadline) await sleep(10)
      expect(connected).toBe(true)

      const started = Date.now()
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const [code, signal] = await Promise.race([
        exited,
        sleep(5000).then(() => {
          throw new Error('Expected the gateway to exit within 5 s of SIGTERM')
        }),
      ])
      expect({ code, signal }).toEqual({ code: 0, signal: null })
      expect(Date.now() - started).toBeLessThan(5000)
      expect(closes).toEqual([{ code: 1001, reason: 'Going away' }])
      // The stop is logged as a JSON line like every other (LOG_LEVEL=silent here): nothing on stderr.
      expect(stderr()).toBe('')
    } finally {
      await client.dispose()
    }
  })
})

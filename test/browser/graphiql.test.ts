import { copyFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DeleteClientSessionDocument } from '../generated/graphql.js'
import { bearer, startTestGateway, type TestGateway } from '../helpers/gateway.js'
import {
  allowOnlyLoopback,
  launchChromium,
  openSubscriptions,
  screenshotPath,
  waitForOpenSubscriptions,
} from './chromium.js'

// SPEC §8: in sandbox mode GraphiQL opens with the example query and the demo token in its headers,
// so a newcomer who presses run sees data; §6: a subscription started there hears of its session's
// deletion. Each test opens GraphiQL afresh, as a newcomer would: look, run, subscribe.

const SUBSCRIPTION = 'subscription { clientSessionDeleted { clientSessionId reason } }'
/** What a newcomer sees in the editor, written out here: the gateway's copy is what is under test. */
const EXAMPLE_QUERY = `# Press run: the demo client session token
# is already in the Headers pane below.
query MyDevices {
  viewer {
    kind
    clientSession {
      userIdentifierKey
      devices {
        nodes {
          deviceId
          displayName
          deviceType
          locked
          online
        }
      }
    }
  }
}

# Live device state: open a new tab (+), paste the line
# below without its #, press run, then lock or unlock
# august_device_1 (the web example, or unlockDoor here).
# subscription { deviceEvents { eventType deviceId device { locked online } } }
`
/** Set to copy the screenshot of a real result to docs/graphiql.png (the README's picture). */
const UPDATE_DOCS_SCREENSHOT = process.env.UPDATE_DOCS_SCREENSHOTS === '1'
const DOCS_SCREENSHOT = fileURLToPath(new URL('../../docs/graphiql.png', import.meta.url))

interface MyDevicesResult {
  viewer: {
    kind: string
    clientSession: {
      userIdentifierKey: string | null
      devices: { nodes: Array<{ deviceId: string }> }
    } | null
  }
}

/** What one of GraphiQL's WebSockets did, for failure messages (never the token itself). */
interface SocketRecord {
  url: string
  connectionInitPayloadKeys: string[] | undefined
  received: string[]
  closed: boolean
}

/** A GraphiQL page of its own, with what it did. */
interface GraphiqlPage {
  page: Page
  /** Requests the page made outside this machine (refused). */
  refused: string[]
  pageErrors: string[]
  sockets: SocketRecord[]
}

let t: TestGateway | undefined
/** The subscription test's own gateway: it deletes that gateway's demo session. */
let forDeletion: TestGateway | undefined
let browser: Browser | undefined
const contexts: BrowserContext[] = []

// Each test awaits `ready` first: a setup failure (Chromium missing, above all) then fails every test
// with its message, where a failing beforeAll would leave them reported as skipped.
let ready: Promise<void>
beforeAll(() => {
  ready = setUp()
  ready.catch(() => {})
})

async function setUp(): Promise<void> {
  ;[browser, t, forDeletion] = await Promise.all([launchChromium(), startTestGateway(), startTestGateway()])
}

/**
 * Opens GraphiQL on `gateway` in a fresh browser context (only this machine reachable) and waits for
 * its editor: each test starts from the page a newcomer opens.
 */
async function openGraphiql(gateway: TestGateway): Promise<GraphiqlPage> {
  // Tall enough for Monaco to render every line of the example query's result.
  const context = await browser!.newContext({ viewport: { width: 1280, height: 1100 } })
  contexts.push(context)
  const refused = await allowOnlyLoopback(context)
  const page = await context.newPage()
  const pageErrors: string[] = []
  const sockets: SocketRecord[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('websocket', (socket) => {
    const record: SocketRecord = {
      url: socket.url(),
      connectionInitPayloadKeys: undefined,
      received: [],
      closed: false,
    }
    sockets.push(record)
    socket.on('framesent', ({ payload }) => {
      const message = tryParseJson(String(payload)) as { type?: string; payload?: object } | undefined
      if (message?.type === 'connection_init')
        record.connectionInitPayloadKeys = Object.keys(message.payload ?? {})
    })
    socket.on('framereceived', ({ payload }) => {
      const message = tryParseJson(String(payload)) as { type?: string } | undefined
      record.received.push(message?.type ?? 'unparsable')
    })
    socket.on('close', () => {
      record.closed = true
    })
  })
  await page.goto(`${gateway.url}/graphql`)
  await page
    .locator('.graphiql-query-editor .view-line')
    .first()
    .waitFor({ timeout: 30_000 })
    .catch(() => {
      throw new Error(
        `Expected GraphiQL's editor within 30 s; the page asked for ${JSON.stringify(refused)} outside this ` +
          `machine and threw ${JSON.stringify(pageErrors)}`,
      )
    })
  return { page, refused, pageErrors, sockets }
}

// Every page a test opened is closed after it, pass or fail.
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()))
})

afterAll(async () => {
  // Whatever the setup got as far as starting is disposed, even when it failed half-way.
  await ready?.catch(() => {})
  await browser?.close()
  await t?.stop()
  await forDeletion?.stop()
})

describe('GraphiQL on a sandbox-mode gateway, in Chromium', () => {
  it('opens with no network, the example query in its editor and the demo token in its headers', async () => {
    await ready
    const gateway = t!
    const { page, refused } = await openGraphiql(gateway)
    // Everything GraphiQL needs comes from the gateway itself: no CDN.
    expect(refused).toEqual([])

    expect(await editorText(page, '.graphiql-query-editor')).toBe(EXAMPLE_QUERY)

    await page.getByRole('button', { name: 'Headers', exact: true }).click()
    const headers = await editorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)')
    expect(parseJson(headers)).toEqual({ authorization: `Bearer ${gateway.demoToken}` })
    await page.screenshot({ path: await screenshotPath('graphiql-opened') })
  }, 60_000)

  it("runs the example query and shows the demo user's devices in the result pane", async () => {
    await ready
    const gateway = t!
    const { page } = await openGraphiql(gateway)
    await page.locator('.graphiql-execute-button').click()
    await page
      .locator('.graphiql-response .view-line', { hasText: 'august_device_1' })
      .first()
      .waitFor({ timeout: 15_000 })
    const shown = parseJson(await editorText(page, '.graphiql-response')) as { data: MyDevicesResult }

    // The pane shows exactly what the gateway answers over HTTP with the demo token.
    const direct = await gateway.execute(
      parse(EXAMPLE_QUERY) as TypedDocumentNode<MyDevicesResult, Record<string, never>>,
      {},
      bearer(gateway.demoToken),
    )
    expect(direct.status).toBe(200)
    expect(shown).toEqual(direct.body)
    expect(shown.data.viewer.kind).toBe('CLIENT_SESSION')
    expect(shown.data.viewer.clientSession?.devices.nodes.map((device) => device.deviceId)).toEqual(
      expect.arrayContaining(['august_device_1', 'august_device_2']),
    )

    const screenshot = await screenshotPath('graphiql-devices')
    await page.screenshot({ path: screenshot })
    if (UPDATE_DOCS_SCREENSHOT) await copyFile(screenshot, DOCS_SCREENSHOT)
  }, 60_000)

  it('shows the deletion event in a subscription run from GraphiQL with the demo token', async () => {
    await ready
    const gateway = forDeletion!
    const clientSessionId = gateway.demo!.clientSessionId
    const { page, sockets } = await openGraphiql(gateway)
    await replaceQuery(page, SUBSCRIPTION)
    await page.locator('.graphiql-execute-button').click()
    await waitForOpenSubscriptions(
      gateway.url,
      1,
      () =>
        `GraphiQL's WebSockets: ${JSON.stringify(sockets)}. An empty connection_init payload means the ` +
        "headers pane's authorization never reached the gateway (GraphiQL sends it with HTTP and SSE " +
        'requests, not in graphql-ws connectionParams).',
    )

    // The workspace deletes the demo session over HTTP, as a backend would.
    const deleted = await gateway.execute(
      DeleteClientSessionDocument,
      { clientSessionId },
      bearer(gateway.apiKey),
    )
    expect({ status: deleted.status, body: deleted.body }).toEqual({
      status: 200,
      body: { data: { deleteClientSession: { clientSessionId } } },
    })

    await page
      .locator('.graphiql-response .view-line', { hasText: 'clientSessionDeleted' })
      .first()
      .waitFor({ timeout: 10_000 })
    expect(parseJson(await editorText(page, '.graphiql-response'))).toEqual({
      data: { clientSessionDeleted: { clientSessionId, reason: 'DELETED' } },
    })
    await page.screenshot({ path: await screenshotPath('graphiql-subscription') })
  }, 60_000)

  it("runs the example's deviceEvents subscription from a new tab, which shows an unlock as it happens", async () => {
    await ready
    const gateway = t!
    const { page } = await openGraphiql(gateway)
    // What the comment says: the line without its #, in a new tab.
    const line = (await editorText(page, '.graphiql-query-editor'))
      .split('\n')
      .find((text) => text.startsWith('# subscription '))
    expect(line).toBe('# subscription { deviceEvents { eventType deviceId device { locked online } } }')
    await page.locator('.graphiql-tab-add').click()
    await replaceQuery(page, line!.slice(2))
    const before = await openSubscriptions(gateway.url)
    await page.locator('.graphiql-execute-button').click()
    await waitForOpenSubscriptions(gateway.url, before + 1)

    const unlocked = await gateway.execute(
      parse(
        'mutation { unlockDoor(deviceId: "august_device_1") { actionAttempt { status } } }',
      ) as TypedDocumentNode<unknown, Record<string, never>>,
      {},
      bearer(gateway.demoToken),
    )
    expect(unlocked.body).toEqual({ data: { unlockDoor: { actionAttempt: { status: 'PENDING' } } } })
    await page
      .locator('.graphiql-response .view-line', { hasText: 'UNLOCKED' })
      .first()
      .waitFor({ timeout: 10_000 })
    const shown = parseJson(await editorText(page, '.graphiql-response')) as {
      data: { deviceEvents: { eventType: string; deviceId: string; device: { locked: boolean } } }
    }
    expect(shown.data.deviceEvents).toMatchObject({
      eventType: 'UNLOCKED',
      deviceId: 'august_device_1',
      device: { locked: false },
    })
    await page.screenshot({ path: await screenshotPath('graphiql-device-events') })
  }, 60_000)
})

/**
 * The text of a Monaco editor, as the person sees it: its rendered lines in order of position
 * (Monaco reuses line elements, so document order may differ), with its non-breaking spaces as spaces.
 */
async function editorText(page: Page, selector: string): Promise<string> {
  return page
    .locator(selector)
    .first()
    .evaluate((editor) =>
      [...editor.querySelectorAll<HTMLElement>('.view-line')]
        .map((line) => ({ top: Number.parseFloat(line.style.top), text: line.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text.replaceAll('\u00a0', ' '))
        .join('\n'),
    )
}

/** Replaces the query editor's text as a person would: click in it, select all, paste. */
async function replaceQuery(page: Page, query: string): Promise<void> {
  await page.locator('.graphiql-query-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(query)
  expect(await editorText(page, '.graphiql-query-editor')).toBe(query)
  // GraphiQL takes the operation name from the text after a debounce, as a person types; run at
  // once, it would still ask for the example's MyDevices ("Cannot infer operation MyDevices").
  await page.waitForTimeout(500)
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Parses what a pane shows; throws with the text when it is not whole JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`Expected JSON, got ${JSON.stringify(text.slice(0, 500))}`)
  }
}

import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { build, type PreviewServer, preview } from 'vite'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SignedInDevicesDocument } from '../../examples/web/src/generated/graphql.js'
import { CreateClientSessionDocument, DeleteClientSessionDocument } from '../generated/graphql.js'
import { bearer, startTestGateway, type TestGateway } from '../helpers/gateway.js'
import { allowOnlyLoopback, launchChromium, screenshotPath, waitForOpenSubscriptions } from './chromium.js'

// examples/web, built for production with Vite and served from another origin than the gateway's (as
// a real front end is): a client session token shows its user's devices over HTTP, and the screen
// signs out live when the session is deleted, through the clientSessionDeleted subscription over
// graphql-ws, or through the socket's 4403 close when the event is lost.

const VITE_CONFIG = fileURLToPath(new URL('../../examples/web/vite.config.ts', import.meta.url))
const JOHN_ACCOUNT = 'john_connected_account_id'
/** Set to copy the signed-in screenshot to docs/web-example.png (the README's picture). */
const UPDATE_DOCS_SCREENSHOT = process.env.UPDATE_DOCS_SCREENSHOTS === '1'
const DOCS_SCREENSHOT = fileURLToPath(new URL('../../docs/web-example.png', import.meta.url))

let browser: Browser | undefined
let outDir: string | undefined
let app: PreviewServer | undefined
let appOrigin: string
let t: TestGateway | undefined
const contexts: BrowserContext[] = []

// Each test awaits `ready` first: a setup failure (Chromium missing, above all) then fails every test
// with its message, where a failing beforeAll would leave them reported as skipped.
let ready: Promise<void>
beforeAll(() => {
  ready = setUp()
  ready.catch(() => {})
})

async function setUp(): Promise<void> {
  browser = await launchChromium()
  outDir = await mkdtemp(join(tmpdir(), 'seam-web-example-'))
  await build({ configFile: VITE_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } })
  app = await preview({
    configFile: VITE_CONFIG,
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, strictPort: false, open: false },
  })
  const local = app.resolvedUrls?.local[0]
  if (local === undefined) throw new Error('Expected Vite preview to report its local URL, got none')
  appOrigin = new URL(local).origin
  // The app's origin is not the gateway's: the gateway must allow it by CORS.
  // Locks take a moment, as real ones do: the toggle shows its optimistic state until the outcome.
  t = await startTestGateway({ CORS_ORIGINS: appOrigin, SANDBOX_ACTION_DELAY_MS: '800' })
}

// Every page a test opened is closed after it, pass or fail.
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()))
})

afterAll(async () => {
  // Whatever the setup got as far as starting is disposed, even when it failed half-way.
  await ready?.catch(() => {})
  await browser?.close()
  await app?.close()
  await t?.stop()
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true })
})

/** A fresh page that reaches only this machine. */
async function openPage(): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 900, height: 800 } })
  contexts.push(context)
  await allowOnlyLoopback(context)
  return context.newPage()
}

/** The app's address that signs in at once with this gateway and token. */
const appUrl = (gatewayUrl: string, token: string) =>
  `${appOrigin}/?${new URLSearchParams({ gateway: gatewayUrl, token })}`

/** The device ids the page lists, in order. */
const listedDeviceIds = (page: Page) =>
  page
    .locator('#devices li')
    .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.deviceId))

/** The device ids this token's session may reach, asked over HTTP with the app's own typed query. */
async function sessionDeviceIds(gateway: TestGateway, token: string): Promise<string[]> {
  const { status, body } = await gateway.execute(SignedInDevicesDocument, {}, bearer(token))
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined })
  return body.data!.viewer.clientSession!.devices.nodes.map((device) => device.deviceId)
}

async function deleteSession(gateway: TestGateway, clientSessionId: string): Promise<void> {
  const deleted = await gateway.execute(
    DeleteClientSessionDocument,
    { clientSessionId },
    bearer(gateway.apiKey),
  )
  expect({ status: deleted.status, body: deleted.body }).toEqual({
    status: 200,
    body: { data: { deleteClientSession: { clientSessionId } } },
  })
}

describe('examples/web in Chromium, on a sandbox-mode gateway of another origin', () => {
  it("shows the signed-in user's devices, then signs out live when the session is deleted", async () => {
    await ready
    const gateway = t!
    const demo = gateway.demo!
    const expectedIds = await sessionDeviceIds(gateway, gateway.demoToken)
    expect(expectedIds).toEqual(expect.arrayContaining(['august_device_1', 'august_device_2']))

    const page = await openPage()
    await page.goto(appUrl(gateway.url, gateway.demoToken))
    await page.locator('#devices li[data-device-id="august_device_1"]').waitFor({ timeout: 15_000 })
    expect(await listedDeviceIds(page)).toEqual(expectedIds)
    expect(await page.locator('#who').textContent()).toMatch(/^Signed in as demo-user-[0-9a-f]{6}$/)
    expect(await page.locator('#session-id').textContent()).toMatch(
      new RegExp(`^Client session ${demo.clientSessionId}, until .+$`),
    )
    // The token left the address bar (and the history); the gateway stayed.
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ gateway: gateway.url })

    await waitForOpenSubscriptions(gateway.url, 2)
    await page.locator('#live[data-live="true"]').waitFor()
    const signedIn = await screenshotPath('web-example-signed-in')
    await page.screenshot({ path: signedIn })
    if (UPDATE_DOCS_SCREENSHOT) await copyFile(signedIn, DOCS_SCREENSHOT)

    await deleteSession(gateway, demo.clientSessionId)

    await page.locator('body[data-state="signed-out"]').waitFor({ timeout: 10_000 })
    expect(await page.locator('#signed-out-reason').textContent()).toBe(
      'Your session was deleted. Sign in again with a new token to continue.',
    )
    expect(await page.locator('#devices li').count()).toBe(0)
    expect(await page.locator('#session').isHidden()).toBe(true)
    expect(await page.locator('#sign-in').isVisible()).toBe(true)
    await page.screenshot({ path: await screenshotPath('web-example-signed-out') })
  }, 60_000)

  it('signs out when the gateway closes the socket with 4403, even when the event never arrives', async () => {
    await ready
    const gateway = t!
    const created = await gateway.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: `web-example-${Date.now()}`, connectedAccountIds: [JOHN_ACCOUNT] } },
      bearer(gateway.apiKey),
    )
    expect({ status: created.status, errors: created.body.errors }).toEqual({
      status: 200,
      errors: undefined,
    })
    const session = created.body.data!.createClientSession.clientSession

    const page = await openPage()
    // Between the page and the gateway, drop every subscription result: only the close frame is left.
    const dropped: string[] = []
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      const server = socket.connectToServer()
      server.onMessage((message) => {
        const parsed = JSON.parse(String(message)) as { type: string }
        if (parsed.type === 'next') dropped.push(parsed.type)
        else socket.send(message)
      })
    })

    // This time through the form, as a person pasting a token would.
    await page.goto(`${appOrigin}/`)
    await page.getByLabel('Gateway URL').fill(gateway.url)
    await page.getByLabel('Client session token').fill(session.token!)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('#devices li[data-device-id="august_device_1"]').waitFor({ timeout: 15_000 })
    expect(await listedDeviceIds(page)).toEqual(await sessionDeviceIds(gateway, session.token!))
    await waitForOpenSubscriptions(gateway.url, 2)

    await deleteSession(gateway, session.clientSessionId)

    await page.locator('body[data-state="signed-out"]').waitFor({ timeout: 10_000 })
    expect(await page.locator('#signed-out-reason').textContent()).toBe(
      'Your session has ended: the gateway closed the connection (4403 Forbidden).',
    )
    expect(dropped).toEqual(['next'])
    await page.screenshot({ path: await screenshotPath('web-example-closed-4403') })
  }, 60_000)

  it('shows the signed-out state at once for a token the gateway refuses', async () => {
    await ready
    const gateway = t!
    // A session of its own, deleted: its token is refused from then on.
    const created = await gateway.execute(
      CreateClientSessionDocument,
      {
        input: {
          userIdentifierKey: `web-example-refused-${Date.now()}`,
          connectedAccountIds: [JOHN_ACCOUNT],
        },
      },
      bearer(gateway.apiKey),
    )
    expect({ status: created.status, errors: created.body.errors }).toEqual({
      status: 200,
      errors: undefined,
    })
    const session = created.body.data!.createClientSession.clientSession
    await deleteSession(gateway, session.clientSessionId)

    const page = await openPage()
    await page.goto(appUrl(gateway.url, session.token!))
    await page.locator('body[data-state="signed-out"]').waitFor({ timeout: 15_000 })
    expect(await page.locator('#signed-out-reason').textContent()).toBe(
      'The gateway did not accept this token: The credential is unknown, expired or revoked.',
    )
  }, 60_000)

  it('says which origin to allow when the gateway does not allow the app by CORS', async () => {
    await ready
    const closed = await startTestGateway()
    try {
      const page = await openPage()
      await page.goto(appUrl(closed.url, closed.demoToken))
      await page.locator('body[data-state="error"]').waitFor({ timeout: 15_000 })
      expect(await page.locator('#error').textContent()).toMatch(
        new RegExp(
          `^Could not reach the gateway at ${closed.url}/graphql \\(.+\\)\\. Is it running, and does its ` +
            `CORS_ORIGINS include ${appOrigin.replaceAll('.', '\\.')}\\?$`,
        ),
      )
      await page.screenshot({ path: await screenshotPath('web-example-cors-refused') })
    } finally {
      await closed.stop()
    }
  }, 60_000)

  it('toggles a lock optimistically, confirms it by the pushed outcome, rolls back on ERROR, and a second page of the account follows live', async () => {
    await ready
    const gateway = t!
    const created = await gateway.execute(
      CreateClientSessionDocument,
      {
        input: { userIdentifierKey: `web-example-other-${Date.now()}`, connectedAccountIds: [JOHN_ACCOUNT] },
      },
      bearer(gateway.apiKey),
    )
    expect(created.body.errors).toBeUndefined()
    const other = created.body.data!.createClientSession.clientSession.token!
    // Another test may have deleted the demo session: this one makes its own, of the same account.
    const mine = await gateway.execute(
      CreateClientSessionDocument,
      { input: { userIdentifierKey: `web-example-mine-${Date.now()}`, connectedAccountIds: [JOHN_ACCOUNT] } },
      bearer(gateway.apiKey),
    )
    const token = mine.body.data!.createClientSession.clientSession.token!

    const LOCK = 'august_device_1'
    const page = await openPage()
    const second = await openPage()
    await page.goto(appUrl(gateway.url, token))
    await second.goto(appUrl(gateway.url, other))
    const item = (p: Page) => p.locator(`#devices li[data-device-id="${LOCK}"]`)
    const badges = (p: Page) => item(p).locator('.badge').allTextContents()
    const toggle = item(page).locator('button[data-action="toggle-lock"]')
    await item(page).waitFor({ timeout: 15_000 })
    await item(second).waitFor({ timeout: 15_000 })
    await waitForOpenSubscriptions(gateway.url, 4)
    expect(await badges(page)).toContain('locked')
    expect(await toggle.textContent()).toBe('Unlock')

    // Optimistic: unlocked at once, the button busy while Seam carries the action out.
    await toggle.click()
    await item(page)
      .locator('button[data-action="toggle-lock"]:disabled', { hasText: 'Unlocking…' })
      .waitFor()
    expect(await badges(page)).toContain('unlocked')
    // Confirmed by the pushed SUCCESS, and the other page follows without a reload.
    await item(page)
      .locator('button[data-action="toggle-lock"]:enabled', { hasText: 'Lock' })
      .waitFor({ timeout: 10_000 })
    await item(second)
      .locator('.badge', { hasText: /^unlocked$/ })
      .waitFor({ timeout: 10_000 })
    expect(await badges(page)).toContain('unlocked')
    await page.screenshot({ path: await screenshotPath('web-example-unlocked') })

    // The lock goes offline (seen live on both pages); locking it fails and rolls back.
    const offline = await fetch(`${gateway.sandbox!.url}/devices/simulate/disconnect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(gateway.apiKey) },
      body: JSON.stringify({ device_id: LOCK }),
    })
    expect(offline.status).toBe(200)
    await item(second)
      .locator('.badge', { hasText: /^offline$/ })
      .waitFor({ timeout: 10_000 })
    await item(page)
      .locator('.badge', { hasText: /^offline$/ })
      .waitFor({ timeout: 10_000 })
    await toggle.click()
    await item(page).locator('button[data-action="toggle-lock"]:disabled', { hasText: 'Locking…' }).waitFor()
    expect(await badges(page)).toContain('locked')
    await item(page).locator('.device-failure').waitFor({ timeout: 10_000 })
    expect(await item(page).locator('.device-failure').textContent()).toBe('The device is offline')
    expect(await badges(page)).toContain('unlocked')
    expect(await toggle.textContent()).toBe('Lock')
    expect(await badges(second)).toContain('unlocked')
    await page.screenshot({ path: await screenshotPath('web-example-lock-failed') })

    const online = await fetch(`${gateway.sandbox!.url}/devices/simulate/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(gateway.apiKey) },
      body: JSON.stringify({ device_id: LOCK }),
    })
    expect(online.status).toBe(200)
  }, 60_000)
})

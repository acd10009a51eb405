import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium } from 'playwright-core'
import { sleep } from '../helpers/clients.js'
import { metricsUrlOf } from '../helpers/metrics.js'

/**
 * The system's Chromium (Debian's `chromium` package). playwright-core never downloads a browser: the
 * tests drive the one installed. `CHROMIUM_PATH` points elsewhere (another distribution, macOS).
 * @default '/usr/bin/chromium'
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Where the browser tests write their screenshots (gitignored). */
export const SCREENSHOTS_DIR = fileURLToPath(new URL('../../test-results/browser/', import.meta.url))

/**
 * Launches headless Chromium. Lifecycle: one browser per test file, closed in `afterAll`.
 * @throws when Chromium is not installed, saying how to install it: the browser tests fail rather than skip
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}, found nothing there: install it with ` +
        '`apt-get install chromium` (.ci/run does), or set CHROMIUM_PATH to a Chromium or Chrome binary',
    )
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  })
}

/**
 * Lets a page reach only this machine (loopback addresses, and the `blob:`/`data:` URLs pages make
 * themselves); every other request is aborted and recorded, so that a page that needs the internet
 * fails here as it would for a user offline, and the test can say what it asked for.
 * @returns the URLs that were refused, in order
 */
export async function allowOnlyLoopback(context: BrowserContext): Promise<string[]> {
  const refused: string[] = []
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
    if (loopback || url.protocol === 'blob:' || url.protocol === 'data:') return route.continue()
    refused.push(url.href)
    return route.abort('internetdisconnected')
  })
  return refused
}

/** The file a screenshot goes to: `test-results/browser/<name>.png`, its folder made if needed. */
export async function screenshotPath(name: string): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true })
  return `${SCREENSHOTS_DIR}${name}.png`
}

/** The gateway's `gateway_open_subscriptions` gauge (graphql-ws and SSE), read from its `/metrics`. */
export async function openSubscriptions(gatewayUrl: string): Promise<number> {
  const metrics = await (await fetch(metricsUrlOf(gatewayUrl))).text()
  const line = metrics.split('\n').find((candidate) => candidate.startsWith('gateway_open_subscriptions '))
  if (line === undefined)
    throw new Error(`Expected gateway_open_subscriptions in ${metricsUrlOf(gatewayUrl)}, found none`)
  return Number(line.split(' ')[1])
}

/**
 * Waits until the gateway holds `count` open subscriptions: graphql-ws acknowledges connections, not
 * subscriptions, so this is how a test knows that a browser's subscription reached the event bus.
 * @param explain more for the failure message, such as what the page's sockets did
 * @throws `Expected N open subscriptions on the gateway within T ms, found M` and the explanation
 */
export async function waitForOpenSubscriptions(
  gatewayUrl: string,
  count: number,
  explain: () => string = () => '',
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let found = await openSubscriptions(gatewayUrl)
  while (found !== count) {
    if (Date.now() > deadline) {
      throw new Error(
        `Expected ${count} open subscriptions on the gateway within ${timeoutMs} ms, found ${found}. ${explain()}`,
      )
    }
    await sleep(50)
    found = await openSubscriptions(gatewayUrl)
  }
}

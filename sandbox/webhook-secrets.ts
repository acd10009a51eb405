import { randomBytes } from 'node:crypto'
import type { FakeStore } from './fake-store.js'

/** Makes a webhook signing secret as Seam (through Svix) does: `whsec_` + base64 of 24 random bytes. */
export function createWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

/**
 * Makes every webhook the fake creates carry a real `whsec_…` secret.
 *
 * The fake's `addWebhook` stores `fake_secret_<hex>`, which Svix cannot sign with (it is not base64 after
 * the prefix). Rather than intercepting the `/webhooks/create` response, this wraps the store's own
 * `addWebhook` action: the fake's route still validates, authenticates and creates the webhook, then
 * returns what the action returned, so its response, `/webhooks/get`, `/webhooks/list` and the sandbox's
 * deliveries all see the same secret.
 *
 * Lifecycle: call once per fake, right after creating it.
 */
export function installWebhookSecrets(store: FakeStore): void {
  const addWebhook = store.getState().addWebhook
  store.setState({
    addWebhook: (params) => {
      const created = addWebhook(params)
      const withSecret = { ...created, secret: createWebhookSecret() }
      // The store's objects are frozen (immer); replace the webhook instead of assigning to it.
      store.setState({
        webhooks: store
          .getState()
          .webhooks.map((webhook) => (webhook.webhook_id === created.webhook_id ? withSecret : webhook)),
      })
      return withSecret
    },
  })
}

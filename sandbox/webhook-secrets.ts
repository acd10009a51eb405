import { randomBytes } from 'node:crypto'
import type { FakeStore } from './fake-store.js'

/** Makes a webhook signing secret as Seam (through Svix) does: `whsec_` + base64 of 24 random bytes. */
export function createWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

/**
 * Whether a stored webhook takes every event: made without `event_types`, or with `["*"]`. The fake
 * stores its own list of event types for such a webhook, which lacks Seam's `action_attempt.*`
 * events (and refuses them by name), so the mark is kept beside it, as a private field: the fake's
 * routes answer webhooks without their `_` fields.
 */
export const takesEveryEvent = (webhook: object): boolean =>
  (webhook as { _every_event?: unknown })._every_event === true

/**
 * Completes every webhook the fake creates: a real `whsec_…` secret, and the mark of a webhook that
 * takes every event ({@link takesEveryEvent}).
 *
 * The fake's `addWebhook` stores `fake_secret_<hex>`, which Svix cannot sign with (it is not base64 after
 * the prefix). Rather than intercepting the `/webhooks/create` response, this wraps the store's own
 * `addWebhook` action: the fake's route still validates, authenticates and creates the webhook, then
 * returns what the action returned, so its response, `/webhooks/get`, `/webhooks/list` and the sandbox's
 * deliveries all see the same secret.
 *
 * Lifecycle: call once per fake, right after creating it.
 */
export function completeWebhookCreation(store: FakeStore): void {
  const addWebhook = store.getState().addWebhook
  store.setState({
    addWebhook: (params) => {
      const created = addWebhook(params)
      const everyEvent = params.event_types == null || params.event_types[0] === '*'
      const completed = {
        ...created,
        secret: createWebhookSecret(),
        ...(everyEvent ? { _every_event: true } : {}),
      }
      // The store's objects are frozen (immer); replace the webhook instead of assigning to it.
      store.setState({
        webhooks: store
          .getState()
          .webhooks.map((webhook) => (webhook.webhook_id === created.webhook_id ? completed : webhook)),
      })
      return completed
    },
  })
}

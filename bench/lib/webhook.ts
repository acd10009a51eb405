import { randomUUID } from 'node:crypto'
import { Webhook } from 'svix'

/**
 * Sends one Seam event to a gateway's `/webhooks/seam` as Seam does: Svix-signed with `secret`,
 * a fresh `svix-id` and `event_id`, stamped now. Resolves once the gateway answered 200.
 *
 * @throws with the status and body of any other answer
 */
export async function sendSeamWebhook(
  gatewayUrl: string,
  secret: string,
  event: Record<string, unknown> & { event_type: string; workspace_id: string },
): Promise<void> {
  const id = `msg_${randomUUID()}`
  const now = new Date()
  const payload = JSON.stringify({
    event_id: randomUUID(),
    ...event,
    created_at: now.toISOString(),
    occurred_at: now.toISOString(),
  })
  const response = await fetch(`${gatewayUrl}/webhooks/seam`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(now.getTime() / 1000)),
      'svix-signature': new Webhook(secret).sign(id, now, payload),
    },
    body: payload,
  })
  if (response.status !== 200) {
    throw new Error(`Expected 200 from /webhooks/seam, got ${response.status}: ${await response.text()}`)
  }
}

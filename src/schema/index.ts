import { lexicographicSortSchema } from 'graphql'
import { builder } from './builder.js'
import './node.js'
import './viewer.js'
import './client-session.js'
import './connected-account.js'
import './device.js'
import './action-attempt.js'
import './access-code.js'
import './client-session-deleted-event.js'
import './device-event.js'

builder.queryType({
  description: 'Reads. Every field needs a credential; a client session sees only its own.',
})
builder.mutationType({
  description:
    "Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts).",
})
builder.subscriptionType({ description: 'Real-time events over graphql-ws or SSE.' })

/** The gateway's schema, sorted so that its printed form is stable. */
export const schema = lexicographicSortSchema(builder.toSchema())

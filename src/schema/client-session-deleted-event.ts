import { forbidden } from '../errors.js'
import type { SessionEndedEvent } from '../events/session-events.js'
import type { SessionSocket } from '../events/socket-registry.js'
import { builder } from './builder.js'
import { filterAsync, firstAsync } from './iterators.js'

const ClientSessionEndReason = builder.enumType('ClientSessionEndReason', {
  description: 'Why a client session ended.',
  values: {
    DELETED: { description: 'Deleted through Seam or this gateway.' },
    REVOKED: { description: 'Revoked through this gateway.' },
    EXPIRED: { description: 'Reached its expiresAt.' },
  } as const,
})

const ClientSessionDeletedEvent = builder
  .objectRef<SessionEndedEvent>('ClientSessionDeletedEvent')
  .implement({
    description: 'A client session ended; its token no longer works.',
    fields: (t) => ({
      eventId: t.exposeID('eventId', {
        description: 'Id of the event (Seam event id when Seam reported it).',
      }),
      clientSessionId: t.exposeID('clientSessionId'),
      workspaceId: t.exposeID('workspaceId'),
      userIdentifierKey: t.exposeString('userIdentifierKey', { nullable: true }),
      occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
      reason: t.field({ type: ClientSessionEndReason, resolve: (e) => e.reason }),
    }),
  })

builder.subscriptionField('clientSessionDeleted', (t) =>
  t.withAuth({ authenticated: true }).field({
    type: ClientSessionDeletedEvent,
    description:
      "Ends of client sessions. A client session token receives only its own session's end; a workspace API key receives its workspace's, optionally filtered.",
    args: {
      clientSessionId: t.arg.id({ description: 'Only this session.' }),
      userIdentifierKey: t.arg.string({ description: 'Only sessions of this user.' }),
    },
    subscribe: (_root, args, { principal, events, socket }) => {
      // Checked before any stream exists, so a refusal is an ordinary field error.
      if (principal.kind === 'clientSession') {
        if (
          (args.clientSessionId != null && args.clientSessionId !== principal.clientSessionId) ||
          (args.userIdentifierKey != null && args.userIdentifierKey !== principal.session.user_identifier_key)
        ) {
          throw forbidden("A client session token may subscribe only to its own session's end")
        }
        // While this waits, an ended session's socket is kept open until the event is sent.
        socket?.watching()
        return ownEnd(events.pubsub.subscribe(`session:${principal.clientSessionId}`), socket)
      }
      // The narrowest topic that holds every matching event: a filtered subscriber is not woken
      // by the workspace's other sessions.
      const topic =
        args.clientSessionId != null
          ? (`session:${args.clientSessionId}` as const)
          : args.userIdentifierKey != null
            ? (`workspace:${principal.workspaceId}:user:${args.userIdentifierKey}` as const)
            : (`workspace:${principal.workspaceId}` as const)
      return workspaceEnds(events.pubsub.subscribe(topic), principal.workspaceId, args)
    },
    resolve: (event) => event,
  }),
)

/** A session's own end: one event, then the stream is over (and so is the session's socket). */
const ownEnd = (source: AsyncIterable<SessionEndedEvent>, socket: SessionSocket | undefined) =>
  // Settled once the event has been handed on (or the subscription stopped first).
  firstAsync(source, () => socket?.settled())

/** A workspace's session ends, narrowed by the subscription's arguments. */
const workspaceEnds = (
  source: AsyncIterable<SessionEndedEvent>,
  workspaceId: string,
  args: { clientSessionId?: string | null; userIdentifierKey?: string | null },
) =>
  filterAsync(
    source,
    (event) =>
      // A session topic is not a workspace's: only this workspace's sessions pass.
      event.workspaceId === workspaceId &&
      (args.clientSessionId == null || event.clientSessionId === args.clientSessionId) &&
      (args.userIdentifierKey == null || event.userIdentifierKey === args.userIdentifierKey),
  )

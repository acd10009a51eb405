import { forbidden } from '../contract/errors.js'
import type { SessionEndedEvent } from '../events/session-events.js'
import { builder } from './builder.js'

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
        // One event, then the stream is over (and so is the session's socket): settled once the
        // event has been handed on, or when the subscription stopped first.
        return events.subscribe(`session:${principal.clientSessionId}`, {
          once: true,
          onEnd: socket === undefined ? undefined : () => socket.settled(),
        })
      }
      // The narrowest topic that holds every matching event: a filtered subscriber is not woken
      // by the workspace's other sessions.
      const topic =
        args.clientSessionId != null
          ? (`session:${args.clientSessionId}` as const)
          : args.userIdentifierKey != null
            ? (`workspace:${principal.workspaceId}:user:${args.userIdentifierKey}` as const)
            : (`workspace:${principal.workspaceId}` as const)
      const { workspaceId } = principal
      const clientSessionId = args.clientSessionId ?? null
      const userIdentifierKey = args.userIdentifierKey ?? null
      // The workspace's own topic carries its sessions' events alone, unfiltered: nothing to check,
      // and no filter held by each of a broadcast's many idle subscribers.
      if (topic === `workspace:${workspaceId}`) return events.subscribe(topic)
      return events.subscribe(topic, {
        keep: (event) =>
          // A session topic is not a workspace's: only this workspace's sessions pass.
          event.workspaceId === workspaceId &&
          (clientSessionId === null || event.clientSessionId === clientSessionId) &&
          (userIdentifierKey === null || event.userIdentifierKey === userIdentifierKey),
      })
    },
    resolve: (event) => event,
  }),
)

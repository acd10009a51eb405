import type { ClientSessionPrincipal, WorkspacePrincipal } from '../auth/principal.js'
import { builder } from './builder.js'
import { ClientSessionRef } from './client-session.js'

const ViewerKind = builder.enumType('ViewerKind', {
  description: 'What kind of credential the caller holds.',
  values: {
    WORKSPACE: { value: 'workspace', description: 'A workspace API key.' },
    CLIENT_SESSION: { value: 'clientSession', description: 'A client session token.' },
  } as const,
})

const Viewer = builder.objectRef<WorkspacePrincipal | ClientSessionPrincipal>('Viewer').implement({
  description: 'The caller.',
  fields: (t) => ({
    kind: t.field({ type: ViewerKind, resolve: (p) => p.kind }),
    workspaceId: t.exposeID('workspaceId', { description: "The caller's workspace." }),
    clientSession: t.withAuth({ authenticated: true }).field({
      type: ClientSessionRef,
      nullable: true,
      description: "The caller's own client session; null for a workspace API key.",
      // The session the principal was resolved from, as `clientSessionById` would load it (no
      // call, ClientSession's own rule still checks it), without a DataLoader batch to wait for.
      resolve: (p) => (p.kind === 'clientSession' ? p.session : null),
    }),
  }),
})

builder.queryField('viewer', (t) =>
  t.withAuth({ authenticated: true }).field({
    type: Viewer,
    description: 'Who the caller is.',
    resolve: (_root, _args, { principal }) => principal,
  }),
)

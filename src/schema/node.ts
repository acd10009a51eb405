import { decodeGlobalID } from '@pothos/plugin-relay'
import { mayReadAccessCode, mayReadDevice } from '../auth/visibility.js'
import { notFound } from '../contract/errors.js'
import { builder } from './builder.js'
import type { AuthenticatedContext } from './context.js'
import { checkListLength, MAX_NODE_IDS } from './pagination.js'

/**
 * Loads one node by global id. A malformed id, an unknown type, a missing object and someone
 * else's object all answer the same NOT_FOUND, named by the id the caller sent.
 */
async function loadNode(globalId: string, { loaders, principal }: AuthenticatedContext): Promise<object> {
  let decoded: { typename: string; id: string }
  try {
    decoded = decodeGlobalID(globalId)
  } catch {
    throw notFound('Node', globalId)
  }
  const rename = (error: unknown) => {
    throw error instanceof Error &&
      (error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND'
      ? notFound('Node', globalId)
      : error
  }
  switch (decoded.typename) {
    case 'Device':
      // The Device type would refuse someone else's device too, but by its device id: a node asked
      // for must fail by the id that was sent, as a missing one does.
      return loaders.deviceById
        .load(decoded.id)
        .catch(rename)
        .then((device) => {
          if (!mayReadDevice(principal, device)) throw notFound('Node', globalId)
          return device
        })
    case 'AccessCode':
      // As for a device: someone else's code must fail by the node id that was sent.
      return loaders.accessCodeById
        .load(decoded.id)
        .catch(rename)
        .then((found) => {
          if (!mayReadAccessCode(principal, found.accessCode, found.device)) throw notFound('Node', globalId)
          return found
        })
    case 'ActionAttempt':
      // The loader checks the attempt's device before it asks Seam about the attempt.
      return loaders.actionAttemptById.load(decoded.id).catch(rename)
    case 'ConnectedAccount':
      return loaders.connectedAccountById.load(decoded.id).catch(rename)
    case 'ClientSession':
      return loaders.clientSessionById.load(decoded.id).catch(rename)
    default:
      throw notFound('Node', globalId)
  }
}

builder.queryFields((t) => ({
  node: t.withAuth({ authenticated: true }).field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'Any object by its global id; NOT_FOUND when it does not exist or is not yours.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => loadNode(id, ctx),
  }),
  nodes: t.withAuth({ authenticated: true }).field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description:
      'Objects by global id (at most 100), in order; each missing or foreign one is null with a NOT_FOUND error.',
    args: { ids: t.arg.idList({ required: true }) },
    // One object per id sent: the caller decides how many, so each one is counted.
    complexity: ({ ids }) => ({ field: 1, multiplier: ids.length }),
    resolve: (_root, { ids }, ctx) => {
      checkListLength('ids', ids, MAX_NODE_IDS)
      return ids.map((id) => loadNode(id, ctx))
    },
  }),
}))

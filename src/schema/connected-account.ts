import type { ConnectedAccount } from '@seamapi/types/connect'
import { mayFilterByUserIdentifierKey, mayReadConnectedAccount } from '../auth/visibility.js'
import { builder } from './builder.js'
import { DeviceConnection } from './device.js'
import { connectionFromList, connectionFromSeam } from './pagination.js'

/** A Seam connected account: a user's account with a device provider. */
export const ConnectedAccountRef = builder.objectRef<ConnectedAccount>('ConnectedAccount')

/** How the account identifies its user with the provider. */
const UserIdentifier = builder
  .objectRef<NonNullable<ConnectedAccount['user_identifier']>>('UserIdentifier')
  .implement({
    description: 'How a connected account identifies its user with the provider.',
    fields: (t) => ({
      email: t.string({ nullable: true, resolve: (u) => u.email ?? null }),
      phone: t.string({ nullable: true, resolve: (u) => u.phone ?? null }),
      username: t.string({ nullable: true, resolve: (u) => u.username ?? null }),
      apiUrl: t.string({ nullable: true, resolve: (u) => u.api_url ?? null }),
      exclusive: t.boolean({ nullable: true, resolve: (u) => u.exclusive ?? null }),
    }),
  })

builder.node(ConnectedAccountRef, {
  description: "A user's account with a device provider (August, Schlage, …), connected to Seam.",
  id: { resolve: (account) => account.connected_account_id },
  isTypeOf: (value) =>
    typeof value === 'object' && value !== null && 'connected_account_id' in value && !('device_id' in value),
  authScopes: (account) => ({ ownsConnectedAccount: account }),
  fields: (t) => ({
    connectedAccountId: t.exposeID('connected_account_id', {
      description: 'Seam id of the connected account.',
    }),
    accountType: t.string({
      nullable: true,
      description: 'Provider of the account, such as `august`.',
      resolve: (a) => a.account_type ?? null,
    }),
    displayName: t.string({
      nullable: true,
      description: 'Name to show for the account.',
      resolve: (a) => a.display_name ?? null,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the account was connected.',
      resolve: (a) => {
        if (a.created_at === undefined)
          throw new Error(`Seam returned connected account ${a.connected_account_id} without created_at`)
        return a.created_at
      },
    }),
    userIdentifier: t.field({
      type: UserIdentifier,
      nullable: true,
      description: 'How the account identifies its user.',
      resolve: (a) => a.user_identifier ?? null,
    }),
    customMetadata: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Your custom metadata.',
      resolve: (a) => a.custom_metadata ?? null,
    }),
    automaticallyManageNewDevices: t.boolean({
      nullable: true,
      description: 'Whether new devices of the account are managed automatically.',
      resolve: (a) => a.automatically_manage_new_devices ?? null,
    }),
    // Only a workspace or a client session reads an account's devices: a publishable key never
    // reaches an account (ClientSession.connectedAccounts is closed to it).
    devices: t.withAuth({ authenticated: true }).field({
      type: DeviceConnection,
      description: 'Devices of this account.',
      args: { first: t.arg.int({ description: 'Page size, 1 to 200. @default 50' }), after: t.arg.string() },
      resolve: async (account, args, { loaders, principal, cursors }) =>
        connectionFromList(
          await loaders.devicesByConnectedAccountId.load(account.connected_account_id),
          args,
          cursors.bind('ConnectedAccount.devices', account.connected_account_id, principal),
        ),
    }),
  }),
})

/** A page of connected accounts. */
export const ConnectedAccountConnection = builder.connectionObject(
  {
    type: ConnectedAccountRef,
    name: 'ConnectedAccountConnection',
    description: 'A page of connected accounts.',
  },
  { name: 'ConnectedAccountEdge', description: 'A connected account and its cursor.' },
)

builder.queryFields((t) => ({
  connectedAccount: t.withAuth({ authenticated: true }).field({
    type: ConnectedAccountRef,
    nullable: true,
    description: 'One connected account by its Seam id; NOT_FOUND when it does not exist or is not yours.',
    args: { connectedAccountId: t.arg.id({ required: true }) },
    resolve: (_root, { connectedAccountId }, { loaders }) =>
      loaders.connectedAccountById.load(connectedAccountId),
  }),
  connectedAccounts: t.withAuth({ authenticated: true }).field({
    type: ConnectedAccountConnection,
    // Null with its error when Seam fails, so that the other root fields keep their data.
    nullable: true,
    description:
      'Connected accounts the caller may see; a client session sees only its own. Null, with the error, when Seam cannot list them.',
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 200. @default 50' }),
      after: t.arg.string({ description: 'Cursor of the last edge already seen.' }),
      search: t.arg.string({ description: 'Free-text search over names and ids.' }),
      userIdentifierKey: t.arg.string({
        description: 'Only accounts of the client session with this user identifier key.',
      }),
    },
    resolve: (_root, { first, after, ...filters }, { principal, seam, cursors }) => {
      const cursorsOfQuery = cursors.bind('connectedAccounts', filters, principal)
      // A user identifier key that is not the session's own answers as a key that exists
      // nowhere, without asking Seam: no oracle of other users' keys.
      if (!mayFilterByUserIdentifierKey(principal, filters.userIdentifierKey)) {
        return connectionFromSeam({ first, after }, cursorsOfQuery, async () => ({
          items: [],
          nextPageCursor: null,
        }))
      }
      const body = {
        ...(filters.search != null ? { search: filters.search } : {}),
        ...(filters.userIdentifierKey != null ? { user_identifier_key: filters.userIdentifierKey } : {}),
      }
      return connectionFromSeam(
        { first, after },
        cursorsOfQuery,
        (pageCursor, limit) =>
          seam.page('/connected_accounts/list', 'connected_accounts', {
            ...body,
            limit,
            ...(pageCursor ? { page_cursor: pageCursor } : {}),
          }),
        (account) => mayReadConnectedAccount(principal, account),
      )
    },
  }),
}))

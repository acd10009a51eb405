/**
 * The operations the benchmarks send, written out rather than imported from test/ (the tests'
 * documents may change with the tests; these change only with the benchmarks).
 */

/** A workspace's dashboard: every client session, its connected accounts and their devices. */
export const WORKSPACE_DASHBOARD = /* GraphQL */ `
  query WorkspaceDashboard {
    clientSessions {
      clientSessionId
      connectedAccounts { connectedAccountId devices { nodes { deviceId } } }
    }
  }
`

/** A client session's screen: its accounts with their devices, and all its devices with their account. */
export const CLIENT_SESSION_SCREEN = /* GraphQL */ `
  query ClientSessionScreen {
    viewer {
      clientSession {
        connectedAccounts { connectedAccountId devices { nodes { deviceId displayName locked } } }
        devices { nodes { deviceId displayName locked connectedAccount { connectedAccountId } } }
      }
    }
  }
`

/** The scoped query of the CPU benchmark. */
export const SCOPED_DEVICES = /* GraphQL */ `
  query ScopedDevices {
    viewer { clientSession { devices { nodes { deviceId displayName locked online } } } }
  }
`

/** The same devices list from a gateway generated from Seam's OpenAPI (Mesh): the CPU benchmark's peer. */
export const MESH_DEVICES = /* GraphQL */ `
  query Devices {
    devicesListGet { devices { device_id display_name properties { locked online } } }
  }
`

/** `d0: device(deviceId: …) … d<n-1>`: one alias per id. */
export const deviceLookup = (deviceIds: readonly string[]): string =>
  `query DeviceLookup {\n${deviceIds
    .map((id, i) => `  d${i}: device(deviceId: ${JSON.stringify(id)}) { deviceId displayName locked }`)
    .join('\n')}\n}`

/** A client session's end, optionally filtered (workspace subscribers). */
export const CLIENT_SESSION_DELETED = /* GraphQL */ `
  subscription ClientSessionDeleted($clientSessionId: ID) {
    clientSessionDeleted(clientSessionId: $clientSessionId) { eventId clientSessionId reason }
  }
`

/** Deletes a client session (workspace API key). */
export const DELETE_CLIENT_SESSION = /* GraphQL */ `
  mutation DeleteClientSession($clientSessionId: ID!) {
    deleteClientSession(clientSessionId: $clientSessionId) { clientSessionId }
  }
`

/** The screen of {@link CLIENT_SESSION_SCREEN} from a gateway generated from Seam's OpenAPI (Mesh). */
export const MESH_CLIENT_SESSION_SCREEN = /* GraphQL */ `
  query ClientSessionScreen {
    clientSessionsGetGet { client_session { connected_account_ids } }
    connectedAccountsListGet { connected_accounts { connected_account_id } }
    devicesListGet { devices { device_id display_name connected_account_id properties { locked } } }
  }
`

/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
};

/** A PIN code programmed on a lock (or a keypad), ongoing or for a time window. */
export type AccessCode = Node & {
  __typename?: 'AccessCode';
  /** Seam id of the access code. */
  accessCodeId: Scalars['ID']['output'];
  /** The PIN itself; null while Seam waits for the device to assign one. */
  code?: Maybe<Scalars['String']['output']>;
  /** When the code was created on Seam. */
  createdAt: Scalars['DateTime']['output'];
  /** The device the code is on. */
  device?: Maybe<Device>;
  /** Seam id of the device the code is on. */
  deviceId: Scalars['ID']['output'];
  /** When a time-bound code stops working. */
  endsAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** Name of the code, as set on Seam. */
  name?: Maybe<Scalars['String']['output']>;
  /** When a time-bound code starts to work. */
  startsAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where the code is: `setting`, `set`, `unset`, `removing` or `unknown`. */
  status: Scalars['String']['output'];
  /** `ongoing`, or `time_bound` (active from startsAt to endsAt). */
  type: Scalars['String']['output'];
};

/** A page of access codes. */
export type AccessCodeConnection = {
  __typename?: 'AccessCodeConnection';
  edges: Array<AccessCodeEdge>;
  nodes: Array<AccessCode>;
  pageInfo: PageInfo;
};

/** The access code a mutation deleted. */
export type AccessCodeDeletedPayload = {
  __typename?: 'AccessCodeDeletedPayload';
  /** Seam id of the deleted code. */
  accessCodeId: Scalars['ID']['output'];
  /** The attempt that removes the code from the device, when Seam reports one. */
  actionAttempt?: Maybe<ActionAttempt>;
};

/** An access code and its cursor. */
export type AccessCodeEdge = {
  __typename?: 'AccessCodeEdge';
  cursor: Scalars['String']['output'];
  node: AccessCode;
};

/** The access code a mutation created or changed. */
export type AccessCodePayload = {
  __typename?: 'AccessCodePayload';
  /** The code, as Seam reports it after the change. */
  accessCode: AccessCode;
  /** The attempt that programs the change on the device, when Seam reports one. */
  actionAttempt?: Maybe<ActionAttempt>;
};

/** An action on a device (lockDoor, unlockDoor, …). Seam answers at once with a PENDING attempt and carries the action out in the background; read it again with `actionAttempt` until it is SUCCESS or ERROR. */
export type ActionAttempt = Node & {
  __typename?: 'ActionAttempt';
  /** Seam id of the action attempt. */
  actionAttemptId: Scalars['ID']['output'];
  /** What the action does, such as `LOCK_DOOR` or `UNLOCK_DOOR`. */
  actionType: Scalars['String']['output'];
  /** The device the action is for, as Seam reports it now; null once it is gone. */
  device?: Maybe<Device>;
  /** Why the action failed; null unless the status is ERROR. */
  error?: Maybe<ActionAttemptError>;
  id: Scalars['ID']['output'];
  /** The action's result as Seam reports it; null until it succeeds. */
  result?: Maybe<Scalars['JSON']['output']>;
  /** PENDING while Seam carries the action out, then SUCCESS or ERROR. */
  status: ActionAttemptStatus;
};

/** Why an action attempt failed, as Seam reports it. */
export type ActionAttemptError = {
  __typename?: 'ActionAttemptError';
  /** What went wrong, in words. */
  message: Scalars['String']['output'];
  /** Seam error type, such as `device_offline`. */
  type: Scalars['String']['output'];
};

/** The action attempt an action started. */
export type ActionAttemptPayload = {
  __typename?: 'ActionAttemptPayload';
  /** Usually PENDING: follow it with `actionAttempt` until it is SUCCESS or ERROR. */
  actionAttempt: ActionAttempt;
};

/** Where an action attempt is: Seam answers an action at once and carries it out after. */
export type ActionAttemptStatus =
  /** The action failed; `error` says why. */
  | 'ERROR'
  /** Seam is carrying the action out. */
  | 'PENDING'
  /** The action was carried out. */
  | 'SUCCESS';

/** A client session: a user's restricted access to the devices of its connected accounts. Its token lets a browser call this gateway as that user. */
export type ClientSession = Node & {
  __typename?: 'ClientSession';
  /** Seam id of the client session. */
  clientSessionId: Scalars['ID']['output'];
  /** Connect Webviews of the session. */
  connectWebviewIds: Array<Scalars['ID']['output']>;
  /** Connected accounts this session may reach. */
  connectedAccountIds: Array<Scalars['ID']['output']>;
  /** The session's connected accounts (the query cost counts 10). */
  connectedAccounts: Array<ConnectedAccount>;
  /** When the session was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Customer key of the session. */
  customerKey?: Maybe<Scalars['String']['output']>;
  /** Number of devices the session can reach. */
  deviceCount: Scalars['Int']['output'];
  /** Devices of the session's connected accounts. */
  devices: DeviceConnection;
  /** When the session and its token expire. */
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The client session token. For workspace API keys, and for a publishable key in the payload of its own getOrCreateClientSession; FORBIDDEN for a client session. */
  token?: Maybe<Scalars['String']['output']>;
  /** Your id for the user of this session. */
  userIdentifierKey?: Maybe<Scalars['String']['output']>;
  /** User identity of the session. */
  userIdentityId?: Maybe<Scalars['ID']['output']>;
  /** User identities of the session. */
  userIdentityIds: Array<Scalars['ID']['output']>;
  /** Workspace of the session. */
  workspaceId: Scalars['ID']['output'];
};


/** A client session: a user's restricted access to the devices of its connected accounts. Its token lets a browser call this gateway as that user. */
export type ClientSessionDevicesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A client session ended; its token no longer works. */
export type ClientSessionDeletedEvent = {
  __typename?: 'ClientSessionDeletedEvent';
  clientSessionId: Scalars['ID']['output'];
  /** Id of the event (Seam event id when Seam reported it). */
  eventId: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  reason: ClientSessionEndReason;
  userIdentifierKey?: Maybe<Scalars['String']['output']>;
  workspaceId: Scalars['ID']['output'];
};

/** Why a client session ended. */
export type ClientSessionEndReason =
  /** Deleted through Seam or this gateway. */
  | 'DELETED'
  /** Reached its expiresAt. */
  | 'EXPIRED'
  /** Revoked through this gateway. */
  | 'REVOKED';

/** The id of the client session a mutation ended. */
export type ClientSessionEndedPayload = {
  __typename?: 'ClientSessionEndedPayload';
  clientSessionId: Scalars['ID']['output'];
};

/** The client session a mutation created or changed. */
export type ClientSessionPayload = {
  __typename?: 'ClientSessionPayload';
  clientSession: ClientSession;
};

/** A user's account with a device provider (August, Schlage, …), connected to Seam. */
export type ConnectedAccount = Node & {
  __typename?: 'ConnectedAccount';
  /** Provider of the account, such as `august`. */
  accountType?: Maybe<Scalars['String']['output']>;
  /** Whether new devices of the account are managed automatically. */
  automaticallyManageNewDevices?: Maybe<Scalars['Boolean']['output']>;
  /** Seam id of the connected account. */
  connectedAccountId: Scalars['ID']['output'];
  /** When the account was connected. */
  createdAt: Scalars['DateTime']['output'];
  /** Your custom metadata. */
  customMetadata?: Maybe<Scalars['JSON']['output']>;
  /** Devices of this account. */
  devices: DeviceConnection;
  /** Name to show for the account. */
  displayName?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** How the account identifies its user. */
  userIdentifier?: Maybe<UserIdentifier>;
};


/** A user's account with a device provider (August, Schlage, …), connected to Seam. */
export type ConnectedAccountDevicesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of connected accounts. */
export type ConnectedAccountConnection = {
  __typename?: 'ConnectedAccountConnection';
  edges: Array<ConnectedAccountEdge>;
  nodes: Array<ConnectedAccount>;
  pageInfo: PageInfo;
};

/** A connected account and its cursor. */
export type ConnectedAccountEdge = {
  __typename?: 'ConnectedAccountEdge';
  cursor: Scalars['String']['output'];
  node: ConnectedAccount;
};

/** A new access code on a device: ongoing, or for a time window (startsAt and endsAt together). */
export type CreateAccessCodeInput = {
  /** The PIN: 4 to 9 digits. @default Seam picks one */
  code?: InputMaybe<Scalars['String']['input']>;
  /** Seam id of the device. */
  deviceId: Scalars['ID']['input'];
  /** When the code stops working: after startsAt, in the future. */
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Name of the code: 1 to 200 characters, without control characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** When the code starts to work (with endsAt). */
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A new client session. */
export type CreateClientSessionInput = {
  /** Connect Webviews of the session. */
  connectWebviewIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Connected accounts the session may reach. */
  connectedAccountIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Customer key of the session. */
  customerKey?: InputMaybe<Scalars['String']['input']>;
  /** When the session expires. @default Seam decides */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Your id for the user. */
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
  /** User identity of the session. */
  userIdentityId?: InputMaybe<Scalars['ID']['input']>;
};

/** A device connected to Seam: a smart lock, thermostat, noise sensor, … */
export type Device = Node & {
  __typename?: 'Device';
  /** The device's access codes. Each device's list is one call to Seam: the query cost counts its page size per device. */
  accessCodes: AccessCodeConnection;
  /** Battery level from 0 to 1, when the device reports one. */
  batteryLevel?: Maybe<Scalars['Float']['output']>;
  /** Whether createAccessCode can give it access codes; null when Seam does not say. */
  canProgramOnlineAccessCodes?: Maybe<Scalars['Boolean']['output']>;
  /** Whether lockDoor can lock it; null when Seam does not say. */
  canRemotelyLock?: Maybe<Scalars['Boolean']['output']>;
  /** Whether unlockDoor can unlock it; null when Seam does not say. */
  canRemotelyUnlock?: Maybe<Scalars['Boolean']['output']>;
  /** Capabilities such as `lock`, `access_code`, `thermostat`. */
  capabilitiesSupported: Array<Scalars['String']['output']>;
  /** The connected account the device belongs to. */
  connectedAccount?: Maybe<ConnectedAccount>;
  /** When the device was added to Seam. */
  createdAt: Scalars['DateTime']['output'];
  /** Your custom metadata. */
  customMetadata?: Maybe<Scalars['JSON']['output']>;
  /** Seam id of the device. */
  deviceId: Scalars['ID']['output'];
  /** Seam device type, such as `august_lock`. */
  deviceType: Scalars['String']['output'];
  /** Name to show for the device. */
  displayName: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Whether Seam manages the device. */
  isManaged: Scalars['Boolean']['output'];
  /** Whether a lock is locked; null for devices that are not locks. */
  locked?: Maybe<Scalars['Boolean']['output']>;
  /** Manufacturer, such as `august`. */
  manufacturer?: Maybe<Scalars['String']['output']>;
  /** Whether the device is online, when Seam knows. */
  online?: Maybe<Scalars['Boolean']['output']>;
  /** All device properties as Seam returns them. */
  properties?: Maybe<Scalars['JSON']['output']>;
  /** Workspace the device belongs to. */
  workspaceId: Scalars['ID']['output'];
};


/** A device connected to Seam: a smart lock, thermostat, noise sensor, … */
export type DeviceAccessCodesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of devices. */
export type DeviceConnection = {
  __typename?: 'DeviceConnection';
  edges: Array<DeviceEdge>;
  nodes: Array<Device>;
  pageInfo: PageInfo;
};

/** A device and its cursor. */
export type DeviceEdge = {
  __typename?: 'DeviceEdge';
  cursor: Scalars['String']['output'];
  node: Device;
};

/** Something happened to a device: Seam's event, routed to the subscribers who may see the device. */
export type DeviceEvent = {
  __typename?: 'DeviceEvent';
  /** The action attempt that caused the event (a lock or unlock through Seam), if any. */
  actionAttemptId?: Maybe<Scalars['ID']['output']>;
  connectedAccountId?: Maybe<Scalars['ID']['output']>;
  /** The device as Seam reports it now, read with the subscriber's own credential; null once it is gone. */
  device?: Maybe<Device>;
  deviceId: Scalars['ID']['output'];
  /** Seam id of the event. */
  eventId: Scalars['ID']['output'];
  eventType: DeviceEventType;
  occurredAt: Scalars['DateTime']['output'];
  /** Seam's own event type, such as `lock.unlocked`. */
  seamEventType: Scalars['String']['output'];
};

/** What happened to a device. */
export type DeviceEventType =
  /** An access code could not be set or removed (`access_code.failed_to_*`). */
  | 'ACCESS_CODE_FAILED'
  /** An access code left the device (`access_code.removed_from_device`). */
  | 'ACCESS_CODE_REMOVED'
  /** An access code is now on the device (`access_code.set_on_device`). */
  | 'ACCESS_CODE_SET'
  /** The battery level or status changed (`device.battery_status_changed`). */
  | 'BATTERY_CHANGED'
  /** The battery is low (`device.low_battery`). */
  | 'BATTERY_LOW'
  /** The device came online (`device.connected`). */
  | 'CONNECTED'
  /** The device was added (`device.added`). */
  | 'DEVICE_ADDED'
  /** The device was removed or deleted (`device.removed`, `device.deleted`). */
  | 'DEVICE_REMOVED'
  /** The device was renamed (`device.name_changed`). */
  | 'DEVICE_RENAMED'
  /** The device went offline (`device.disconnected`). */
  | 'DISCONNECTED'
  /** A lock locked (`lock.locked`). */
  | 'LOCKED'
  /** Any other `lock.*`, `device.*` or `access_code.*` event; `seamEventType` says which. */
  | 'OTHER'
  /** A lock unlocked (`lock.unlocked`). */
  | 'UNLOCKED';

/** The device a mutation changed, as Seam reports it after the change. */
export type DevicePayload = {
  __typename?: 'DevicePayload';
  /** The device, read again after the change. */
  device: Device;
};

/** The client session to find, or create, for a user; an existing one gets the new expiry and ids. With a publishable key only userIdentifierKey may be set (BAD_USER_INPUT naming any other field). */
export type GetOrCreateClientSessionInput = {
  connectWebviewIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  connectedAccountIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Your id for the user; with a publishable key it may come from the seam-user-identifier-key header instead. */
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
  userIdentityId?: InputMaybe<Scalars['ID']['input']>;
};

/** Resources to add to a client session, found by id or by user identifier key. */
export type GrantClientSessionAccessInput = {
  clientSessionId?: InputMaybe<Scalars['ID']['input']>;
  connectWebviewIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  connectedAccountIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
  userIdentityId?: InputMaybe<Scalars['ID']['input']>;
};

/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type Mutation = {
  __typename?: 'Mutation';
  /** Creates an access code on a device. A workspace API key may do it on any device of its workspace; a client session token only on the devices of its own connected accounts (NOT_FOUND otherwise, exactly as for one that does not exist, and nothing is sent to Seam). BAD_USER_INPUT for a device that cannot be given access codes. */
  createAccessCode: AccessCodePayload;
  /** Creates a client session (workspace API keys only). */
  createClientSession: ClientSessionPayload;
  /** Deletes an access code, and removes it from its device. A workspace API key may do it on any device of its workspace; a client session token only on the devices of its own connected accounts (NOT_FOUND otherwise, exactly as for one that does not exist, and nothing is sent to Seam). */
  deleteAccessCode: AccessCodeDeletedPayload;
  /** Deletes a client session: its token stops working and its sockets close (workspace API keys only). */
  deleteClientSession: ClientSessionEndedPayload;
  /** Finds or creates the client session of a user. Workspace API keys, and publishable keys (seam-publishable-key header) from a browser. */
  getOrCreateClientSession: ClientSessionPayload;
  /** Adds connected accounts, Connect Webviews or a user identity to a client session (workspace API keys only). */
  grantClientSessionAccess: ClientSessionPayload;
  /** Locks a lock. A workspace API key may lock any lock of its workspace; a client session token only the locks of its own connected accounts (NOT_FOUND otherwise, exactly as for a device that does not exist, and nothing is sent to Seam). BAD_USER_INPUT for a device that cannot be locked remotely. */
  lockDoor: ActionAttemptPayload;
  /** Revokes a client session: its token stops working and its sockets close (workspace API keys only). */
  revokeClientSession: ClientSessionEndedPayload;
  /** Unlocks a lock. Same rules as lockDoor; BAD_USER_INPUT for a device that cannot be unlocked remotely. */
  unlockDoor: ActionAttemptPayload;
  /** Changes an access code's PIN, name or time window. A workspace API key may do it on any device of its workspace; a client session token only on the devices of its own connected accounts (NOT_FOUND otherwise, exactly as for one that does not exist, and nothing is sent to Seam). */
  updateAccessCode: AccessCodePayload;
  /** Renames a device, or sets its custom metadata. A workspace API key may change any device of its workspace; a client session token only the devices of its own connected accounts (NOT_FOUND otherwise, exactly as for a device that does not exist, and nothing is sent to Seam). */
  updateDevice: DevicePayload;
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationCreateAccessCodeArgs = {
  input: CreateAccessCodeInput;
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationCreateClientSessionArgs = {
  input: CreateClientSessionInput;
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationDeleteAccessCodeArgs = {
  accessCodeId: Scalars['ID']['input'];
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationDeleteClientSessionArgs = {
  clientSessionId: Scalars['ID']['input'];
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationGetOrCreateClientSessionArgs = {
  input: GetOrCreateClientSessionInput;
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationGrantClientSessionAccessArgs = {
  input: GrantClientSessionAccessInput;
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationLockDoorArgs = {
  deviceId: Scalars['ID']['input'];
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationRevokeClientSessionArgs = {
  clientSessionId: Scalars['ID']['input'];
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationUnlockDoorArgs = {
  deviceId: Scalars['ID']['input'];
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationUpdateAccessCodeArgs = {
  input: UpdateAccessCodeInput;
};


/** Changes to client sessions (workspace API keys; a publishable key may get or create), and actions on devices (workspace API keys on their workspace's devices, client session tokens on the devices of their own connected accounts). */
export type MutationUpdateDeviceArgs = {
  input: UpdateDeviceInput;
};

export type Node = {
  id: Scalars['ID']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Reads. Every field needs a credential; a client session sees only its own. */
export type Query = {
  __typename?: 'Query';
  /** One access code by its Seam id; NOT_FOUND when it does not exist or its device is not yours. */
  accessCode?: Maybe<AccessCode>;
  /** One action attempt by its Seam id, started through this gateway in the last 24 hours; NOT_FOUND when it does not exist or its device is not yours. */
  actionAttempt?: Maybe<ActionAttempt>;
  /** One client session by id; a client session token may read only its own. */
  clientSession?: Maybe<ClientSession>;
  /** The workspace's client sessions (workspace API keys only), optionally filtered; null, with the error, when Seam cannot list them. Seam does not page this list: the query cost counts 50 sessions. */
  clientSessions?: Maybe<Array<ClientSession>>;
  /** One connected account by its Seam id; NOT_FOUND when it does not exist or is not yours. */
  connectedAccount?: Maybe<ConnectedAccount>;
  /** Connected accounts the caller may see; a client session sees only its own. Null, with the error, when Seam cannot list them. */
  connectedAccounts?: Maybe<ConnectedAccountConnection>;
  /** One device by its Seam id; NOT_FOUND when it does not exist or is not yours. */
  device?: Maybe<Device>;
  /** Devices the caller may see, newest first as Seam lists them. A client session sees only the devices of its connected accounts, whatever the filters. Null, with the error, when Seam cannot list them. */
  devices?: Maybe<DeviceConnection>;
  /** Any object by its global id; NOT_FOUND when it does not exist or is not yours. */
  node?: Maybe<Node>;
  /** Objects by global id (at most 100), in order; each missing or foreign one is null with a NOT_FOUND error. */
  nodes: Array<Maybe<Node>>;
  /** Who the caller is. */
  viewer: Viewer;
};


/** Reads. Every field needs a credential; a client session sees only its own. */
export type QueryAccessCodeArgs = {
  accessCodeId: Scalars['ID']['input'];
};


/** Reads. Every field needs a credential; a client session sees only its own. */
export type QueryActionAttemptArgs = {
  actionAttemptId: Scalars['ID']['input'];
};


/** Reads. Every field needs a credential; a client session sees only its own. */
export type QueryClientSessionArgs = {
  clientSessionId: Scalars['ID']['input'];
};


/** Reads. Every field needs a credential; a client session sees only its own. */
export type QueryClientSessionsArgs = {
  connectWebviewId?: InputMaybe<Scalars['ID']['input']>;
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
  userIdentityId?: InputMaybe<Scalars['ID']['input']>;
  withoutUserIdentifierKey?: InputMaybe<Scalars['Boolean']['input']>;
};


/** Reads. Every field needs a credential; a client session sees only its own. */
export type QueryConnectedAccountArgs = {
  connectedAccountId: Scalars['ID']['input'];
};


/** Reads. Every field needs a credential; a client session sees only its own. */
export type QueryConnectedAccountsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
};


/** Reads. Every field needs a credential; a client session sees only its own. */
export type QueryDeviceArgs = {
  deviceId: Scalars['ID']['input'];
};


/** Reads. Every field needs a credential; a client session sees only its own. */
export type QueryDevicesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  connectedAccountId?: InputMaybe<Scalars['ID']['input']>;
  deviceIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  deviceTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
};


/** Reads. Every field needs a credential; a client session sees only its own. */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Every field needs a credential; a client session sees only its own. */
export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};

/** Real-time events over graphql-ws or SSE. */
export type Subscription = {
  __typename?: 'Subscription';
  /** The outcome of an action attempt started through this gateway: one event when it is SUCCESS or ERROR, then the subscription ends (at once, when it already has finished). NOT_FOUND when it does not exist or its device is not yours. */
  actionAttemptUpdated: ActionAttempt;
  /** Ends of client sessions. A client session token receives only its own session's end; a workspace API key receives its workspace's, optionally filtered. */
  clientSessionDeleted: ClientSessionDeletedEvent;
  /** Events of devices, as they happen. A client session token receives the events of the devices of its own connected accounts; a workspace API key its workspace's. `deviceIds` (at most 100) narrows to those devices, each of which must be the caller's (NOT_FOUND otherwise, as for one that does not exist); `eventTypes` narrows to those types. */
  deviceEvents: DeviceEvent;
};


/** Real-time events over graphql-ws or SSE. */
export type SubscriptionActionAttemptUpdatedArgs = {
  actionAttemptId: Scalars['ID']['input'];
};


/** Real-time events over graphql-ws or SSE. */
export type SubscriptionClientSessionDeletedArgs = {
  clientSessionId?: InputMaybe<Scalars['ID']['input']>;
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
};


/** Real-time events over graphql-ws or SSE. */
export type SubscriptionDeviceEventsArgs = {
  deviceIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  eventTypes?: InputMaybe<Array<DeviceEventType>>;
};

/** What to change on an access code: its PIN, its name, its time window (startsAt and endsAt together). */
export type UpdateAccessCodeInput = {
  /** Seam id of the access code. */
  accessCodeId: Scalars['ID']['input'];
  /** The new PIN: 4 to 9 digits. */
  code?: InputMaybe<Scalars['String']['input']>;
  /** When the code stops working: after startsAt, in the future. */
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** The new name: 1 to 200 characters, without control characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** When the code starts to work (with endsAt). */
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** What to change on a device: its name, its custom metadata, or both. */
export type UpdateDeviceInput = {
  /** Custom metadata to store on the device: at most 50 keys of at most 40 characters, each a string of at most 500 characters, a boolean or null. */
  customMetadata?: InputMaybe<Scalars['JSON']['input']>;
  /** Seam id of the device. */
  deviceId: Scalars['ID']['input'];
  /** The new name: 1 to 200 characters, without control characters. */
  name?: InputMaybe<Scalars['String']['input']>;
};

/** How a connected account identifies its user with the provider. */
export type UserIdentifier = {
  __typename?: 'UserIdentifier';
  apiUrl?: Maybe<Scalars['String']['output']>;
  email?: Maybe<Scalars['String']['output']>;
  exclusive?: Maybe<Scalars['Boolean']['output']>;
  phone?: Maybe<Scalars['String']['output']>;
  username?: Maybe<Scalars['String']['output']>;
};

/** The caller. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The caller's own client session; null for a workspace API key. */
  clientSession?: Maybe<ClientSession>;
  kind: ViewerKind;
  /** The caller's workspace. */
  workspaceId: Scalars['ID']['output'];
};

/** What kind of credential the caller holds. */
export type ViewerKind =
  /** A client session token. */
  | 'CLIENT_SESSION'
  /** A workspace API key. */
  | 'WORKSPACE';

export type SignedInDevicesQueryVariables = Exact<{ [key: string]: never; }>;


export type SignedInDevicesQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', clientSession?: { __typename?: 'ClientSession', clientSessionId: string, userIdentifierKey?: string | null, expiresAt: string, devices: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string, displayName: string, deviceType: string, manufacturer?: string | null, online?: boolean | null, locked?: boolean | null, batteryLevel?: number | null, canRemotelyLock?: boolean | null, canRemotelyUnlock?: boolean | null }> } } | null } };

export type SessionEndedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type SessionEndedSubscription = { __typename?: 'Subscription', clientSessionDeleted: { __typename?: 'ClientSessionDeletedEvent', clientSessionId: string, reason: ClientSessionEndReason, occurredAt: string } };

export type LockDeviceMutationVariables = Exact<{
  deviceId: Scalars['ID']['input'];
}>;


export type LockDeviceMutation = { __typename?: 'Mutation', lockDoor: { __typename?: 'ActionAttemptPayload', actionAttempt: { __typename?: 'ActionAttempt', actionAttemptId: string, status: ActionAttemptStatus } } };

export type UnlockDeviceMutationVariables = Exact<{
  deviceId: Scalars['ID']['input'];
}>;


export type UnlockDeviceMutation = { __typename?: 'Mutation', unlockDoor: { __typename?: 'ActionAttemptPayload', actionAttempt: { __typename?: 'ActionAttempt', actionAttemptId: string, status: ActionAttemptStatus } } };

export type AttemptOutcomeSubscriptionVariables = Exact<{
  actionAttemptId: Scalars['ID']['input'];
}>;


export type AttemptOutcomeSubscription = { __typename?: 'Subscription', actionAttemptUpdated: { __typename?: 'ActionAttempt', actionAttemptId: string, status: ActionAttemptStatus, error?: { __typename?: 'ActionAttemptError', message: string } | null } };

export type DeviceChangesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DeviceChangesSubscription = { __typename?: 'Subscription', deviceEvents: { __typename?: 'DeviceEvent', eventType: DeviceEventType, deviceId: string, device?: { __typename?: 'Device', deviceId: string, displayName: string, deviceType: string, manufacturer?: string | null, online?: boolean | null, locked?: boolean | null, batteryLevel?: number | null, canRemotelyLock?: boolean | null, canRemotelyUnlock?: boolean | null } | null } };


export const SignedInDevicesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SignedInDevices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentifierKey"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"devices"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"deviceType"}},{"kind":"Field","name":{"kind":"Name","value":"manufacturer"}},{"kind":"Field","name":{"kind":"Name","value":"online"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"batteryLevel"}},{"kind":"Field","name":{"kind":"Name","value":"canRemotelyLock"}},{"kind":"Field","name":{"kind":"Name","value":"canRemotelyUnlock"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<SignedInDevicesQuery, SignedInDevicesQueryVariables>;
export const SessionEndedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"SessionEnded"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionDeleted"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]} as unknown as DocumentNode<SessionEndedSubscription, SessionEndedSubscriptionVariables>;
export const LockDeviceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LockDevice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lockDoor"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttempt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<LockDeviceMutation, LockDeviceMutationVariables>;
export const UnlockDeviceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UnlockDevice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unlockDoor"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttempt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<UnlockDeviceMutation, UnlockDeviceMutationVariables>;
export const AttemptOutcomeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"AttemptOutcome"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"actionAttemptId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttemptUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"actionAttemptId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"actionAttemptId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AttemptOutcomeSubscription, AttemptOutcomeSubscriptionVariables>;
export const DeviceChangesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DeviceChanges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceEvents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"device"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"deviceType"}},{"kind":"Field","name":{"kind":"Name","value":"manufacturer"}},{"kind":"Field","name":{"kind":"Name","value":"online"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"batteryLevel"}},{"kind":"Field","name":{"kind":"Name","value":"canRemotelyLock"}},{"kind":"Field","name":{"kind":"Name","value":"canRemotelyUnlock"}}]}}]}}]}}]} as unknown as DocumentNode<DeviceChangesSubscription, DeviceChangesSubscriptionVariables>;
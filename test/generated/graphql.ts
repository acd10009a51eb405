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

/** A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations. */
export type __Schema = {
  __typename?: '__Schema';
  description?: Maybe<Scalars['String']['output']>;
  /** A list of all types supported by this server. */
  types: Array<__Type>;
  /** The type that query operations will be rooted at. */
  queryType: __Type;
  /** If this server supports mutation, the type that mutation operations will be rooted at. */
  mutationType?: Maybe<__Type>;
  /** If this server support subscription, the type that subscription operations will be rooted at. */
  subscriptionType?: Maybe<__Type>;
  /** A list of all directives supported by this server. */
  directives: Array<__Directive>;
};


/** A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations. */
export type __SchemaDirectivesArgs = {
  includeDeprecated?: Scalars['Boolean']['input'];
};

/**
 * The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.
 *
 * Depending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.
 */
export type __Type = {
  __typename?: '__Type';
  kind: __TypeKind;
  name?: Maybe<Scalars['String']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  specifiedByURL?: Maybe<Scalars['String']['output']>;
  fields?: Maybe<Array<__Field>>;
  interfaces?: Maybe<Array<__Type>>;
  possibleTypes?: Maybe<Array<__Type>>;
  enumValues?: Maybe<Array<__EnumValue>>;
  inputFields?: Maybe<Array<__InputValue>>;
  ofType?: Maybe<__Type>;
  isOneOf?: Maybe<Scalars['Boolean']['output']>;
};


/**
 * The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.
 *
 * Depending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.
 */
export type __TypeFieldsArgs = {
  includeDeprecated?: InputMaybe<Scalars['Boolean']['input']>;
};


/**
 * The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.
 *
 * Depending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.
 */
export type __TypeEnumValuesArgs = {
  includeDeprecated?: InputMaybe<Scalars['Boolean']['input']>;
};


/**
 * The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.
 *
 * Depending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.
 */
export type __TypeInputFieldsArgs = {
  includeDeprecated?: InputMaybe<Scalars['Boolean']['input']>;
};

/** An enum describing what kind of type a given `__Type` is. */
export type __TypeKind =
  /** Indicates this type is a scalar. */
  | 'SCALAR'
  /** Indicates this type is an object. `fields` and `interfaces` are valid fields. */
  | 'OBJECT'
  /** Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields. */
  | 'INTERFACE'
  /** Indicates this type is a union. `possibleTypes` is a valid field. */
  | 'UNION'
  /** Indicates this type is an enum. `enumValues` is a valid field. */
  | 'ENUM'
  /** Indicates this type is an input object. `inputFields` is a valid field. */
  | 'INPUT_OBJECT'
  /** Indicates this type is a list. `ofType` is a valid field. */
  | 'LIST'
  /** Indicates this type is a non-null. `ofType` is a valid field. */
  | 'NON_NULL';

/** Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type. */
export type __Field = {
  __typename?: '__Field';
  name: Scalars['String']['output'];
  description?: Maybe<Scalars['String']['output']>;
  args: Array<__InputValue>;
  type: __Type;
  isDeprecated: Scalars['Boolean']['output'];
  deprecationReason?: Maybe<Scalars['String']['output']>;
};


/** Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type. */
export type __FieldArgsArgs = {
  includeDeprecated?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value. */
export type __InputValue = {
  __typename?: '__InputValue';
  name: Scalars['String']['output'];
  description?: Maybe<Scalars['String']['output']>;
  type: __Type;
  /** A GraphQL-formatted string representing the default value for this input value. */
  defaultValue?: Maybe<Scalars['String']['output']>;
  isDeprecated: Scalars['Boolean']['output'];
  deprecationReason?: Maybe<Scalars['String']['output']>;
};

/** One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string. */
export type __EnumValue = {
  __typename?: '__EnumValue';
  name: Scalars['String']['output'];
  description?: Maybe<Scalars['String']['output']>;
  isDeprecated: Scalars['Boolean']['output'];
  deprecationReason?: Maybe<Scalars['String']['output']>;
};

/**
 * A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.
 *
 * In some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally including or skipping a field. Directives provide this by describing additional information to the executor.
 */
export type __Directive = {
  __typename?: '__Directive';
  name: Scalars['String']['output'];
  description?: Maybe<Scalars['String']['output']>;
  isRepeatable: Scalars['Boolean']['output'];
  locations: Array<__DirectiveLocation>;
  args: Array<__InputValue>;
  isDeprecated: Scalars['Boolean']['output'];
  deprecationReason?: Maybe<Scalars['String']['output']>;
};


/**
 * A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.
 *
 * In some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally including or skipping a field. Directives provide this by describing additional information to the executor.
 */
export type __DirectiveArgsArgs = {
  includeDeprecated?: InputMaybe<Scalars['Boolean']['input']>;
};

/** A Directive can be adjacent to many parts of the GraphQL language, a __DirectiveLocation describes one such possible adjacencies. */
export type __DirectiveLocation =
  /** Location adjacent to a query operation. */
  | 'QUERY'
  /** Location adjacent to a mutation operation. */
  | 'MUTATION'
  /** Location adjacent to a subscription operation. */
  | 'SUBSCRIPTION'
  /** Location adjacent to a field. */
  | 'FIELD'
  /** Location adjacent to a fragment definition. */
  | 'FRAGMENT_DEFINITION'
  /** Location adjacent to a fragment spread. */
  | 'FRAGMENT_SPREAD'
  /** Location adjacent to an inline fragment. */
  | 'INLINE_FRAGMENT'
  /** Location adjacent to a variable definition. */
  | 'VARIABLE_DEFINITION'
  /** Location adjacent to a schema definition. */
  | 'SCHEMA'
  /** Location adjacent to a scalar definition. */
  | 'SCALAR'
  /** Location adjacent to an object type definition. */
  | 'OBJECT'
  /** Location adjacent to a field definition. */
  | 'FIELD_DEFINITION'
  /** Location adjacent to an argument definition. */
  | 'ARGUMENT_DEFINITION'
  /** Location adjacent to an interface definition. */
  | 'INTERFACE'
  /** Location adjacent to a union definition. */
  | 'UNION'
  /** Location adjacent to an enum definition. */
  | 'ENUM'
  /** Location adjacent to an enum value definition. */
  | 'ENUM_VALUE'
  /** Location adjacent to an input object type definition. */
  | 'INPUT_OBJECT'
  /** Location adjacent to an input object field definition. */
  | 'INPUT_FIELD_DEFINITION'
  /** Location adjacent to a directive definition. */
  | 'DIRECTIVE_DEFINITION';

export type CreateAccessCodeMutationVariables = Exact<{
  input: CreateAccessCodeInput;
}>;


export type CreateAccessCodeMutation = { __typename?: 'Mutation', createAccessCode: { __typename?: 'AccessCodePayload', accessCode: { __typename?: 'AccessCode', id: string, accessCodeId: string, deviceId: string, name?: string | null, code?: string | null, type: string, status: string, startsAt?: string | null, endsAt?: string | null, createdAt: string, device?: { __typename?: 'Device', deviceId: string } | null }, actionAttempt?: { __typename?: 'ActionAttempt', actionAttemptId: string, actionType: string, status: ActionAttemptStatus } | null } };

export type UpdateAccessCodeMutationVariables = Exact<{
  input: UpdateAccessCodeInput;
}>;


export type UpdateAccessCodeMutation = { __typename?: 'Mutation', updateAccessCode: { __typename?: 'AccessCodePayload', accessCode: { __typename?: 'AccessCode', accessCodeId: string, deviceId: string, name?: string | null, code?: string | null, type: string, startsAt?: string | null, endsAt?: string | null }, actionAttempt?: { __typename?: 'ActionAttempt', actionAttemptId: string, actionType: string, status: ActionAttemptStatus } | null } };

export type DeleteAccessCodeMutationVariables = Exact<{
  accessCodeId: Scalars['ID']['input'];
}>;


export type DeleteAccessCodeMutation = { __typename?: 'Mutation', deleteAccessCode: { __typename?: 'AccessCodeDeletedPayload', accessCodeId: string, actionAttempt?: { __typename?: 'ActionAttempt', actionAttemptId: string, actionType: string, status: ActionAttemptStatus } | null } };

export type AccessCodeQueryVariables = Exact<{
  accessCodeId: Scalars['ID']['input'];
}>;


export type AccessCodeQuery = { __typename?: 'Query', accessCode?: { __typename?: 'AccessCode', accessCodeId: string, deviceId: string, name?: string | null, code?: string | null, device?: { __typename?: 'Device', deviceId: string } | null } | null };

export type DeviceAccessCodesQueryVariables = Exact<{
  deviceId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type DeviceAccessCodesQuery = { __typename?: 'Query', device?: { __typename?: 'Device', deviceId: string, accessCodes: { __typename?: 'AccessCodeConnection', nodes: Array<{ __typename?: 'AccessCode', accessCodeId: string, deviceId: string, name?: string | null, code?: string | null }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export type AccessCodeNodeQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type AccessCodeNodeQuery = { __typename?: 'Query', node?:
    | { __typename: 'AccessCode', accessCodeId: string, code?: string | null, id: string }
    | { __typename: 'ActionAttempt', id: string }
    | { __typename: 'ClientSession', id: string }
    | { __typename: 'ConnectedAccount', id: string }
    | { __typename: 'Device', id: string }
   | null };

export type WorkspaceDashboardQueryVariables = Exact<{ [key: string]: never; }>;


export type WorkspaceDashboardQuery = { __typename?: 'Query', clientSessions?: Array<{ __typename?: 'ClientSession', clientSessionId: string, connectedAccounts: Array<{ __typename?: 'ConnectedAccount', connectedAccountId: string, devices: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string }> } }> }> | null };

export type ClientSessionDevicesScreenQueryVariables = Exact<{ [key: string]: never; }>;


export type ClientSessionDevicesScreenQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', clientSession?: { __typename?: 'ClientSession', connectedAccounts: Array<{ __typename?: 'ConnectedAccount', connectedAccountId: string, devices: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string }> } }>, devices: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string, connectedAccount?: { __typename?: 'ConnectedAccount', connectedAccountId: string } | null }> } } | null } };

export type TwinDeviceListsQueryVariables = Exact<{ [key: string]: never; }>;


export type TwinDeviceListsQuery = { __typename?: 'Query', a?: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string }> } | null, b?: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string }> } | null };

export type LockDoorMutationVariables = Exact<{
  deviceId: Scalars['ID']['input'];
}>;


export type LockDoorMutation = { __typename?: 'Mutation', lockDoor: { __typename?: 'ActionAttemptPayload', actionAttempt: { __typename?: 'ActionAttempt', id: string, actionAttemptId: string, actionType: string, status: ActionAttemptStatus, error?: { __typename?: 'ActionAttemptError', type: string, message: string } | null, device?: { __typename?: 'Device', deviceId: string, locked?: boolean | null } | null } } };

export type UnlockDoorMutationVariables = Exact<{
  deviceId: Scalars['ID']['input'];
}>;


export type UnlockDoorMutation = { __typename?: 'Mutation', unlockDoor: { __typename?: 'ActionAttemptPayload', actionAttempt: { __typename?: 'ActionAttempt', id: string, actionAttemptId: string, actionType: string, status: ActionAttemptStatus, error?: { __typename?: 'ActionAttemptError', type: string, message: string } | null, device?: { __typename?: 'Device', deviceId: string, locked?: boolean | null } | null } } };

export type UpdateDeviceMutationVariables = Exact<{
  input: UpdateDeviceInput;
}>;


export type UpdateDeviceMutation = { __typename?: 'Mutation', updateDevice: { __typename?: 'DevicePayload', device: { __typename?: 'Device', deviceId: string, displayName: string, customMetadata?: unknown | null } } };

export type ActionAttemptQueryVariables = Exact<{
  actionAttemptId: Scalars['ID']['input'];
}>;


export type ActionAttemptQuery = { __typename?: 'Query', actionAttempt?: { __typename?: 'ActionAttempt', id: string, actionAttemptId: string, actionType: string, status: ActionAttemptStatus, error?: { __typename?: 'ActionAttemptError', type: string, message: string } | null, device?: { __typename?: 'Device', deviceId: string, locked?: boolean | null } | null } | null };

export type DeviceStateQueryVariables = Exact<{
  deviceId: Scalars['ID']['input'];
}>;


export type DeviceStateQuery = { __typename?: 'Query', device?: { __typename?: 'Device', deviceId: string, displayName: string, locked?: boolean | null, customMetadata?: unknown | null, canRemotelyLock?: boolean | null, canRemotelyUnlock?: boolean | null, canProgramOnlineAccessCodes?: boolean | null } | null };

export type DeviceEventsSubscriptionVariables = Exact<{
  deviceIds?: InputMaybe<Array<Scalars['ID']['input']> | Scalars['ID']['input']>;
  eventTypes?: InputMaybe<Array<DeviceEventType> | DeviceEventType>;
}>;


export type DeviceEventsSubscription = { __typename?: 'Subscription', deviceEvents: { __typename?: 'DeviceEvent', eventId: string, eventType: DeviceEventType, seamEventType: string, deviceId: string, connectedAccountId?: string | null, actionAttemptId?: string | null, occurredAt: string, device?: { __typename?: 'Device', deviceId: string, locked?: boolean | null, online?: boolean | null, batteryLevel?: number | null } | null } };

export type ActionAttemptUpdatedSubscriptionVariables = Exact<{
  actionAttemptId: Scalars['ID']['input'];
}>;


export type ActionAttemptUpdatedSubscription = { __typename?: 'Subscription', actionAttemptUpdated: { __typename?: 'ActionAttempt', actionAttemptId: string, actionType: string, status: ActionAttemptStatus, error?: { __typename?: 'ActionAttemptError', type: string, message: string } | null, device?: { __typename?: 'Device', deviceId: string, locked?: boolean | null } | null } };

export type ClientSessionWithoutTokenQueryVariables = Exact<{
  clientSessionId: Scalars['ID']['input'];
}>;


export type ClientSessionWithoutTokenQuery = { __typename?: 'Query', clientSession?: { __typename?: 'ClientSession', clientSessionId: string, workspaceId: string, userIdentifierKey?: string | null, connectedAccountIds: Array<string> } | null };

export type SessionDevicesAndAccountsQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionDevicesAndAccountsQuery = { __typename?: 'Query', devices?: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string }> } | null, connectedAccounts?: { __typename?: 'ConnectedAccountConnection', nodes: Array<{ __typename?: 'ConnectedAccount', connectedAccountId: string }> } | null };

export type ConnectedAccountsWithEdgesQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConnectedAccountsWithEdgesQuery = { __typename?: 'Query', connectedAccounts?: { __typename?: 'ConnectedAccountConnection', edges: Array<{ __typename?: 'ConnectedAccountEdge', cursor: string, node: { __typename?: 'ConnectedAccount', connectedAccountId: string } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } | null };

export type SchemaQueryTypeNameQueryVariables = Exact<{ [key: string]: never; }>;


export type SchemaQueryTypeNameQuery = { __typename?: 'Query', __schema: { __typename?: '__Schema', queryType: { __typename?: '__Type', name?: string | null } } };

export type DeviceWithAccountQueryVariables = Exact<{
  deviceId: Scalars['ID']['input'];
}>;


export type DeviceWithAccountQuery = { __typename?: 'Query', device?: { __typename?: 'Device', deviceId: string, connectedAccount?: { __typename?: 'ConnectedAccount', connectedAccountId: string, devices: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string }> } } | null } | null };

export type SessionWithRelationsQueryVariables = Exact<{
  clientSessionId: Scalars['ID']['input'];
}>;


export type SessionWithRelationsQuery = { __typename?: 'Query', clientSession?: { __typename?: 'ClientSession', clientSessionId: string, connectedAccounts: Array<{ __typename?: 'ConnectedAccount', connectedAccountId: string }>, devices: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string }> } } | null };

export type CreateClientSessionMutationVariables = Exact<{
  input: CreateClientSessionInput;
}>;


export type CreateClientSessionMutation = { __typename?: 'Mutation', createClientSession: { __typename?: 'ClientSessionPayload', clientSession: { __typename?: 'ClientSession', clientSessionId: string, userIdentifierKey?: string | null, connectedAccountIds: Array<string>, token?: string | null, expiresAt: string } } };

export type GetOrCreateClientSessionMutationVariables = Exact<{
  input: GetOrCreateClientSessionInput;
}>;


export type GetOrCreateClientSessionMutation = { __typename?: 'Mutation', getOrCreateClientSession: { __typename?: 'ClientSessionPayload', clientSession: { __typename?: 'ClientSession', clientSessionId: string, userIdentifierKey?: string | null, connectedAccountIds: Array<string>, token?: string | null } } };

export type GrantClientSessionAccessMutationVariables = Exact<{
  input: GrantClientSessionAccessInput;
}>;


export type GrantClientSessionAccessMutation = { __typename?: 'Mutation', grantClientSessionAccess: { __typename?: 'ClientSessionPayload', clientSession: { __typename?: 'ClientSession', clientSessionId: string, connectedAccountIds: Array<string> } } };

export type RevokeClientSessionMutationVariables = Exact<{
  clientSessionId: Scalars['ID']['input'];
}>;


export type RevokeClientSessionMutation = { __typename?: 'Mutation', revokeClientSession: { __typename?: 'ClientSessionEndedPayload', clientSessionId: string } };

export type DeleteClientSessionMutationVariables = Exact<{
  clientSessionId: Scalars['ID']['input'];
}>;


export type DeleteClientSessionMutation = { __typename?: 'Mutation', deleteClientSession: { __typename?: 'ClientSessionEndedPayload', clientSessionId: string } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', kind: ViewerKind, workspaceId: string, clientSession?: { __typename?: 'ClientSession', clientSessionId: string } | null } };

export type ClientSessionScreenQueryVariables = Exact<{ [key: string]: never; }>;


export type ClientSessionScreenQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', kind: ViewerKind, clientSession?: { __typename?: 'ClientSession', id: string, clientSessionId: string, workspaceId: string, userIdentifierKey?: string | null, connectedAccountIds: Array<string>, deviceCount: number, connectedAccounts: Array<{ __typename?: 'ConnectedAccount', connectedAccountId: string, devices: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string }> } }>, devices: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string, displayName: string, connectedAccount?: { __typename?: 'ConnectedAccount', connectedAccountId: string } | null }> } } | null } };

export type DeviceQueryVariables = Exact<{
  deviceId: Scalars['ID']['input'];
}>;


export type DeviceQuery = { __typename?: 'Query', device?: { __typename?: 'Device', id: string, deviceId: string, deviceType: string, displayName: string, workspaceId: string, createdAt: string, isManaged: boolean, capabilitiesSupported: Array<string>, online?: boolean | null, locked?: boolean | null, batteryLevel?: number | null, manufacturer?: string | null, properties?: unknown | null, customMetadata?: unknown | null, connectedAccount?: { __typename?: 'ConnectedAccount', connectedAccountId: string } | null } | null };

export type DevicesQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  connectedAccountId?: InputMaybe<Scalars['ID']['input']>;
  deviceIds?: InputMaybe<Array<Scalars['ID']['input']> | Scalars['ID']['input']>;
  deviceTypes?: InputMaybe<Array<Scalars['String']['input']> | Scalars['String']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
}>;


export type DevicesQuery = { __typename?: 'Query', devices?: { __typename?: 'DeviceConnection', edges: Array<{ __typename?: 'DeviceEdge', cursor: string, node: { __typename?: 'Device', deviceId: string } }>, nodes: Array<{ __typename?: 'Device', deviceId: string }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } | null };

export type ConnectedAccountQueryVariables = Exact<{
  connectedAccountId: Scalars['ID']['input'];
}>;


export type ConnectedAccountQuery = { __typename?: 'Query', connectedAccount?: { __typename?: 'ConnectedAccount', id: string, connectedAccountId: string, accountType?: string | null, displayName?: string | null, createdAt: string, customMetadata?: unknown | null, automaticallyManageNewDevices?: boolean | null, userIdentifier?: { __typename?: 'UserIdentifier', email?: string | null } | null, devices: { __typename?: 'DeviceConnection', nodes: Array<{ __typename?: 'Device', deviceId: string }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export type ConnectedAccountsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConnectedAccountsQuery = { __typename?: 'Query', connectedAccounts?: { __typename?: 'ConnectedAccountConnection', nodes: Array<{ __typename?: 'ConnectedAccount', connectedAccountId: string }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } | null };

export type ClientSessionQueryVariables = Exact<{
  clientSessionId: Scalars['ID']['input'];
}>;


export type ClientSessionQuery = { __typename?: 'Query', clientSession?: { __typename?: 'ClientSession', id: string, clientSessionId: string, workspaceId: string, userIdentifierKey?: string | null, customerKey?: string | null, userIdentityId?: string | null, userIdentityIds: Array<string>, connectedAccountIds: Array<string>, connectWebviewIds: Array<string>, createdAt: string, expiresAt: string, deviceCount: number, token?: string | null } | null };

export type ClientSessionsQueryVariables = Exact<{
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
  userIdentityId?: InputMaybe<Scalars['ID']['input']>;
  connectWebviewId?: InputMaybe<Scalars['ID']['input']>;
  withoutUserIdentifierKey?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type ClientSessionsQuery = { __typename?: 'Query', clientSessions?: Array<{ __typename?: 'ClientSession', clientSessionId: string, userIdentifierKey?: string | null, token?: string | null }> | null };

export type NodeQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type NodeQuery = { __typename?: 'Query', node?:
    | { __typename: 'AccessCode', id: string }
    | { __typename: 'ActionAttempt', id: string }
    | { __typename: 'ClientSession', clientSessionId: string, id: string }
    | { __typename: 'ConnectedAccount', connectedAccountId: string, id: string }
    | { __typename: 'Device', deviceId: string, id: string }
   | null };

export type NodesQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type NodesQuery = { __typename?: 'Query', nodes: Array<
    | { __typename: 'AccessCode', id: string }
    | { __typename: 'ActionAttempt', id: string }
    | { __typename: 'ClientSession', id: string }
    | { __typename: 'ConnectedAccount', id: string }
    | { __typename: 'Device', id: string }
   | null> };

export type ClientSessionDeletedSubscriptionVariables = Exact<{
  clientSessionId?: InputMaybe<Scalars['ID']['input']>;
  userIdentifierKey?: InputMaybe<Scalars['String']['input']>;
}>;


export type ClientSessionDeletedSubscription = { __typename?: 'Subscription', clientSessionDeleted: { __typename?: 'ClientSessionDeletedEvent', eventId: string, clientSessionId: string, workspaceId: string, userIdentifierKey?: string | null, occurredAt: string, reason: ClientSessionEndReason } };


export const CreateAccessCodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateAccessCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateAccessCodeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAccessCode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessCode"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"accessCodeId"}},{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"device"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"actionAttempt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"actionType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<CreateAccessCodeMutation, CreateAccessCodeMutationVariables>;
export const UpdateAccessCodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateAccessCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateAccessCodeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateAccessCode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessCode"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessCodeId"}},{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"actionAttempt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"actionType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateAccessCodeMutation, UpdateAccessCodeMutationVariables>;
export const DeleteAccessCodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteAccessCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accessCodeId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteAccessCode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accessCodeId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accessCodeId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessCodeId"}},{"kind":"Field","name":{"kind":"Name","value":"actionAttempt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"actionType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<DeleteAccessCodeMutation, DeleteAccessCodeMutationVariables>;
export const AccessCodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AccessCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accessCodeId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessCode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accessCodeId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accessCodeId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessCodeId"}},{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"device"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}}]}}]} as unknown as DocumentNode<AccessCodeQuery, AccessCodeQueryVariables>;
export const DeviceAccessCodesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DeviceAccessCodes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"device"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"accessCodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessCodeId"}},{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DeviceAccessCodesQuery, DeviceAccessCodesQueryVariables>;
export const AccessCodeNodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AccessCodeNode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessCode"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessCodeId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<AccessCodeNodeQuery, AccessCodeNodeQueryVariables>;
export const WorkspaceDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkspaceDashboard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}},{"kind":"Field","name":{"kind":"Name","value":"devices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<WorkspaceDashboardQuery, WorkspaceDashboardQueryVariables>;
export const ClientSessionDevicesScreenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClientSessionDevicesScreen"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}},{"kind":"Field","name":{"kind":"Name","value":"devices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"devices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ClientSessionDevicesScreenQuery, ClientSessionDevicesScreenQueryVariables>;
export const TwinDeviceListsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TwinDeviceLists"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"a"},"name":{"kind":"Name","value":"devices"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"2"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"b"},"name":{"kind":"Name","value":"devices"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"2"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}}]}}]} as unknown as DocumentNode<TwinDeviceListsQuery, TwinDeviceListsQueryVariables>;
export const LockDoorDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LockDoor"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lockDoor"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttempt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"actionType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"device"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}}]}}]}}]}}]}}]} as unknown as DocumentNode<LockDoorMutation, LockDoorMutationVariables>;
export const UnlockDoorDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UnlockDoor"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unlockDoor"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttempt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"actionType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"device"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}}]}}]}}]}}]}}]} as unknown as DocumentNode<UnlockDoorMutation, UnlockDoorMutationVariables>;
export const UpdateDeviceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateDevice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateDeviceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateDevice"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"device"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"customMetadata"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateDeviceMutation, UpdateDeviceMutationVariables>;
export const ActionAttemptDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ActionAttempt"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"actionAttemptId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttempt"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"actionAttemptId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"actionAttemptId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"actionType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"device"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}}]}}]}}]}}]} as unknown as DocumentNode<ActionAttemptQuery, ActionAttemptQueryVariables>;
export const DeviceStateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DeviceState"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"device"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"customMetadata"}},{"kind":"Field","name":{"kind":"Name","value":"canRemotelyLock"}},{"kind":"Field","name":{"kind":"Name","value":"canRemotelyUnlock"}},{"kind":"Field","name":{"kind":"Name","value":"canProgramOnlineAccessCodes"}}]}}]}}]} as unknown as DocumentNode<DeviceStateQuery, DeviceStateQueryVariables>;
export const DeviceEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DeviceEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"eventTypes"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeviceEventType"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deviceIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"eventTypes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"eventTypes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"seamEventType"}},{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}},{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"device"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"online"}},{"kind":"Field","name":{"kind":"Name","value":"batteryLevel"}}]}}]}}]}}]} as unknown as DocumentNode<DeviceEventsSubscription, DeviceEventsSubscriptionVariables>;
export const ActionAttemptUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ActionAttemptUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"actionAttemptId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttemptUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"actionAttemptId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"actionAttemptId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionAttemptId"}},{"kind":"Field","name":{"kind":"Name","value":"actionType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"device"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}}]}}]}}]}}]} as unknown as DocumentNode<ActionAttemptUpdatedSubscription, ActionAttemptUpdatedSubscriptionVariables>;
export const ClientSessionWithoutTokenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClientSessionWithoutToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"clientSessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentifierKey"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccountIds"}}]}}]}}]} as unknown as DocumentNode<ClientSessionWithoutTokenQuery, ClientSessionWithoutTokenQueryVariables>;
export const SessionDevicesAndAccountsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionDevicesAndAccounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"devices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}}]}}]}}]}}]} as unknown as DocumentNode<SessionDevicesAndAccountsQuery, SessionDevicesAndAccountsQueryVariables>;
export const ConnectedAccountsWithEdgesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConnectedAccountsWithEdges"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccounts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<ConnectedAccountsWithEdgesQuery, ConnectedAccountsWithEdgesQueryVariables>;
export const SchemaQueryTypeNameDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SchemaQueryTypeName"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__schema"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"queryType"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<SchemaQueryTypeNameQuery, SchemaQueryTypeNameQueryVariables>;
export const DeviceWithAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DeviceWithAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"device"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}},{"kind":"Field","name":{"kind":"Name","value":"devices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DeviceWithAccountQuery, DeviceWithAccountQueryVariables>;
export const SessionWithRelationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionWithRelations"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"clientSessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"devices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SessionWithRelationsQuery, SessionWithRelationsQueryVariables>;
export const CreateClientSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateClientSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateClientSessionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createClientSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentifierKey"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccountIds"}},{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]}}]} as unknown as DocumentNode<CreateClientSessionMutation, CreateClientSessionMutationVariables>;
export const GetOrCreateClientSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"GetOrCreateClientSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"GetOrCreateClientSessionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"getOrCreateClientSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentifierKey"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccountIds"}},{"kind":"Field","name":{"kind":"Name","value":"token"}}]}}]}}]}}]} as unknown as DocumentNode<GetOrCreateClientSessionMutation, GetOrCreateClientSessionMutationVariables>;
export const GrantClientSessionAccessDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"GrantClientSessionAccess"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"GrantClientSessionAccessInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"grantClientSessionAccess"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccountIds"}}]}}]}}]}}]} as unknown as DocumentNode<GrantClientSessionAccessMutation, GrantClientSessionAccessMutationVariables>;
export const RevokeClientSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeClientSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeClientSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"clientSessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}}]}}]}}]} as unknown as DocumentNode<RevokeClientSessionMutation, RevokeClientSessionMutationVariables>;
export const DeleteClientSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteClientSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteClientSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"clientSessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}}]}}]}}]} as unknown as DocumentNode<DeleteClientSessionMutation, DeleteClientSessionMutationVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"clientSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const ClientSessionScreenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClientSessionScreen"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"clientSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentifierKey"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccountIds"}},{"kind":"Field","name":{"kind":"Name","value":"deviceCount"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}},{"kind":"Field","name":{"kind":"Name","value":"devices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"devices"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ClientSessionScreenQuery, ClientSessionScreenQueryVariables>;
export const DeviceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Device"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"device"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"deviceType"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"isManaged"}},{"kind":"Field","name":{"kind":"Name","value":"capabilitiesSupported"}},{"kind":"Field","name":{"kind":"Name","value":"online"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"batteryLevel"}},{"kind":"Field","name":{"kind":"Name","value":"manufacturer"}},{"kind":"Field","name":{"kind":"Name","value":"properties"}},{"kind":"Field","name":{"kind":"Name","value":"customMetadata"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}}]}}]}}]}}]} as unknown as DocumentNode<DeviceQuery, DeviceQueryVariables>;
export const DevicesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Devices"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"connectedAccountId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceTypes"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userIdentifierKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"devices"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"connectedAccountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"connectedAccountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"deviceIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"deviceTypes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceTypes"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"userIdentifierKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userIdentifierKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<DevicesQuery, DevicesQueryVariables>;
export const ConnectedAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConnectedAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"connectedAccountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"connectedAccountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"connectedAccountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}},{"kind":"Field","name":{"kind":"Name","value":"accountType"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentifier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customMetadata"}},{"kind":"Field","name":{"kind":"Name","value":"automaticallyManageNewDevices"}},{"kind":"Field","name":{"kind":"Name","value":"devices"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConnectedAccountQuery, ConnectedAccountQueryVariables>;
export const ConnectedAccountsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConnectedAccounts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userIdentifierKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccounts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"userIdentifierKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userIdentifierKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<ConnectedAccountsQuery, ConnectedAccountsQueryVariables>;
export const ClientSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClientSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"clientSessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentifierKey"}},{"kind":"Field","name":{"kind":"Name","value":"customerKey"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentityId"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentityIds"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAccountIds"}},{"kind":"Field","name":{"kind":"Name","value":"connectWebviewIds"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"deviceCount"}},{"kind":"Field","name":{"kind":"Name","value":"token"}}]}}]}}]} as unknown as DocumentNode<ClientSessionQuery, ClientSessionQueryVariables>;
export const ClientSessionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClientSessions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userIdentifierKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userIdentityId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"connectWebviewId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"withoutUserIdentifierKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userIdentifierKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userIdentifierKey"}}},{"kind":"Argument","name":{"kind":"Name","value":"userIdentityId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userIdentityId"}}},{"kind":"Argument","name":{"kind":"Name","value":"connectWebviewId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"connectWebviewId"}}},{"kind":"Argument","name":{"kind":"Name","value":"withoutUserIdentifierKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"withoutUserIdentifierKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentifierKey"}},{"kind":"Field","name":{"kind":"Name","value":"token"}}]}}]}}]} as unknown as DocumentNode<ClientSessionsQuery, ClientSessionsQueryVariables>;
export const NodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Node"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Device"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectedAccount"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectedAccountId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ClientSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}}]}}]}}]}}]} as unknown as DocumentNode<NodeQuery, NodeQueryVariables>;
export const NodesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Nodes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<NodesQuery, NodesQueryVariables>;
export const ClientSessionDeletedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ClientSessionDeleted"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userIdentifierKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientSessionDeleted"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"clientSessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clientSessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"userIdentifierKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userIdentifierKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"clientSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"userIdentifierKey"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}}]} as unknown as DocumentNode<ClientSessionDeletedSubscription, ClientSessionDeletedSubscriptionVariables>;
import type { DeviceView, LiveSessionState, SignOutCause } from './live-session.js'

/** The page's elements that the view fills in (see `index.html`). */
export interface Elements {
  form: HTMLFormElement
  session: HTMLElement
  who: HTMLElement
  sessionId: HTMLElement
  live: HTMLElement
  devices: HTMLUListElement
  signedOut: HTMLElement
  signedOutReason: HTMLElement
  error: HTMLElement
}

/** Finds the page's elements; throws naming the first one `index.html` lacks. */
export function findElements(document: Document): Elements {
  const find = <T extends HTMLElement>(selector: string): T => {
    const element = document.querySelector<T>(selector)
    if (element === null)
      throw new Error(`Expected an element matching ${selector} in index.html, found none`)
    return element
  }
  return {
    form: find('#sign-in'),
    session: find('#session'),
    who: find('#who'),
    sessionId: find('#session-id'),
    live: find('#live'),
    devices: find('#devices'),
    signedOut: find('#signed-out'),
    signedOutReason: find('#signed-out-reason'),
    error: find('#error'),
  }
}

/**
 * Shows one state. Text only (`textContent`, never HTML): device names come from Seam and from
 * whoever named the device. `body[data-state]` carries the state's kind, for styles and tests.
 */
export function render(elements: Elements, state: LiveSessionState | { kind: 'idle' }): void {
  document.body.dataset.state = state.kind
  elements.session.hidden = state.kind !== 'signed-in'
  elements.signedOut.hidden = state.kind !== 'signed-out'
  elements.error.hidden = state.kind !== 'error'
  // The form stays for signing in (again), and hides while a session is on screen.
  elements.form.hidden = state.kind === 'signed-in' || state.kind === 'loading'

  switch (state.kind) {
    case 'signed-in': {
      const { session, devices, live } = state
      elements.who.textContent = `Signed in as ${session.userIdentifierKey ?? session.clientSessionId}`
      elements.sessionId.textContent = `Client session ${session.clientSessionId}, until ${new Date(session.expiresAt).toLocaleString()}`
      elements.live.dataset.live = String(live)
      elements.live.textContent = live ? '● Live' : 'Connecting…'
      elements.live.title = live
        ? 'Subscribed to clientSessionDeleted and deviceEvents: devices change and the screen signs out live'
        : 'Opening the subscription'
      elements.devices.replaceChildren(...devices.map(deviceItem))
      if (devices.length === 0) elements.devices.replaceChildren(textItem('No devices'))
      break
    }
    case 'signed-out':
      elements.devices.replaceChildren()
      elements.signedOutReason.textContent = describeSignOut(state.cause)
      break
    case 'error':
      elements.error.textContent = state.message
      break
    default:
      break
  }
}

/** What the signed-out screen says, per cause. */
export function describeSignOut(cause: SignOutCause): string {
  switch (cause.kind) {
    case 'event':
      return {
        DELETED: 'Your session was deleted. Sign in again with a new token to continue.',
        REVOKED: 'Your access was revoked. Sign in again with a new token to continue.',
        EXPIRED: 'Your session expired. Sign in again with a new token to continue.',
      }[cause.reason]
    case 'socket-closed':
      return `Your session has ended: the gateway closed the connection (${cause.code} ${cause.reason || 'Forbidden'}).`
    case 'refused':
      return `The gateway did not accept this token: ${cause.message}.`
    case 'user':
      return 'You signed out.'
  }
}

function deviceItem({ device, pending, failure }: DeviceView): HTMLLIElement {
  const item = document.createElement('li')
  item.dataset.deviceId = device.deviceId
  item.dataset.pending = String(pending !== undefined)

  const name = document.createElement('div')
  const title = document.createElement('div')
  title.textContent = device.displayName
  const id = document.createElement('div')
  id.className = 'device-id'
  id.textContent = device.deviceId
  const meta = document.createElement('div')
  meta.className = 'device-meta'
  meta.textContent = [device.manufacturer, device.deviceType].filter(Boolean).join(' · ')
  name.append(title, id, meta)

  const badges = document.createElement('div')
  badges.className = 'badges'
  const labels = [
    device.online === null || device.online === undefined ? undefined : device.online ? 'online' : 'offline',
    device.locked === null || device.locked === undefined ? undefined : device.locked ? 'locked' : 'unlocked',
    typeof device.batteryLevel === 'number' ? `battery ${Math.round(device.batteryLevel * 100)}%` : undefined,
  ]
  for (const label of labels) {
    if (label === undefined) continue
    const badge = document.createElement('span')
    badge.className = 'badge'
    badge.textContent = label
    badges.append(badge)
  }

  // The lock toggle, for locks that can be locked and unlocked from here.
  if (device.canRemotelyLock === true && device.canRemotelyUnlock === true) {
    const toggle = document.createElement('button')
    toggle.type = 'button'
    toggle.className = 'secondary toggle-lock'
    toggle.dataset.action = 'toggle-lock'
    toggle.dataset.deviceId = device.deviceId
    toggle.disabled = pending !== undefined
    toggle.textContent =
      pending !== undefined ? (pending.locked ? 'Locking…' : 'Unlocking…') : device.locked ? 'Unlock' : 'Lock'
    badges.append(toggle)
  }
  if (failure !== undefined) {
    const note = document.createElement('div')
    note.className = 'device-failure'
    note.setAttribute('role', 'alert')
    note.textContent = failure
    name.append(note)
  }

  item.append(name, badges)
  return item
}

function textItem(text: string): HTMLLIElement {
  const item = document.createElement('li')
  item.textContent = text
  return item
}

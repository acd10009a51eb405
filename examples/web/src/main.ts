import { type LiveSession, startLiveSession } from './live-session.js'
import { findElements, render } from './view.js'

/** Where the form points when the URL names no gateway: `npm start`'s default address. */
const DEFAULT_GATEWAY = 'http://127.0.0.1:4000'

const elements = findElements(document)
const gatewayInput = elements.form.elements.namedItem('gateway') as HTMLInputElement
const tokenInput = elements.form.elements.namedItem('token') as HTMLInputElement

// One session on screen at a time; a new sign-in replaces it.
let current: LiveSession | undefined

function signIn(gatewayUrl: string, token: string): void {
  current?.signOut()
  current = startLiveSession({ gatewayUrl, token, onChange: (state) => render(elements, state) })
}

elements.form.addEventListener('submit', (event) => {
  event.preventDefault()
  signIn(gatewayInput.value.trim(), tokenInput.value.trim())
  tokenInput.value = ''
})
document.querySelector('#sign-out')?.addEventListener('click', () => current?.signOut())
// The lock toggles are re-rendered with every change: one listener on the list serves them all.
elements.devices.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action="toggle-lock"]')
  if (button?.dataset.deviceId !== undefined) current?.toggleLock(button.dataset.deviceId)
})

// `?gateway=…&token=…` signs in at once. The token is then dropped from the address bar (and so
// from the history), and the gateway kept, so that a reload shows the form with the gateway filled in.
const params = new URLSearchParams(window.location.search)
gatewayInput.value = params.get('gateway') ?? DEFAULT_GATEWAY
const token = params.get('token')
render(elements, { kind: 'idle' })
if (token !== null && token !== '') {
  params.delete('token')
  window.history.replaceState(null, '', `${window.location.pathname}?${params}`)
  signIn(gatewayInput.value, token)
}

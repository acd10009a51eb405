import { gatewayError } from '../contract/errors.js'
import type { Principal } from './principal.js'
import { credentialKey } from './principal-cache.js'

/** Which budget refused a connection (a bounded metric label). */
export type ConnectionLimit = 'principal' | 'address' | 'instance'

/** Options of {@link createConnectionLimits}; 0 turns a cap off. */
export interface ConnectionLimitsOptions {
  /** Connections one credential (API key or client session token) may hold open at once. */
  perPrincipal: number
  /** Connections one client address may hold open at once, whatever their credentials. */
  perAddress: number
  /** Connections the instance holds open at once, whoever holds them. */
  perInstance: number
  /** Told of every refusal, with the budget that refused it. */
  onRefused?: (limit: ConnectionLimit) => void
}

/** Gives a connection's places back; calling it again does nothing. */
export type Release = () => void

/** Counts by key; a key whose count falls to 0 is gone, so only open connections cost memory. */
class Counts {
  readonly #counts = new Map<string, number>()
  get(key: string): number {
    return this.#counts.get(key) ?? 0
  }
  add(key: string): void {
    this.#counts.set(key, this.get(key) + 1)
  }
  remove(key: string): void {
    const count = this.get(key) - 1
    if (count > 0) this.#counts.set(key, count)
    else this.#counts.delete(key)
  }
  get size(): number {
    return this.#counts.size
  }
}

/** The key of a principal's budget: its credential's hash, as the principal cache keys it. */
const principalKey = (principal: Principal): string | undefined =>
  principal.kind === 'workspace' || principal.kind === 'clientSession'
    ? credentialKey(principal.credential)
    : undefined

/**
 * Caps on connections held open at once, graphql-ws sockets and SSE subscription streams alike:
 * per credential, per client address, per instance. A rate limit cannot do this: an idle socket
 * costs memory, a file descriptor and a re-validation lookup per period, but no operation.
 *
 * A socket takes its address's place at the upgrade (before it says who it is) and its
 * credential's once `connection_init` resolved it; an SSE stream takes both as it starts. Every
 * place comes back through the {@link Release} its connection got, which its owner calls however
 * the connection ends. Counted per process: each instance caps its own connections.
 */
export function createConnectionLimits(options: ConnectionLimitsOptions) {
  const byAddress = new Counts()
  const byPrincipal = new Counts()
  let open = 0

  const refuse = (limit: ConnectionLimit, message: string): never => {
    options.onRefused?.(limit)
    // No Retry-After: a place frees when a connection of the same budget ends, not at a time.
    throw gatewayError('RATE_LIMITED', message, { http: { status: 429 } })
  }
  // Messages fit a WebSocket close reason (123 bytes) at the largest caps the configuration allows.
  const checkInstance = () => {
    const cap = options.perInstance
    if (cap > 0 && open >= cap)
      refuse('instance', `At most ${cap} connections may be open at once on this instance (MAX_CONNECTIONS)`)
  }
  const checkAddress = (address: string) => {
    const cap = options.perAddress
    if (cap > 0 && byAddress.get(address) >= cap)
      refuse(
        'address',
        `At most ${cap} connections from one client address may be open at once (MAX_CONNECTIONS_PER_ADDRESS)`,
      )
  }
  const checkPrincipal = (key: string | undefined) => {
    const cap = options.perPrincipal
    if (key !== undefined && cap > 0 && byPrincipal.get(key) >= cap)
      refuse(
        'principal',
        `At most ${cap} connections of one credential may be open at once (MAX_CONNECTIONS_PER_PRINCIPAL)`,
      )
  }

  const takeAddress = (address: string): Release => {
    open++
    byAddress.add(address)
    return once(() => {
      open--
      byAddress.remove(address)
    })
  }
  const takePrincipal = (key: string | undefined): Release => {
    if (key === undefined) return () => {}
    byPrincipal.add(key)
    return once(() => byPrincipal.remove(key))
  }

  return {
    /**
     * A WebSocket upgrade from `address`: a place of the instance and of the address.
     * @throws RATE_LIMITED (HTTP 429) naming the cap that is full
     */
    acquireAddress(address: string): Release {
      checkInstance()
      checkAddress(address)
      return takeAddress(address)
    },
    /**
     * A socket's credential, once `connection_init` resolved it: a place of the credential (none
     * for a principal without one).
     * @throws RATE_LIMITED naming MAX_CONNECTIONS_PER_PRINCIPAL
     */
    acquirePrincipal(principal: Principal): Release {
      const key = principalKey(principal)
      checkPrincipal(key)
      return takePrincipal(key)
    },
    /**
     * An SSE subscription stream of `principal` from `address`: every place at once, or none.
     * @throws RATE_LIMITED (HTTP 429) naming the cap that is full
     */
    acquireStream(principal: Principal, address: string): Release {
      const key = principalKey(principal)
      checkInstance()
      checkAddress(address)
      checkPrincipal(key)
      const releaseAddress = takeAddress(address)
      const releasePrincipal = takePrincipal(key)
      return () => {
        releaseAddress()
        releasePrincipal()
      }
    },
    /** Connections open, and the addresses and credentials holding them (bounded by those). */
    get tracked(): { open: number; addresses: number; principals: number } {
      return { open, addresses: byAddress.size, principals: byPrincipal.size }
    },
  }
}

/** The process's caps on open connections. */
export type ConnectionLimits = ReturnType<typeof createConnectionLimits>

const once = (release: () => void): Release => {
  let released = false
  return () => {
    if (released) return
    released = true
    release()
  }
}

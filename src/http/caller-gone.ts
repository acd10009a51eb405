import type { ServerResponse } from 'node:http'
import type { Abandonment } from '../upstream/client.js'

/**
 * A request's caller going away, read from its Node response: as whatwg-node's request signal, it
 * fires when the response closes before it finished (the client dropped the connection) and never
 * after. It costs one EventEmitter listener on the response, added at the first upstream call and
 * shared by every call of the request, where the request signal is an EventTarget behind a Proxy
 * that every upstream call would subscribe to and unsubscribe from. Per request.
 */
export class CallerGone implements Abandonment {
  private listeners: Set<() => void> | undefined

  constructor(private readonly res: ServerResponse) {}

  get aborted(): boolean {
    return this.res.destroyed && !this.res.writableFinished
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.listeners === undefined) {
      const listeners = new Set<() => void>()
      this.listeners = listeners
      this.res.once('close', () => {
        if (this.res.writableFinished) return
        for (const gone of listeners) gone()
        listeners.clear()
      })
    }
    this.listeners.add(listener)
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners?.delete(listener)
  }
}

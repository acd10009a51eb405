import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect, createServer } from 'node:net'

/** A redis-server this test started (and will stop), on a free loopback port. */
export interface TestRedis {
  url: string
  port: number
  /** Stops the server (SIGKILL-free: SHUTDOWN NOSAVE), as a crash of Redis looks to clients. */
  stop(): Promise<void>
  /** Starts it again on the same port. */
  restart(): Promise<void>
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/** Resolves once `PING` gets `+PONG` on the port. */
async function answers(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'))
      socket.setTimeout(500, () => {
        socket.destroy()
        resolve(false)
      })
      socket.once('error', () => resolve(false))
      socket.once('data', (data) => {
        socket.destroy()
        resolve(String(data).startsWith('+PONG'))
      })
    })
    if (ok) return
    if (Date.now() > deadline)
      throw new Error(`redis-server did not answer PING on port ${port} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * Starts `redis-server` on a free port with nothing persisted. Tests that must stop and restart
 * Redis use their own server; `.ci/run` makes sure the binary is installed.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    )
    await answers(port, 5000)
  }
  await launch()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child === undefined || child.exitCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    },
    restart: launch,
  }
}

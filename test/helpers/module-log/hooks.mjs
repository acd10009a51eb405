// Module hooks (they run off the main thread): each resolved URL is appended to the log file, so
// that what a process loaded can be read even if it dies.
import { appendFileSync } from 'node:fs'

let file

export function initialize(data) {
  file = data?.file
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context)
  if (file) appendFileSync(file, `${resolved.url}\n`)
  return resolved
}

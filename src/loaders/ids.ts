/**
 * True for a string that can be a Seam id: 1 to 128 visible ASCII characters. Anything else
 * (empty, huge, whitespace, control characters) names nothing that exists, so it never reaches
 * Seam: it answers NOT_FOUND at once, and a caller cannot make Seam fail on the gateway's behalf.
 */
export const isPlausibleId = (id: string): boolean => /^[\x21-\x7e]{1,128}$/.test(id)

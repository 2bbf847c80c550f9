/**
 * A token as a table may show it: enough to tell two apart, never enough to use. Tokens shorter
 * than 24 characters show only their first 4.
 */
export function shortenToken(token: string): string {
  if (token.length < 24) return `${token.slice(0, 4)}…`;
  return `${token.slice(0, 6)}…${token.slice(-4)}`;
}

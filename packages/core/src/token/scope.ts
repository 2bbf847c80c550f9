/** The scope tokens of a space-separated scope string, sorted and unique: one cache key per scope set. */
export function normalizeScope(scope: string | undefined): string[] {
  if (!scope) return [];
  return [...new Set(scope.split(' ').filter((s) => s.length > 0))].sort();
}

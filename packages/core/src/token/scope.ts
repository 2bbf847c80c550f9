/** The scope tokens of a space-separated scope string, sorted and unique: one cache key per scope set. */
export function normalizeScope(scope: string | undefined): string[] {
  if (!scope) return [];
  // One token (the common default scope): nothing to split, sort or deduplicate.
  if (!scope.includes(' ')) return [scope];
  return [...new Set(scope.split(' ').filter((s) => s.length > 0))].sort();
}

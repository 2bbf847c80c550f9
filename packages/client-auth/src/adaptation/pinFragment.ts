/**
 * The provider-config fragment that sets `path` to `value`, as a user would write it:
 * `pinFragment('clientAuth.audience', 'token_endpoint')` → `"clientAuth": { "audience": "token_endpoint" }`.
 */
export function pinFragment(path: string, value: string): string {
  return path
    .split('.')
    .reduceRight((inner, name, i) => (i === path.split('.').length - 1 ? `"${name}": ${JSON.stringify(value)}` : `"${name}": { ${inner} }`), '');
}

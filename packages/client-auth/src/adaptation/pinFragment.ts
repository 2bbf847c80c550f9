/**
 * Built once per setting and variant: paths and variants are the strategies' own constants, so a
 * thousand providers ask for the same few fragments (docs/performance.md, scale). Bounded anyway.
 */
const fragments = new Map<string, string>();
const REMEMBERED_FRAGMENTS = 64;

/**
 * The provider-config fragment that sets `path` to `value`, as a user would write it:
 * `pinFragment('clientAuth.audience', 'token_endpoint')` → `"clientAuth": { "audience": "token_endpoint" }`.
 */
export function pinFragment(path: string, value: string): string {
  const memo = `${path}\u0000${value}`;
  let fragment = fragments.get(memo);
  if (fragment === undefined) {
    const names = path.split('.');
    fragment = names.reduceRight((inner, name, i) => (i === names.length - 1 ? `"${name}": ${JSON.stringify(value)}` : `"${name}": { ${inner} }`), '');
    if (fragments.size < REMEMBERED_FRAGMENTS) fragments.set(memo, fragment);
  }
  return fragment;
}

#!/usr/bin/env node
// The `finauth` command. This file is committed (not built) so that `npm ci` links the bin even
// before `npm run build` has produced dist/: otherwise npm links nothing, and `npx finauth` would
// ask the npm registry for a package named "finauth" and run whatever is published under it.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('finauth: @finauth/cli is not built yet: run npm run build\n');
  process.exit(1);
}
await import(entry.href);

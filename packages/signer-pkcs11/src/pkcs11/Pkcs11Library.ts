import { existsSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import { describePkcs11Error, pkcs11Code } from './pkcs11Failure.js';

export type Pkcs11 = InstanceType<typeof pkcs11js.PKCS11>;

/** A module loaded and initialised once per process, shared by every signer that names its path. */
export interface Pkcs11Library {
  readonly path: string;
  readonly api: Pkcs11;
  /** Finalises and unloads the module when the last user releases it. */
  release(): void;
}

interface Entry {
  readonly api: Pkcs11;
  users: number;
  /** False when another user of the module in this process had already initialised it: leave it to them. */
  readonly ownsInitialize: boolean;
}

const loaded = new Map<string, Entry>();

/**
 * Loads the PKCS#11 module at `path` (or shares the copy loaded already) and calls C_Initialize
 * with CKF_OS_LOCKING_OK: signatures run on libuv's worker threads, so the module must lock for
 * itself. Throws an Error whose message says what failed (never a PIN: none is involved yet).
 * @see PKCS#11 v2.40 base §5.4 (C_Initialize), §6.6.2 (applications and threads)
 */
export function acquireLibrary(path: string): Pkcs11Library {
  let entry = loaded.get(path);
  if (!entry) {
    if (!existsSync(path)) throw new Error(`no file at ${path}: install the vendor's PKCS#11 module (SoftHSM: apt-get install softhsm2) or fix the path`);
    const api = new pkcs11js.PKCS11();
    try {
      api.load(path);
    } catch (error) {
      throw new Error(`cannot load ${path} as a PKCS#11 module (${describePkcs11Error(error)})`);
    }
    let ownsInitialize = true;
    try {
      api.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch (error) {
      if (pkcs11Code(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
        safely(() => api.close());
        throw new Error(`C_Initialize failed for ${path} (${describePkcs11Error(error)})`);
      }
      ownsInitialize = false;
    }
    entry = { api, users: 0, ownsInitialize };
    loaded.set(path, entry);
  }
  entry.users += 1;
  const held = entry;
  let released = false;
  return {
    path,
    api: held.api,
    release() {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users > 0 || loaded.get(path) !== held) return;
      loaded.delete(path);
      if (held.ownsInitialize) safely(() => held.api.C_Finalize());
      safely(() => held.api.close());
    },
  };
}

/** How many users hold the module at `path` (tests: every signer released it). */
export function libraryUsers(path: string): number {
  return loaded.get(path)?.users ?? 0;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Closing down: a module that already lost its token may refuse; nothing is left to release.
  }
}

import pkcs11js from 'pkcs11js';
import type { Pkcs11 } from './Pkcs11Library.js';

/** Which key: by CKA_LABEL, or by CKA_ID (hex), as vendors' tools show them. */
export interface KeySelector {
  readonly keyLabel?: string | undefined;
  /** Hex, e.g. "01a2". */
  readonly keyId?: string | undefined;
}

type Template = { type: number; value?: number | boolean | string | Buffer }[];

/** Every object of `objectClass` matching `selector` (at most `max`). */
export function findObjects(api: Pkcs11, session: Buffer, objectClass: number, selector: KeySelector, max = 2): Buffer[] {
  const template: Template = [{ type: pkcs11js.CKA_CLASS, value: objectClass }];
  if (selector.keyLabel !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: selector.keyLabel });
  if (selector.keyId !== undefined) template.push({ type: pkcs11js.CKA_ID, value: Buffer.from(selector.keyId, 'hex') });
  api.C_FindObjectsInit(session, template);
  try {
    return api.C_FindObjects(session, max);
  } finally {
    api.C_FindObjectsFinal(session);
  }
}

/** The private key `selector` names, or why there is not exactly one (two keys under one label are refused: which would sign?). */
export function findPrivateKey(api: Pkcs11, session: Buffer, selector: KeySelector, tokenLabel: string): { handle: Buffer } | { problem: string } {
  const found = findObjects(api, session, pkcs11js.CKO_PRIVATE_KEY, selector);
  const what = selector.keyLabel !== undefined ? `labelled "${selector.keyLabel}"` : `with id ${selector.keyId}`;
  if (found.length === 1) return { handle: found[0]! };
  if (found.length > 1) return { problem: `token "${tokenLabel}" holds several private keys ${what}: select the key by keyId` };
  return { problem: `token "${tokenLabel}" holds no private key ${what} (or the PIN's user cannot see it)` };
}

/** One attribute's raw value, or undefined when the object has none or will not show it (sensitive). */
export function attribute(api: Pkcs11, session: Buffer, handle: Buffer, type: number): Buffer | undefined {
  try {
    const [attr] = api.C_GetAttributeValue(session, handle, [{ type }]);
    const value = attr?.value;
    return Buffer.isBuffer(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A CK_ULONG attribute (key type, class): native-endian, 4 or 8 bytes. */
export function ulongAttribute(api: Pkcs11, session: Buffer, handle: Buffer, type: number): number | undefined {
  const raw = attribute(api, session, handle, type);
  if (!raw) return undefined;
  if (raw.length === 8) return Number(raw.readBigUInt64LE(0));
  if (raw.length === 4) return raw.readUInt32LE(0);
  return undefined;
}

/** A CK_BBOOL attribute. */
export function boolAttribute(api: Pkcs11, session: Buffer, handle: Buffer, type: number): boolean | undefined {
  const raw = attribute(api, session, handle, type);
  return raw && raw.length > 0 ? raw[0] !== 0 : undefined;
}

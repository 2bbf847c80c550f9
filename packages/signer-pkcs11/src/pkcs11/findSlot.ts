import type { Pkcs11 } from './Pkcs11Library.js';

/** Which token to use: PKCS#11 slot numbers change between machines and restarts; labels and serials do not. */
export interface TokenSelector {
  readonly tokenLabel?: string | undefined;
  readonly tokenSerial?: string | undefined;
}

/** PKCS#11 pads labels and serial numbers with blanks to a fixed width (v2.40 base §3.2, CK_TOKEN_INFO). */
const unpad = (value: string): string => value.replace(/[\s\u0000]+$/, '');

/**
 * The slot holding the token `selector` names, or why none does (the labels present, to help: a
 * label is not a secret). Two tokens with one label are refused: signing with the wrong one is worse
 * than not starting.
 */
export function findSlot(api: Pkcs11, selector: TokenSelector): { slot: Buffer; label: string } | { problem: string } {
  const present: { slot: Buffer; label: string; serial: string }[] = [];
  for (const slot of api.C_GetSlotList(true)) {
    const info = api.C_GetTokenInfo(slot);
    present.push({ slot, label: unpad(info.label), serial: unpad(info.serialNumber) });
  }
  const matches = present.filter((t) => (selector.tokenLabel !== undefined ? t.label === selector.tokenLabel : t.serial === selector.tokenSerial));
  const wanted = selector.tokenLabel !== undefined ? `labelled "${selector.tokenLabel}"` : `with serial "${selector.tokenSerial}"`;
  if (matches.length === 1) return { slot: matches[0]!.slot, label: matches[0]!.label };
  if (matches.length > 1) return { problem: `${matches.length} tokens are ${wanted}: select by tokenSerial instead` };
  const seen = present.filter((t) => t.label !== '').map((t) => `"${t.label}" (serial ${t.serial})`);
  return { problem: `no token ${wanted} is present; tokens present: ${seen.length > 0 ? seen.join(', ') : 'none'}` };
}

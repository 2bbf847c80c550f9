/**
 * PKCS#11 return values (`CKR_*`) that mean the session or the token is gone, not that this one
 * signature failed: the signer drops its sessions and reopens them (an HSM cluster fails over, a
 * token is re-inserted) before giving up.
 * @see PKCS#11 v2.40 base §11.1 (return values)
 */
const TOKEN_GONE = new Set([
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_DEVICE_REMOVED',
  'CKR_DEVICE_ERROR',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_TOKEN_NOT_RECOGNIZED',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_OBJECT_HANDLE_INVALID',
  'CKR_SLOT_ID_INVALID',
  'CKR_CRYPTOKI_NOT_INITIALIZED',
]);

/** The `CKR_*` name of a pkcs11js error (its message is that name), or undefined for anything else. */
export function pkcs11Code(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /\b(CKR_[A-Z0-9_]+)\b/.exec(error.message);
  return match?.[1];
}

/** True when `error` says the session or token is gone (reopen), not that one call failed. */
export function isTokenGone(error: unknown): boolean {
  const code = pkcs11Code(error);
  return code !== undefined && TOKEN_GONE.has(code);
}

/**
 * A short description of a module error for a message: the CKR name, else the error's first line
 * cut short. PKCS#11 errors never carry a PIN (C_Login's PIN is not echoed by pkcs11js).
 */
export function describePkcs11Error(error: unknown): string {
  const code = pkcs11Code(error);
  if (code) return code;
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 160);
}

import { defaultSecretResolver, type ConfigIssue, type SecretResolver } from '@finauth/core';
import type { EncryptionKeyOption } from './RedisCacheOptions.js';

/** A resolved AES-256 key. The material never leaves this object in a message or log line. */
export interface EncryptionKey {
  readonly id: string;
  readonly material: Buffer;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Resolves the configured keys (`env:` / `file:` references through the secret resolver, or inline
 * base64) and checks each is exactly 32 bytes. Problems go to `issues`, naming the path and the
 * reference, never the value.
 */
export function resolveEncryptionKeys(
  options: readonly unknown[],
  issues: ConfigIssue[],
  resolver: SecretResolver = defaultSecretResolver,
  baseDir: string = process.cwd(),
): EncryptionKey[] {
  const keys: EncryptionKey[] = [];
  const ids = new Set<string>();
  options.forEach((raw, i) => {
    const path = `keys[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      issues.push({ path, message: 'must be an object { id, key }' });
      return;
    }
    const { id, key } = raw as Partial<EncryptionKeyOption>;
    if (typeof id !== 'string' || !KEY_ID.test(id)) issues.push({ path: `${path}.id`, message: 'must be 1-64 letters, digits, ".", "_" or "-"' });
    else if (ids.has(id)) issues.push({ path: `${path}.id`, message: `duplicate key id "${id}"` });
    else ids.add(id);
    if (typeof key !== 'string' || key === '') {
      issues.push({ path: `${path}.key`, message: 'is required: env:NAME, file:path or the base64 of 32 bytes' });
      return;
    }
    let text: string;
    try {
      text = resolver.isReference(key) ? resolver.resolve(key, { baseDir }) : key;
    } catch (error) {
      issues.push({ path: `${path}.key`, message: error instanceof Error ? error.message : 'cannot resolve the reference' });
      return;
    }
    const material = decodeKey(text.trim());
    if (!material) {
      const where = resolver.isReference(key) ? `the value of ${describeReference(key)}` : 'the inline value';
      issues.push({ path: `${path}.key`, message: `${where} must be the base64 of exactly 32 bytes (an AES-256 key)` });
      return;
    }
    if (typeof id === 'string' && KEY_ID.test(id)) keys.push({ id, material });
  });
  return keys;
}

/** Base64 or base64url of exactly 32 bytes, else undefined. */
function decodeKey(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/** A reference is a name or a path, not a secret: safe to show. */
function describeReference(reference: string): string {
  return reference.length > 200 ? `${reference.slice(0, 200)}...` : reference;
}

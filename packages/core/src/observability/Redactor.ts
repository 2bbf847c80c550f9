import { FinauthError } from '../errors/index.js';
import { isPem, pemBodyLines } from './pemBodyLines.js';

const MASK = '[REDACTED]';
const SCRUBBED_FIELDS = ['message', 'errorDescription', 'errors'] as const;

/**
 * Removes known secret values from an error before it leaves finauth. Messages are built from
 * server text (error_description), and a hostile or careless server may echo a credential back.
 */
export class Redactor {
  private readonly secrets: string[];

  /**
   * A PEM secret (a signing key, a transport key) is masked whole and line by line: a server may
   * echo one line of it. The lines are split here, when a provider first needs its redactor (its
   * first failure), not for every provider at creation (docs/performance.md, scale).
   */
  constructor(secrets: readonly (string | undefined)[]) {
    const all = new Set<string>();
    for (const secret of secrets) {
      // Short values would mask ordinary words; credentials are never that short.
      if (typeof secret !== 'string' || secret.length < 6) continue;
      all.add(secret);
      if (isPem(secret)) for (const line of pemBodyLines(secret)) all.add(line);
    }
    this.secrets = [...all].sort((a, b) => b.length - a.length);
  }

  scrub(text: string, extra: readonly string[] = []): string {
    let out = text;
    for (const secret of [...extra.filter((s) => s.length >= 6), ...this.secrets]) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  }

  /** Scrubs a finauth error's message and server-provided fields in place; returns it. */
  scrubError<E>(error: E, extra: readonly string[] = []): E {
    if (!FinauthError.is(error)) return error;
    const record = error as unknown as Record<string, unknown>;
    for (const field of SCRUBBED_FIELDS) {
      const value = record[field];
      const scrubbed = typeof value === 'string' ? this.scrub(value, extra) : Array.isArray(value) ? Object.freeze(value.map((v) => (typeof v === 'string' ? this.scrub(v, extra) : v))) : value;
      if (scrubbed !== value) Object.defineProperty(error, field, { value: scrubbed, enumerable: field !== 'message', configurable: true, writable: false });
    }
    if (typeof error.stack === 'string') error.stack = this.scrub(error.stack, extra);
    return error;
  }
}

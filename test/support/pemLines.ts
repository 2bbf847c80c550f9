import { readFileSync } from 'node:fs';

/** The base64 lines of a PEM: any one of them in a text means key material leaked. */
export function pemLines(pem: string): string[] {
  return pem
    .split(/\r?\n/)
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));
}

/** pemLines of the PEM file at `path`. */
export function pemFileLines(path: string): string[] {
  return pemLines(readFileSync(path, 'utf8'));
}

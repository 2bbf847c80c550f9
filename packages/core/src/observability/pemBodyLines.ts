/**
 * The base64 lines of a PEM: a fragment of a key is as bad to leak as the whole. Split at "\n"
 * with a string separator (a "\r" before it is trimmed with the line).
 */
export function pemBodyLines(pem: string): string[] {
  const lines: string[] = [];
  for (const raw of pem.split('\n')) {
    const line = raw.trim();
    if (line.length >= 16 && !line.startsWith('-----')) lines.push(line);
  }
  return lines;
}

/** Whether a secret value is PEM text (a private key, as given or read through a reference). */
export function isPem(value: string): boolean {
  return value.includes('-----BEGIN ');
}

import { BlockList, isIP } from 'node:net';

/**
 * The hosts a proxy from the environment does not apply to (`NO_PROXY`), with the rules curl and
 * most HTTP clients follow: a comma- or space-separated list of `*`, host names (`bank.example`
 * matches itself and its subdomains; a leading `.` or `*.` means the same), IP addresses, CIDR
 * ranges (`10.0.0.0/8`), each optionally with `:port`. Case-insensitive.
 */
export class NoProxy {
  readonly #all: boolean;
  readonly #names: ReadonlyArray<{ readonly name: string; readonly port?: number }>;
  readonly #ranges = new BlockList();
  #hasRanges = false;

  constructor(list: string | undefined) {
    const names: Array<{ name: string; port?: number }> = [];
    let all = false;
    for (const raw of (list ?? '').split(/[\s,]+/)) {
      const entry = raw.trim().toLowerCase();
      if (!entry) continue;
      if (entry === '*') {
        all = true;
        continue;
      }
      if (entry.includes('/')) {
        const [address, bits] = entry.split('/');
        const family = isIP(address ?? '');
        if (family && /^\d{1,3}$/.test(bits ?? '')) {
          this.#ranges.addSubnet(address!, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
          this.#hasRanges = true;
        }
        continue;
      }
      const portMatch = /^(.*?)(?::(\d{1,5}))?$/.exec(entry.startsWith('[') ? entry.replace(/^\[([^\]]+)\]/, '$1') : entry);
      let name = portMatch?.[1] ?? entry;
      name = name.replace(/^\*?\./, '');
      if (!name) continue;
      names.push(portMatch?.[2] ? { name, port: Number(portMatch[2]) } : { name });
    }
    this.#all = all;
    this.#names = names;
  }

  /** True when a connection to `host:port` goes direct, not through the proxy. */
  matches(host: string, port: number): boolean {
    if (this.#all) return true;
    const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
    for (const { name, port: p } of this.#names) {
      if (p !== undefined && p !== port) continue;
      if (h === name || h.endsWith(`.${name}`)) return true;
    }
    if (this.#hasRanges) {
      const family = isIP(h);
      if (family) return this.#ranges.check(h, family === 6 ? 'ipv6' : 'ipv4');
    }
    return false;
  }
}

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { headerFor } from '../src/signing/Signer.js';

describe('headerFor', () => {
  it("copies the caller's members in order and always writes the signer's alg, leaving the caller's header as it was", () => {
    const given = { kid: 'k1', alg: 'none', typ: 'dpop+jwt' };
    const header = headerFor({ alg: 'ES256' }, given);
    expect(JSON.stringify(header)).to.equal('{"kid":"k1","alg":"ES256","typ":"dpop+jwt"}');
    expect(given.alg).to.equal('none');
    expect(JSON.stringify(headerFor({ alg: 'PS256' }, { kid: 'k2' }))).to.equal('{"kid":"k2","alg":"PS256"}');
  });

  it('gives every header it builds the same hidden class once optimised (no map allocated per signature)', () => {
    // `{ ...header, alg }` got a new V8 map on every call after optimisation in Node 20: a map
    // allocated per signature and megamorphic access downstream (docs/performance.md, "Object spread").
    const module = fileURLToPath(new URL('../src/signing/Signer.js', import.meta.url));
    const script = `
      const { headerFor } = await import(${JSON.stringify(module)});
      const header = { kid: 'k1' };
      const signer = { alg: 'ES256' };
      for (let i = 0; i < 200000; i++) headerFor(signer, header);
      const a = headerFor(signer, header);
      const b = headerFor(signer, header);
      process.stdout.write(String(%HaveSameMap(a, b)));
    `;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out).to.equal('true');
  });
});

// Child process (--expose-gc): heap and creation time of one instance with N providers.
// Prints JSON. Usage: node --expose-gc scale.mjs <pkiJson> <count> <kind>
import { createFinauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { fapiProvider, material } from './clients.mjs';

const [pkiJson, countArg, kind] = process.argv.slice(2);
const pki = JSON.parse(pkiJson);
const count = Number(countArg);
const m = material(pki, 'PS256');
const origin = 'https://127.0.0.1:9';
const providers = Array.from({ length: count }, (_, i) =>
  kind === 'basic'
    ? { id: `bank-${i}`, strategy: 'client_secret_basic', tokenEndpoint: `${origin}/token`, clientId: `client-${i}`, clientSecret: `secret-value-${i}`, tls: { ca: m.ca } }
    : fapiProvider(`bank-${i}`, origin, m),
);
// Warm the code paths (module loading, class-validator metadata) with one small instance first.
await createFinauth({ strategies: [fapi2(), clientSecretBasic()], providers: providers.slice(0, 1) }).close();
globalThis.gc();
globalThis.gc();
const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const fa = createFinauth({ strategies: [fapi2(), clientSecretBasic()], providers });
const createMs = performance.now() - t0;
// CPU time beside wall time: on a shared machine the wall figure carries the neighbours' load.
const cpu = process.cpuUsage(cpu0);
const createCpuMs = (cpu.user + cpu.system) / 1000;
globalThis.gc();
globalThis.gc();
const heapAfter = process.memoryUsage().heapUsed;
await fa.close();
// A second instance of the same size: the figure once V8 has optimised the validation code, which a
// process creating its instance once at start-up never reaches; reported beside the first.
const warm = [];
for (let i = 0; i < 3; i++) {
  const t1 = performance.now();
  const again = createFinauth({ strategies: [fapi2(), clientSecretBasic()], providers });
  warm.push(performance.now() - t1);
  await again.close();
}
process.stdout.write(JSON.stringify({ kind, providers: fa.providerIds.length, createMs, createCpuMs, createMsWarm: Math.min(...warm), heapMB: (heapAfter - heapBefore) / (1024 * 1024) }));

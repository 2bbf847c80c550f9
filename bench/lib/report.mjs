// docs/performance.md from a results object: the machine, the figures, the ratios, the targets.
import { readFileSync, writeFileSync } from 'node:fs';

const r0 = (x) => Math.round(x).toLocaleString('en-US');
const r2 = (x) => x.toFixed(2);
const mark = (ok) => (ok ? 'met' : '**not met**');

export function writeReport(results, file) {
  const lines = [];
  const { cold } = results;
  lines.push('| alg | mode | finauth (req/s) | openid-client (req/s) | bare (req/s) | finauth / openid-client | finauth / bare | time in GC: finauth / bare |', '|---|---|---|---|---|---|---|---|');
  const targets = [];
  for (const [alg, modes] of Object.entries(cold)) {
    for (const [mode, byClient] of Object.entries(modes)) {
      const f = byClient.finauth.median;
      const o = byClient['openid-client'].median;
      const b = byClient.bare.median;
      const gc = (name) => (byClient[name].gcShare === undefined ? '–' : `${(100 * byClient[name].gcShare).toFixed(1)}%`);
      lines.push(`| ${alg} | ${mode === 'concurrent' ? '16 in flight' : 'sequential'} | ${r0(f)} | ${r0(o)} | ${r0(b)} | ${r2(f / o)}× | ${r2(f / b)}× | ${gc('finauth')} / ${gc('bare')} |`);
      targets.push([`cold ${alg} ${mode}: ≥ 1.5× openid-client`, f / o >= 1.5, `${r2(f / o)}×`], [`cold ${alg} ${mode}: ≥ 0.95× bare`, f / b >= 0.95, `${r2(f / b)}×`]);
    }
  }
  const hs = Object.entries(results.handshakes).map(([name, h]) => `| ${name} | ${h.acquisitions} | ${h.tokenRequests} | ${h.handshakes} |`);
  const ch = results.cacheHit;
  const st = results.stampede;
  const sc = results.scale;
  targets.push(['cache hit ≤ 1.5× the Map baseline', ch.ratio <= 1.5, `${r2(ch.ratio)}×`]);
  if (results.telemetryCost) targets.push(['cache hit with OpenTelemetry and no SDK: unchanged (≤ 1.1× no telemetry)', results.telemetryCost.otelApiOnlyRatio <= 1.1, `${r2(results.telemetryCost.otelApiOnlyRatio)}×`]);
  targets.push(['stampede: exactly 1 token request', st.tokenRequests === 1, `${st.tokenRequests}`]);
  const ra = results.refreshAhead;
  if (ra) targets.push(['refresh ahead: p50 and p99 across the refresh point ≈ cache hit (≤ 1.5×), bank at 200 ms', ra.ratioP50 <= 1.5 && ra.ratioP99 <= 1.5, `${r2(ra.ratioP50)}× / ${r2(ra.ratioP99)}×`]);
  targets.push(['handshakes: 1 per provider per 1,000 acquisitions', results.handshakes.finauth.handshakes === 1, `${results.handshakes.finauth.handshakes}`]);
  for (const [kind, s] of Object.entries(sc)) {
    targets.push([`1,000 ${kind} providers: < 20 MB heap`, s.heapMB < 20, `${r2(s.heapMB)} MB`], [`1,000 ${kind} providers: < 200 ms to create`, s.createMs < 200, `${r0(s.createMs)} ms`]);
  }
  const redis = results.redisStampede;
  const table = [
    `Measured ${results.date.slice(0, 10)} on ${results.machine.cpu} (${results.machine.cores} cores, ${results.machine.platform}), Node.js ${results.node}, by \`npm run bench\`. Each figure is the median of rounds that alternate the clients' order${results.coldMethod ? ` (cold rows: ${results.coldMethod.rounds} rounds through every order of the three clients, each round from a full collection; ${r0(results.coldMethod.sequentialPerRound)} sequential or ${r0(results.coldMethod.concurrentPerRound)} concurrent acquisitions per client per round)` : ''}.`,
    '',
    '### Cold acquisition (`forceRefresh` every call): private_key_jwt over mutual TLS',
    '',
    ...lines,
    '',
    '### TLS handshakes (fresh client, discovery included)',
    '',
    '| client | acquisitions | token requests | TLS handshakes |',
    '|---|---|---|---|',
    ...hs,
    '',
    '### Cache hit, stampede, scale',
    '',
    `- Cache hit: ${r0(ch.finauthNs)} ns per \`await getToken(id)\` against ${r0(ch.mapNs)} ns for \`await Promise.resolve(map.get(k))\` with an expiry check: **${r2(ch.ratio)}×**.`,
    ...(results.telemetryCost
      ? [
          `- Telemetry on the cache hit: ${r0(results.telemetryCost.ns.none)} ns without telemetry, ${r0(results.telemetryCost.ns.otelApiOnly)} ns with \`@finauth/opentelemetry\` and no SDK (**${r2(results.telemetryCost.otelApiOnlyRatio)}×**), ${r0(results.telemetryCost.ns.otelSdk)} ns with the SDK recording (**${r2(results.telemetryCost.otelSdkRatio)}×**).`,
        ]
      : []),
    ...(ra
      ? [
          `- Refresh ahead (bank answering in ${ra.bankDelayMs} ms): \`getToken\` across the refresh point p50 ${ra.acrossRefreshPoint.p50Ms.toFixed(4)} ms / p99 ${ra.acrossRefreshPoint.p99Ms.toFixed(4)} ms against cache hits p50 ${ra.cacheHit.p50Ms.toFixed(4)} ms / p99 ${ra.cacheHit.p99Ms.toFixed(4)} ms: **${r2(ra.ratioP50)}× / ${r2(ra.ratioP99)}×**; ${r0(ra.servedWhileRefreshing)} calls served while the refresh (median ${r0(ra.medianRefreshMs)} ms) ran, none waited.`,
        ]
        : []),
    ...(results.dpopCost
      ? [`- Resource call through \`http()\` with a cached token: ${r0(results.dpopCost.usPerCall.bearer)} µs Bearer, ${r0(results.dpopCost.usPerCall.dpop)} µs with DPoP (a fresh ES256 proof per call): **${r2(results.dpopCost.ratio)}×**.`]
      : []),
    `- Stampede: ${r0(st.callers)} concurrent cold callers → **${st.tokenRequests}** token request(s), ${st.distinctTokens} distinct token(s), all resolved in ${r0(st.medianMs)} ms (median of rounds).`,
    ...Object.entries(sc).map(([kind, s]) => `- Scale: an instance with ${r0(s.providers)} ${kind} providers: **${r2(s.heapMB)} MB** of heap, created in **${r0(s.createMs)} ms** as the first such instance of a fresh process (${r0(s.createMsWarm)} ms for the next one, once V8 has optimised the validation code).`),
    redis?.skipped ? `- cache-redis cross-process stampede: skipped (${redis.skipped}).` : `- cache-redis cross-process stampede: \`${JSON.stringify(redis)}\``,
    '',
    ...hsmSection(results.hsmSigning),
    '### Targets',
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...targets.map(([name, ok, value]) => `| ${name} | ${value} | ${mark(ok)} |`),
  ].join('\n');
  const doc = readFileSync(file, 'utf8');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const next = doc.replace(new RegExp(`${begin}[\\s\\S]*${end}`), `${begin}\n${table}\n${end}`);
  writeFileSync(file, next);
}

/** signer-pkcs11: signatures per second and CPU per signature, SoftHSM2 against an in-process key (ratios from one run). */
function hsmSection(hsm) {
  if (!hsm) return [];
  if (hsm.skipped) return ['### HSM signing (signer-pkcs11)', '', `Skipped (${hsm.skipped}).`, ''];
  const rows = Object.entries(hsm.algs).flatMap(([alg, a]) =>
    ['inProcess', 'hsmOneSession', 'hsmFourSessions'].map((n) => `| ${alg} | ${n} | ${r0(a.medians[n].sequential)} | ${r0(a.medians[n].concurrent)} | ${r0(a.medians[n].cpuSequential)} µs | ${n === 'inProcess' ? '1.00' : r2(a.medians[n].sequential / a.medians.inProcess.sequential)}× | ${n === 'inProcess' ? '1.00' : r2(a.medians[n].concurrent / a.medians.inProcess.concurrent)}× |`),
  );
  return [
    '### HSM signing (signer-pkcs11, SoftHSM2)',
    '',
    `Median of ${hsm.rounds} rotating rounds of ${hsm.perRound} signatures; "concurrent" keeps ${hsm.inFlight} in flight. in-process = jose over a node:crypto key.`,
    '',
    '| alg | signer | sequential (sig/s) | concurrent (sig/s) | CPU per signature | sequential vs in-process | concurrent vs in-process |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ];
}

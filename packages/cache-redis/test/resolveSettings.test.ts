import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@finauth/core';
import { expect } from 'chai';
import { redisCache } from '../src/index.js';
import { resolveSettings } from '../src/resolveSettings.js';
import type { RedisCacheOptions } from '../src/RedisCacheOptions.js';

function issuesOf(options: unknown): { path: string; message: string }[] {
  try {
    resolveSettings(options as RedisCacheOptions);
  } catch (error) {
    expect(ConfigError.is(error), String(error)).to.equal(true);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected a ConfigError');
}

describe('redisCache options', () => {
  const KEY = randomBytes(32).toString('base64');
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'finauth-cache-keys-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the defaults (prefix, 500 ms command timeout, 5 s lease)', () => {
    const s = resolveSettings({ keys: [{ id: 'k1', key: KEY }] });
    expect(s).to.include({ keyPrefix: 'finauth:', commandTimeoutMs: 500, leaseMs: 5000, plaintext: false });
    expect(s.keys.map((k) => k.id)).to.deep.equal(['k1']);
  });

  it('takes one deployment: single node (failoverWaitMs 0), Cluster or Sentinel (failoverWaitMs 5000)', () => {
    expect(resolveSettings({ url: 'redis://h:1', plaintext: true })).to.include({ kind: 'node', failoverWaitMs: 0 });
    expect(resolveSettings({ cluster: { rootNodes: [{ url: 'redis://h:1' }] }, plaintext: true })).to.include({ kind: 'cluster', failoverWaitMs: 5000 });
    expect(resolveSettings({ sentinel: { name: 'm', sentinelRootNodes: [{ host: 'h', port: 26379 }] }, plaintext: true, failoverWaitMs: 900 })).to.include({ kind: 'sentinel', failoverWaitMs: 900 });
  });

  it('reports every Cluster and Sentinel problem by path', () => {
    const paths = (o: unknown): string[] => issuesOf(o).map((i) => i.path);
    expect(paths({ url: 'redis://h:1', cluster: { rootNodes: [{ url: 'redis://h:1' }] }, plaintext: true })).to.deep.equal(['cache.cluster']);
    expect(paths({ cluster: { rootNodes: [] }, plaintext: true })).to.deep.equal(['cache.cluster.rootNodes']);
    expect(paths({ cluster: { rootNodes: [{ url: 'http://h' }, {}, 5], useReplicas: true }, plaintext: true })).to.deep.equal(['cache.cluster.useReplicas', 'cache.cluster.rootNodes[0].url', 'cache.cluster.rootNodes[1]', 'cache.cluster.rootNodes[2]']);
    expect(paths({ sentinel: { sentinelRootNodes: [{ host: 'h', port: 0 }], nodeClientOptions: { url: 'redis://x' } }, plaintext: true })).to.deep.equal(['cache.sentinel.name', 'cache.sentinel.sentinelRootNodes[0]', 'cache.sentinel.nodeClientOptions.url']);
    expect(paths({ sentinel: 'x', failoverWaitMs: -1, plaintext: true })).to.deep.equal(['cache.sentinel', 'cache.failoverWaitMs']);
  });

  it('requires encryption keys unless plaintext is opted into explicitly', () => {
    expect(issuesOf({})).to.deep.equal([{ path: 'cache.keys', message: 'tokens are encrypted at rest: give at least one key { id, key: "env:NAME" | "file:path" }, or opt out with plaintext: true' }]);
    expect(resolveSettings({ plaintext: true }).plaintext).to.equal(true);
  });

  it('refuses plaintext together with keys', () => {
    expect(issuesOf({ plaintext: true, keys: [{ id: 'k1', key: KEY }] }).map((i) => i.path)).to.deep.equal(['cache.plaintext']);
  });

  it('resolves env: and file: references through core\'s secret resolver', () => {
    process.env['FINAUTH_TEST_CACHE_KEY'] = KEY;
    const file = join(dir, 'cache.key');
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`);
    try {
      const s = resolveSettings({ keys: [{ id: 'new', key: 'env:FINAUTH_TEST_CACHE_KEY' }, { id: 'old', key: `file:${file}` }] });
      expect(s.keys.map((k) => k.id)).to.deep.equal(['new', 'old']);
      expect(s.keys[0]!.material.toString('base64')).to.equal(KEY);
    } finally {
      delete process.env['FINAUTH_TEST_CACHE_KEY'];
    }
  });

  it('reports every bad key at once, by path, never echoing the key value', () => {
    const short = randomBytes(16).toString('base64');
    const issues = issuesOf({
      keys: [{ id: 'a', key: short }, { id: 'a', key: 'env:FINAUTH_TEST_UNSET_VAR' }, { id: 'bad id!', key: `file:${join(dir, 'missing.key')}` }, { id: 'ok', key: 'not base64 !!' }],
      leaseMs: 5,
      commandTimeoutMs: 'fast',
      keyPrefix: 'has {braces}',
      colour: 'blue',
    });
    const paths = issues.map((i) => i.path);
    expect(paths).to.include.members(['cache.keys[0].key', 'cache.keys[1].id', 'cache.keys[1].key', 'cache.keys[2].id', 'cache.keys[2].key', 'cache.keys[3].key', 'cache.leaseMs', 'cache.commandTimeoutMs', 'cache.keyPrefix', 'cache.colour']);
    expect(issues.find((i) => i.path === 'cache.keys[1].key')?.message).to.include('FINAUTH_TEST_UNSET_VAR');
    expect(JSON.stringify(issues)).to.not.include(short);
    expect(JSON.stringify(issues)).to.not.include('not base64 !!');
  });

  it('never shows a referenced value that is not a valid key', () => {
    process.env['FINAUTH_TEST_CACHE_KEY'] = 'password-like-secret-value';
    try {
      const issues = issuesOf({ keys: [{ id: 'k1', key: 'env:FINAUTH_TEST_CACHE_KEY' }] });
      expect(issues[0]?.message).to.include('env:FINAUTH_TEST_CACHE_KEY').and.include('32 bytes');
      expect(JSON.stringify(issues)).to.not.include('password-like-secret-value');
    } finally {
      delete process.env['FINAUTH_TEST_CACHE_KEY'];
    }
  });

  it('redisCache() throws the ConfigError before connecting anywhere', () => {
    expect(() => redisCache({ url: 'http://127.0.0.1:1', keys: [] })).to.throw(ConfigError).with.property('issues').that.deep.includes({ path: 'cache.url', message: 'must be a redis:// or rediss:// URL' });
  });
});

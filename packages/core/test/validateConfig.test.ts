import { expect } from 'chai';
import { IsOptional, IsString, ValidateBy, type ValidationArguments } from 'class-validator';
import { closestField, editDistance } from '../src/config/didYouMean.js';
import { instantiateConfig } from '../src/config/instantiateConfig.js';
import { quickValidate } from '../src/config/quickValidate.js';
import { validateConfig } from '../src/config/validateConfig.js';
import { StubConfig } from './support/stubStrategy.js';

/** A config whose `child` validator validates another Node from inside its own call (re-entry), then reads its arguments. */
class Node {
  @IsString()
  name!: string;

  @IsOptional()
  @ValidateBy({
    name: 'childIsNode',
    validator: {
      validate: (value: unknown, args?: ValidationArguments): boolean => {
        const object = args?.object as Node | undefined;
        const before = object?.name;
        const inner = typeof value === 'object' && value !== null && validateConfig(Node, value).ok;
        // The arguments of this call are still this call's after the inner validation.
        return inner && args?.value === value && args?.object === object && object?.name === before;
      },
    },
  })
  child?: unknown;
}

describe('validateConfig', () => {
  const valid = { id: 'bank', strategy: 'stub', tokenEndpoint: 'https://127.0.0.1/token', secret: 'value' };
  const messages = (input: unknown): string[] => {
    const r = validateConfig(StubConfig, input, 'p');
    return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
  };

  it('says "did you mean" when an unknown field is close to a known one, at every level', () => {
    expect(messages({ ...valid, scpoe: 'a' })).to.deep.equal(['p.scpoe: unknown field (did you mean "scope"?)']);
    expect(messages({ ...valid, TimeoutMs: 1000 })).to.deep.equal(['p.TimeoutMs: unknown field (did you mean "timeoutMs"?)']);
    expect(messages({ ...valid, retry: { maxRetry: 1 } })).to.deep.equal(['p.retry.maxRetry: unknown field (did you mean "maxRetries"?)']);
    expect(messages({ ...valid, tls: { certificate: 'x' } })).to.deep.equal(['p.tls.certificate: unknown field']);
  });

  it('says only "unknown field" when nothing is close', () => {
    expect(messages({ ...valid, banana: 1 })).to.deep.equal(['p.banana: unknown field']);
  });

  it('says "is required" for a missing required field, not what type it should have', () => {
    const { secret: _, ...missing } = valid;
    expect(messages(missing)).to.deep.equal(['p.secret: is required']);
    expect(messages({ ...valid, secret: 12 })).to.deep.equal(['p.secret: must be a string']);
  });

  it('never puts a value in a message', () => {
    const text = messages({ ...valid, secret: 12345678, scpoe: 'super-secret-scope' }).join('\n');
    expect(text).to.not.include('12345678');
    expect(text).to.not.include('super-secret-scope');
  });

  it("a validator re-entering validation of its own class still sees its own arguments (the fast path's shared arguments)", () => {
    const valid = { name: 'a', child: { name: 'b', child: { name: 'c', child: { name: 'd' } } } };
    expect(quickValidate(instantiateConfig(Node, valid))).to.equal(true);
    expect(validateConfig(Node, valid).ok).to.equal(true);
    const invalid = { name: 'a', child: { name: 'b', child: { name: 5 } } };
    expect(quickValidate(instantiateConfig(Node, invalid))).to.equal(false);
    const result = validateConfig(Node, invalid, 'p');
    expect(result.ok ? [] : result.issues.map((i) => i.path)).to.deep.equal(['p.child']);
  });

  describe('editDistance / closestField', () => {
    it('counts an adjacent transposition as one edit', () => {
      expect(editDistance('scpoe', 'scope')).to.equal(1);
      expect(editDistance('kitten', 'sitting')).to.equal(3);
      expect(editDistance('', 'abc')).to.equal(3);
    });
    it('picks the closest field within a third of its length', () => {
      expect(closestField('clientid', ['clientId', 'clientSecret'])).to.equal('clientId');
      expect(closestField('tokenEndpoin', ['tokenEndpoint', 'issuer'])).to.equal('tokenEndpoint');
      expect(closestField('id2', ['id', 'scope'])).to.equal('id');
      expect(closestField('xyz', ['id', 'scope'])).to.equal(undefined);
    });
  });
});

import { expect } from 'chai';
import { SingleFlight } from '../src/token/SingleFlight.js';
import { promotedByScavenges } from './support/promotion.js';

/** A promise and the functions that settle it. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  for (const how of ['run', 'runReleasing'] as const) {
    describe(how, () => {
      const start = (flights: SingleFlight<string>, key: string, fetch: () => Promise<string>): Promise<string> =>
        how === 'run'
          ? flights.run(key, fetch)
          : flights.runReleasing(key, async (release) => {
              try {
                return await fetch();
              } finally {
                release();
              }
            });

      it('shares one fetch between concurrent callers of a key, and starts another for another key', async () => {
        const flights = new SingleFlight<string>();
        const bank = deferred<string>();
        let fetches = 0;
        const fetch = (): Promise<string> => {
          fetches++;
          return bank.promise;
        };
        const a = start(flights, 'k', fetch);
        const b = start(flights, 'k', fetch);
        void start(flights, 'other', () => Promise.resolve('x'));
        expect(fetches).to.equal(1);
        expect(flights.has('k')).to.equal(true);
        bank.resolve('token');
        expect(await a).to.equal('token');
        expect(await b).to.equal('token');
      });

      it('frees the key before the callers resume, after a success and after a failure', async () => {
        const flights = new SingleFlight<string>();
        const ok = deferred<string>();
        const seen = start(flights, 'k', () => ok.promise).then(() => flights.has('k'));
        ok.resolve('t');
        expect(await seen).to.equal(false);
        const bad = deferred<string>();
        const seenAfterFailure = start(flights, 'k', () => bad.promise).catch(() => flights.has('k'));
        bad.reject(new Error('bank down'));
        expect(await seenAfterFailure).to.equal(false);
        expect(flights.size).to.equal(0);
      });
    });
  }

  it('runReleasing: a fetch that releases before its first await leaves the key free (nothing stale to join)', async () => {
    const flights = new SingleFlight<string>();
    const failed = flights.runReleasing('k', (release) => {
      release();
      return Promise.reject(new Error('invalid config'));
    });
    expect(flights.has('k')).to.equal(false);
    await failed.catch(() => undefined);
    const next = await flights.runReleasing('k', async (release) => {
      release();
      return 'fresh';
    });
    expect(next).to.equal('fresh');
  });

  it('runReleasing: a release after the key was taken again by a newer fetch does not free the newer one', async () => {
    const flights = new SingleFlight<string>();
    let releaseFirst!: () => void;
    const first = deferred<string>();
    void flights.runReleasing('k', (release) => {
      releaseFirst = release;
      return first.promise;
    });
    releaseFirst();
    const second = deferred<string>();
    void flights.runReleasing('k', () => second.promise);
    releaseFirst();
    expect(flights.has('k')).to.equal(true);
    first.resolve('a');
    second.resolve('b');
  });

  it('lets a caller give up with its signal while the fetch runs on for the others', async () => {
    const flights = new SingleFlight<string>();
    const bank = deferred<string>();
    const controller = new AbortController();
    const quitter = flights.run('k', () => bank.promise, controller.signal);
    const stayer = flights.run('k', () => bank.promise);
    controller.abort(new Error('caller gone'));
    const error = await quitter.then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).to.equal('caller gone');
    bank.resolve('token');
    expect(await stayer).to.equal('token');
  });
});

describe('SingleFlight under churn (16 keys, a fetch per key at a time)', () => {
  it('keeps nothing of a finished fetch alive through scavenges', () => {
    const flights = new SingleFlight<number[]>();
    // 4,000 fetches of 4 KB each; the Map each fetch added to and deleted from promoted them.
    const promoted = promotedByScavenges(() => {
      const releases: Array<() => void> = [];
      for (let i = 0; i < 4000; i++) {
        flights.runReleasing(`key-${i % 16}`, (release) => {
          releases.push(release);
          return Promise.resolve(new Array<number>(512).fill(i));
        });
        if (releases.length >= 16) releases.shift()!();
      }
      while (releases.length > 0) releases.shift()!();
    });
    expect(flights.size).to.equal(0);
    expect(promoted, `${promoted} bytes promoted`).to.be.below(2 * 1024 * 1024);
  });

  it('sweeps idle keys once many distinct keys were used, keeping a running fetch shared', async () => {
    const flights = new SingleFlight<string>();
    let releaseRunning!: () => void;
    let finishRunning!: (v: string) => void;
    const running = flights.runReleasing('running', (release) => {
      releaseRunning = release;
      return new Promise<string>((resolve) => (finishRunning = resolve));
    });
    for (let i = 0; i < 500; i++) await flights.run(`scope-${i}`, () => Promise.resolve(`t${i}`));
    expect(flights.has('running')).to.equal(true);
    expect(flights.size).to.equal(1);
    let joined = 0;
    const again = flights.runReleasing('running', () => {
      joined++;
      return Promise.resolve('second');
    });
    expect(joined).to.equal(0);
    expect(again).to.equal(running);
    finishRunning('t');
    releaseRunning();
    expect(flights.has('running')).to.equal(false);
    expect(await flights.run('running', () => Promise.resolve('fresh'))).to.equal('fresh');
  });
});

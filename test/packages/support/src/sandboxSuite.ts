import { startSandbox, type Sandbox, type SandboxOptions } from '@finauth/sandbox';

export interface SandboxSuite {
  /** The running sandbox (from the suite's `before` on). */
  readonly sandbox: Sandbox;
  /** Closes `resource` after the current test (a Finauth, a server...), and returns it. */
  track<T extends { close(): Promise<unknown> }>(resource: T): T;
}

/**
 * One sandbox for the enclosing `describe`: started before its tests, stopped after them. Before each
 * test every bank's faults and request log are cleared (a test sees only its own requests); after
 * each test everything `track`ed is closed.
 */
export function sandboxSuite(options: SandboxOptions = {}): SandboxSuite {
  let running: Sandbox | undefined;
  const open: Array<{ close(): Promise<unknown> }> = [];
  before(async function () {
    this.timeout(60_000);
    running = await startSandbox(options);
  });
  after(async () => {
    await running?.stop();
  });
  beforeEach(() => {
    for (const bank of [running!.ofp, running!.gateway, running!.snap]) {
      bank.faults.clear();
      bank.log.clear();
    }
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  return {
    get sandbox(): Sandbox {
      if (!running) throw new Error('the sandbox starts in the suite\'s before(): use it inside a hook or test');
      return running;
    },
    track(resource) {
      open.push(resource);
      return resource;
    },
  };
}

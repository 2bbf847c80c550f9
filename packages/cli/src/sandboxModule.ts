/**
 * `@finauth/sandbox` (oidc-provider, koa: about a hundred packages) is only for `finauth demo` and
 * `finauth sandbox`, so it is an optional peer of the cli, loaded when one of them runs: installing
 * the cli for `token` and `doctor` does not pull a server stack into a service.
 */
export type SandboxModule = typeof import('@finauth/sandbox');

/** The one line printed when the sandbox is not installed. */
export function sandboxMissing(command: string): string {
  return `finauth ${command}: needs the sandbox servers, which are not installed: npm install @finauth/sandbox`;
}

/** The sandbox package, or undefined when it is not installed (any other load failure is thrown). */
export async function loadSandbox(): Promise<SandboxModule | undefined> {
  try {
    return await import('@finauth/sandbox');
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes("'@finauth/sandbox'")) return undefined;
    throw error;
  }
}

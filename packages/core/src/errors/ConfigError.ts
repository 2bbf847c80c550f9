import { FinauthError, type FinauthErrorOptions } from './FinauthError.js';

export interface ConfigIssue {
  /** Where the problem is, e.g. `providers[1].clientAuth.alg`. */
  readonly path: string;
  /** What is wrong, never the offending secret value. */
  readonly message: string;
}

/** Invalid options or provider configuration: every problem found, at once. */
export class ConfigError extends FinauthError {
  readonly code = 'FINAUTH_CONFIG';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options: FinauthErrorOptions = {}) {
    super(ConfigError.describe(issues), options);
    this.issues = Object.freeze([...issues]);
  }

  static override is(value: unknown): value is ConfigError {
    return FinauthError.isNamed(value, 'ConfigError');
  }

  /** The same issues with `prefix` put before each path (a strategy reports paths relative to its provider). */
  static prefixed(prefix: string, issues: readonly ConfigIssue[]): ConfigIssue[] {
    return issues.map((i) => ({ path: i.path ? `${prefix}.${i.path}` : prefix, message: i.message }));
  }

  private static describe(issues: readonly ConfigIssue[]): string {
    const lines = issues.map((i) => `${i.path || '(options)'}: ${i.message}`);
    return `Invalid finauth configuration (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'}): ${lines.join('; ')}`;
  }

  protected override details(): Record<string, unknown> {
    return { issues: this.issues };
  }
}

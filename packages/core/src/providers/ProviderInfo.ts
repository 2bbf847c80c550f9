/** What one provider is, for tools (the CLI's table, doctor). */
export interface ProviderInfo {
  readonly id: string;
  readonly strategy: string;
  readonly authMethod: string;
  readonly scope: string | undefined;
  /** Where `http()` may send the token (`resourceOrigins`, normalised); undefined: any https origin. */
  readonly resourceOrigins?: readonly string[] | undefined;
}

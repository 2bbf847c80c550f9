/** What one provider is, for tools (the CLI's table, doctor). */
export interface ProviderInfo {
  readonly id: string;
  readonly strategy: string;
  readonly authMethod: string;
  readonly scope: string | undefined;
}

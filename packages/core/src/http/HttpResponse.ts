/** An HTTP answer reduced to what protocol checks need: pure data, so checks are testable without a socket. */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

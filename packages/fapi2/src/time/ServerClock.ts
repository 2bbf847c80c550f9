import type { Clock } from '@finauth/core';

/** Beyond this, a difference between the server's Date and ours is a skew, not latency or rounding. */
export const CLOCK_SKEW_THRESHOLD_MS = 5000;

/**
 * The time assertions are dated by. Normally the local clock; after the token endpoint rejected an
 * assertion while its `Date` header was more than 5 s away from the local clock, the server's clock
 * (local time plus the measured offset), until a response shows the local clock agrees again.
 * @see RFC 9110 §6.6.1 (Date), RFC 7523 §3 (exp, iat, nbf are checked against the server's clock)
 */
export class ServerClock {
  private measuredMs: number | undefined;
  private appliedMs = 0;
  /** The last Date header read and its value: a server sends the same one for a whole second. */
  private lastDate: { text: string; ms: number } | undefined;

  constructor(private readonly clock: Clock) {}

  /** Epoch milliseconds by the clock assertions should use. */
  now(): number {
    return this.clock.now() + this.appliedMs;
  }

  /** The offset applied now (0 when the local clock is trusted). */
  get offsetMs(): number {
    return this.appliedMs;
  }

  /** Records the offset a response's Date header shows; undefined when it has none or it does not parse. */
  observe(dateHeader: string | undefined, receivedAt: number): number | undefined {
    if (!dateHeader) return undefined;
    const last = this.lastDate;
    let server: number;
    if (last !== undefined && last.text === dateHeader) server = last.ms;
    else {
      server = Date.parse(dateHeader);
      this.lastDate = { text: dateHeader, ms: server };
    }
    if (Number.isNaN(server)) return undefined;
    // Date has one-second resolution and is truncated: the server's instant is within [date, date + 1 s).
    const measured = server + 500 - receivedAt;
    this.measuredMs = measured;
    return measured;
  }

  /** After a success: drop the correction once the local clock agrees with the server again. */
  settle(): void {
    if (this.appliedMs !== 0 && this.measuredMs !== undefined && Math.abs(this.measuredMs) <= CLOCK_SKEW_THRESHOLD_MS) this.appliedMs = 0;
  }

  /**
   * After a rejected assertion: when the last response showed a skew beyond the threshold that is
   * not already corrected, date the next assertions by the server's clock. Returns the offset
   * adopted, or undefined when there is nothing to correct (so no retry is worth it).
   */
  adopt(): number | undefined {
    const measured = this.measuredMs;
    if (measured === undefined || Math.abs(measured) <= CLOCK_SKEW_THRESHOLD_MS) return undefined;
    if (Math.abs(measured - this.appliedMs) <= CLOCK_SKEW_THRESHOLD_MS) return undefined;
    this.appliedMs = measured;
    return measured;
  }
}

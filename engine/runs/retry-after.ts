/**
 * The Retry-After a refused submission carries: a fixed value when configured, otherwise the
 * mean duration of the last runs this engine finished (a full queue frees a slot about that
 * often), kept within [1 s, 60 s].
 */
export class RetryAfterEstimator {
  private readonly fixedMs: number | undefined;
  private readonly recent: number[] = [];

  constructor(fixedMs?: number) {
    this.fixedMs = fixedMs;
  }

  record(durationMs: number): void {
    this.recent.push(Math.max(0, durationMs));
    if (this.recent.length > 50) this.recent.shift();
  }

  estimateMs(): number {
    if (this.fixedMs !== undefined) return this.fixedMs;
    const mean = this.recent.reduce((sum, value) => sum + value, 0) / (this.recent.length || 1);
    return Math.min(60_000, Math.max(1000, Math.round(mean)));
  }
}

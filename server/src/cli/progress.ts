/** A files-done progress bar on stderr, only on a terminal and only once a run has taken over a second. */
export class Progress {
  private readonly startedAt = Date.now();
  private shown = false;
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  tick(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.startedAt < 1000 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.shown = true;
    const width = 30;
    const filled = Math.round((done / Math.max(this.total, 1)) * width);
    process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${this.total} files`);
  }

  finish(): void {
    if (this.shown) process.stderr.write("\r\x1b[K");
  }
}

// A one-line progress display on a terminal's stderr, redrawn at most a few times a second.
export class ProgressLine {
  private last = 0;
  private shown = false;
  constructor(private readonly stream: NodeJS.WriteStream, private readonly intervalMs = 200) {}

  update(text: string): void {
    const now = Date.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    this.stream.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

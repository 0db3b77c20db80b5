// Progress on a terminal's stderr: one line, redrawn at most a few times a second, with the speed
// (rows per second) and, where the total is known, the share done and the time left. Callers
// create one only when stderr is a terminal and --json is off, so pipes and scripts see nothing.
import { t } from '../i18n/index.js';

export interface ProgressStream { write(text: string): unknown }

export class ProgressLine {
  private last = -Infinity;
  private shown = false;
  constructor(
    private readonly stream: ProgressStream,
    private readonly intervalMs = 200,
    private readonly now: () => number = Date.now,
  ) {}

  /** Redraw the line; skipped when the last redraw was under intervalMs ago, unless forced (a
   * new step, such as the next file, is always shown). */
  update(text: string, force = false): void {
    const now = this.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    this.stream.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  /** Clear the line, so that what is printed next starts on a clean line. */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

export interface Throughput {
  /** Units (rows, files) per second since the start; 0 before any time has passed. */
  perSecond: number;
  seconds: number;
  /** With a total: the share done, 0..1. */
  fraction?: number;
  /** With a total and some progress: the estimated seconds left at the speed so far. */
  secondsLeft?: number;
}

/** Speed and, with a total, what remains. The count may start again from zero (an import counts
 * the rows of each sheet): the speed is then measured from the last sample before the restart,
 * while the elapsed time runs on from the beginning. */
export class ProgressMeter {
  private readonly begun: number;
  private since: number;
  private lastDone = 0;
  private lastTime: number;
  constructor(private readonly now: () => number = Date.now) {
    this.begun = this.since = this.lastTime = now();
  }

  measure(done: number, total?: number): Throughput {
    const now = this.now();
    if (done < this.lastDone) this.since = this.lastTime;
    this.lastDone = done;
    this.lastTime = now;
    const span = (now - this.since) / 1000;
    const perSecond = span > 0 ? done / span : 0;
    const seconds = Math.max(0, (now - this.begun) / 1000);
    if (total === undefined || total <= 0) return { perSecond, seconds };
    const fraction = Math.min(1, Math.max(0, done / total));
    const secondsLeft = done > 0 && perSecond > 0 ? Math.max(0, (total - done) / perSecond) : undefined;
    return { perSecond, seconds, fraction, secondsLeft };
  }
}

/** 75 → '1 分 15 秒' / '1 min 15 s'; under a minute, seconds only; whole seconds, rounded up so
 * that an almost finished job never shows "0 s left". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  if (whole < 60) return t('render.durationSeconds', { s: whole });
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return t('render.durationMinutes', { m: minutes, s: String(whole % 60).padStart(2, '0') });
  return t('render.durationHours', { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, '0') });
}

/** '（1,234 行/秒，已用 5 秒）' for rows; with a total, '（40%，约剩 12 秒）' (after the speed, for
 * rows). Steps such as files go by too few at a time for a speed to mean much: none is shown. */
export function progressDetail(m: Throughput, unit?: 'rows'): string {
  const parts = unit === 'rows' ? [t('render.progressRowsPerSecond', { rate: formatCount(m.perSecond) })] : [];
  if (m.fraction !== undefined) parts.push(t('render.progressPercent', { percent: Math.floor(m.fraction * 100) }));
  if (m.secondsLeft !== undefined) parts.push(t('render.progressLeft', { left: formatDuration(m.secondsLeft) }));
  else parts.push(t('render.progressElapsed', { elapsed: formatDuration(m.seconds) }));
  return t('render.progressDetail', { parts: parts.join(t('render.progressSeparator')) });
}

/** 12345.6 → '12,346'; small rates keep one decimal (0.4 files/s). */
function formatCount(n: number): string {
  if (n < 10) return String(Math.round(n * 10) / 10);
  return Math.round(n).toLocaleString('en-US');
}

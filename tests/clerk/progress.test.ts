import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../../src/i18n/index.js';
import { formatDuration, progressDetail, ProgressLine, ProgressMeter } from '../../src/render/progress.js';

afterEach(() => setLang('zh'));

function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ProgressLine', () => {
  it('redraws at most every interval unless forced, and clears the line when done', () => {
    const written: string[] = [];
    const c = clock();
    const line = new ProgressLine({ write: (s: string) => written.push(s) }, 200, c.now);
    line.update('a');
    line.update('b');
    c.advance(199);
    line.update('c');
    line.update('d', true);
    c.advance(200);
    line.update('e');
    line.done();
    line.done();
    expect(written).toEqual(['\r\u001b[2Ka', '\r\u001b[2Kd', '\r\u001b[2Ke', '\r\u001b[2K']);
  });

  it('writes nothing at all when never updated', () => {
    const written: string[] = [];
    new ProgressLine({ write: (s: string) => written.push(s) }).done();
    expect(written).toEqual([]);
  });
});

describe('ProgressMeter', () => {
  it('measures the speed since the start and, with a total, the share done and the time left', () => {
    const c = clock();
    const meter = new ProgressMeter(c.now);
    c.advance(2_000);
    expect(meter.measure(10_000)).toEqual({ perSecond: 5_000, seconds: 2 });
    const m = meter.measure(10_000, 40_000);
    expect(m.fraction).toBe(0.25);
    expect(m.secondsLeft).toBe(6);
  });

  it('has no time left to tell before anything is done, and never more than all done', () => {
    const c = clock();
    const meter = new ProgressMeter(c.now);
    expect(meter.measure(0, 5)).toEqual({ perSecond: 0, seconds: 0, fraction: 0, secondsLeft: undefined });
    c.advance(1_000);
    expect(meter.measure(7, 5).fraction).toBe(1);
    expect(meter.measure(7, 5).secondsLeft).toBe(0);
  });

  it('a count that starts again (the next sheet) is measured from the last sample, the elapsed time runs on', () => {
    const c = clock();
    const meter = new ProgressMeter(c.now);
    c.advance(10_000);
    meter.measure(50_000);
    c.advance(1_000);
    const next = meter.measure(5_000);
    expect(next.perSecond).toBe(5_000);
    expect(next.seconds).toBe(11);
  });
});

describe('wording', () => {
  it('durations in Chinese and English, rounded up', () => {
    expect(formatDuration(0.2)).toBe('1 秒');
    expect(formatDuration(59)).toBe('59 秒');
    expect(formatDuration(75)).toBe('1 分 15 秒');
    expect(formatDuration(3_720)).toBe('1 小时 02 分');
    setLang('en');
    expect(formatDuration(75)).toBe('1 min 15 s');
  });

  it('speed and elapsed time without a total; share and time left with one', () => {
    expect(progressDetail({ perSecond: 12_345.6, seconds: 4 }, 'rows')).toBe('（12,346 行/秒，已用 4 秒）');
    expect(progressDetail({ perSecond: 0.5, seconds: 4, fraction: 0.4, secondsLeft: 6 })).toBe('（40%，约剩 6 秒）');
    expect(progressDetail({ perSecond: 0, seconds: 2, fraction: 0 })).toBe('（0%，已用 2 秒）');
    setLang('en');
    expect(progressDetail({ perSecond: 900, seconds: 4, fraction: 0.999, secondsLeft: 0.1 }, 'rows')).toBe(' (900 rows/s, 99%, about 1 s left)');
  });
});

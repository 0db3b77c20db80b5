// Hours of service as registers write them (SPEC §4 values, §5 dbd activity).
import { describe, expect, it } from 'vitest';
import { parseHours } from '../../src/domain/activity.js';
import { parseHoursValue } from '../../src/cli/record.js';

describe('parseHours', () => {
  it.each([
    ['2', 2],
    ['1.5', 1.5],
    ['2小时', 2],
    ['2个小时', 2],
    ['1.5h', 1.5],
    ['2.5 h', 2.5],
    ['2.5H', 2.5],
    ['90分钟', 1.5],
    ['90分', 1.5],
    ['45 分钟', 0.75],
    ['20分钟', 0.33],
    ['40min', 0.67],
    ['1小时30分钟', 1.5],
    ['1小时30分', 1.5],
    ['1 小时 20 分', 1.33],
    ['半小时', 0.5],
    ['1个半小时', 1.5],
    ['2个半小时', 2.5],
    ['1500分钟', 25],
    ['1:30', 1.5],
    ['0:45', 0.75],
    ['2:20:00', 2.33],
  ])('%s → %d', (text, hours) => {
    expect(parseHours(text)).toBe(hours);
  });

  it.each(['两小时', '', '-1', '1e3', '0x10', '小时', '分钟', '1.5.2', '1小时半分', '2天', '1:75', '1:3'])('refuses %j', (text) => {
    expect(parseHours(text)).toBeUndefined();
  });
});

describe('dbd activity --hours', () => {
  const hours = parseHoursValue('--hours', 24);
  it('takes a decimal number as before, and the forms an import reads', () => {
    expect(hours('1.5')).toBe(1.5);
    expect(hours('.5')).toBe(0.5);
    expect(hours('90分钟')).toBe(1.5);
    expect(hours('１小时３０分')).toBe(1.5);
    expect(hours('1个半小时')).toBe(1.5);
  });
  it('refuses what is no number of hours and more than a day', () => {
    expect(() => hours('two')).toThrow('--hours');
    expect(() => hours('1e9')).toThrow('--hours');
    expect(() => hours('25')).toThrow('24');
    expect(() => hours('1500分钟')).toThrow('24');
  });
});

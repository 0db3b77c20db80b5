// The shared strings kept compactly give back exactly the texts put in, whatever their
// characters and however many: across buffers, through the table of lately used entries.
import { describe, expect, it } from 'vitest';
import { SharedStrings } from '../../src/ingest/sharedStrings.js';

describe('SharedStrings', () => {
  it('gives back every text as given: ASCII, latin-1, Chinese, beyond the BMP, empty, longer than a buffer', () => {
    const texts = ['', '330106198005141408', 'café · naïve', '张三', '阿卜杜·热合曼', '𠮷野家', 'x'.repeat(40_000), '中'.repeat(400_000), 'é'.repeat(2_000_000)];
    for (let i = 0; i < 300_000; i++) texts.push(i % 3 === 0 ? `1370000${i}` : i % 3 === 1 ? `第${i}支部` : '男');
    const strings = new SharedStrings();
    for (const text of texts) strings.push(text);
    strings.finish();
    expect(strings.length).toBe(texts.length);
    // In order, out of order, and again (the second time from the table of lately used entries).
    for (let i = 0; i < texts.length; i++) expect(strings.get(i)).toBe(texts[i]);
    for (let i = texts.length - 1; i >= 0; i -= 7919) expect(strings.get(i)).toBe(texts[i]);
    for (const i of [5, 5 + 8192, 5, 5 + 16384, 5 + 8192]) expect(strings.get(i)).toBe(texts[i]);
    expect(strings.toArray()).toEqual(texts);
  });

  it('has nothing outside its entries', () => {
    const strings = new SharedStrings();
    strings.push('甲');
    strings.finish();
    for (const index of [-1, 1, 2 ** 31, Number.NaN, 0.5]) expect(strings.get(index)).toBeUndefined();
    expect(strings.get(0)).toBe('甲');
  });
});

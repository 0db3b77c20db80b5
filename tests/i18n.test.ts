// One message catalogue: every area has the same keys in Chinese and English, and every key
// the code asks for exists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { areas, detectLang, t } from '../src/i18n/index.js';
import { ROOT } from './helpers/cli.js';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('message catalogue', () => {
  for (const [name, area] of Object.entries(areas)) {
    it(`${name}: zh and en have the same keys, none empty`, () => {
      expect(Object.keys(area.en).sort()).toEqual(Object.keys(area.zh).sort());
      for (const [key, text] of Object.entries(area.zh)) expect(text.trim(), `${name}.${key}`).not.toBe('');
      for (const [key, text] of Object.entries(area.en)) expect(text.trim(), `${name}.${key}`).not.toBe('');
    });
  }

  it('every literal key used in src/ exists in both languages', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z]+)\.([\w.-]+)'/g)) {
        const [, area, key] = match;
        if (!areas[area] || !(key in areas[area].zh) || !(key in areas[area].en)) missing.push(`${path.relative(ROOT, file)}: ${area}.${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('placeholders are the same in both languages', () => {
    for (const [name, area] of Object.entries(areas)) {
      for (const key of Object.keys(area.zh)) {
        const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(names(area.en[key] ?? ''), `${name}.${key}`).toEqual(names(area.zh[key]));
      }
    }
  });

  it('Chinese by default; English for --lang en or an English LANG; C locales keep Chinese', () => {
    expect(detectLang({})).toBe('zh');
    expect(detectLang({ LANG: 'C.UTF-8' })).toBe('zh');
    expect(detectLang({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(detectLang({ LANG: 'en_US.UTF-8' })).toBe('en');
    expect(detectLang({ LANG: 'zh_CN.UTF-8' }, 'en')).toBe('en');
    expect(t('ingest.requiredEmpty', {}, 'en')).toBe('required value is empty');
  });
});

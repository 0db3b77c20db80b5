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

  it('English counts of one are singular ({count|member|members}); Chinese has no plural', () => {
    expect(t('listing.membersCount', { count: 1 }, 'en')).toBe('1 member');
    expect(t('listing.membersCount', { count: 2 }, 'en')).toBe('2 members');
    expect(t('listing.membersCount', { count: 0 }, 'en')).toBe('0 members');
    expect(t('safety.logCount', { count: 1 }, 'en')).toBe('latest 1 entry');
    expect(t('safety.logCount', { count: 3 }, 'en')).toBe('latest 3 entries');
    expect(t('listing.membersCount', { count: 1 }, 'zh')).toBe('党员 1 名');
  });

  it('English messages use plain punctuation, not the full-width brackets and colons of Chinese text', () => {
    const fullWidth: string[] = [];
    for (const [name, area] of Object.entries(areas)) {
      for (const [key, text] of Object.entries(area.en)) if (/[（）：；，。、“”]/.test(text)) fullWidth.push(`${name}.${key}`);
    }
    expect(fullWidth).toEqual([]);
    expect(t('common.withNote', { text: '中共某某支部委员会', note: '某支部' }, 'en')).toBe('中共某某支部委员会 (某支部)');
    expect(t('common.withNote', { text: '中共某某支部委员会', note: '某支部' }, 'zh')).toBe('中共某某支部委员会（某支部）');
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

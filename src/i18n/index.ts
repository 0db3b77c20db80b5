// One message catalogue per area (messages/<area>.ts), each with a Chinese and an English
// table of the same keys. Keys are addressed as '<area>.<key>'.
import * as common from './messages/common.js';
import * as db from './messages/db.js';
import * as ingest from './messages/ingest.js';
import * as listing from './messages/listing.js';
import * as record from './messages/record.js';
import * as report from './messages/report.js';
import * as render from './messages/render.js';
import * as help from './messages/help.js';
import * as rate from './messages/rate.js';
import * as weekly from './messages/weekly.js';
import * as exportArea from './messages/export.js';
import * as safety from './messages/safety.js';
import * as helptopics from './messages/helptopics.js';
import * as html from './messages/html.js';

export type Lang = 'zh' | 'en';
type Table = Record<string, string>;
interface Area { zh: Table; en: Table }

export const areas: Record<string, Area> = { common, db, ingest, listing, record, report, render, help, rate, weekly, export: exportArea, safety, helptopics, html };

let current: Lang = detectLang(process.env);

/** Chinese unless English is asked for: `--lang en`, or a LANG/LC_ALL naming another language.
 * C and POSIX locales say nothing about language, so they keep the Chinese default. */
export function detectLang(env: NodeJS.ProcessEnv, flag?: string): Lang {
  if (flag) return flag.toLowerCase().startsWith('en') ? 'en' : 'zh';
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const base = locale.split(/[._@]/)[0]?.toLowerCase() ?? '';
  if (base === '' || base === 'c' || base === 'posix' || base.startsWith('zh')) return 'zh';
  return 'en';
}

export function setLang(lang: Lang): void {
  current = lang;
}

export function getLang(): Lang {
  return current;
}

/** Look a message up and fill its {placeholders}. An unknown key is a programming error.
 * {count|member|members} picks the first word when the count is 1, else the second: English
 * needs it ("1 member"), Chinese does not. */
export function t(key: string, params: Record<string, string | number> = {}, lang: Lang = current): string {
  const dot = key.indexOf('.');
  const area = areas[key.slice(0, dot)];
  const text = area?.[lang][key.slice(dot + 1)];
  if (text === undefined) throw new Error(`unknown message key: ${key}`);
  return text
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (whole, name: string, one: string, many: string) =>
      name in params ? (Number(params[name]) === 1 ? one : many) : whole,
    )
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

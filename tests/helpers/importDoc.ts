// The JSON document of dbd import (SPEC §8), as the tests read it, and the end-to-end import
// tests' common steps: import files as JSON, a database holding the fixture communities and
// organisations, a CSV written from lines.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { ROOT, runDbd, tempDir } from './cli.js';

export interface SheetDoc {
  sheet: string;
  kind: string;
  read: number;
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  departed: number;
  errors: Array<{ row: number; column: string; value: string; reason: string }>;
  warnings: Array<{ row: number; column: string; value: string; reason: string }>;
  skippedRows: Array<{ row: number; reason: string }>;
  headerRows: number[];
}
export interface ImportDoc { written: boolean; created?: { towns: number; communities: number; units: number; orgs: number }; files: Array<{ file: string; sheets: SheetDoc[]; skippedSheets: Array<{ sheet: string; headers: string[] }> }> }

/** A file of fixtures/rosters. */
export const rosterFixture = (name: string) => path.join(ROOT, 'fixtures', 'rosters', name);

/** The day the import tests run on. */
export const IMPORT_ENV = { DBD_TODAY: '2026-11-21' };

export function importJson(db: string, files: string[], extra: string[] = []): { status: number; doc: ImportDoc; stderr: string } {
  const result = runDbd(['import', ...files, '--db', db, '--json', ...extra], { env: IMPORT_ENV });
  return { status: result.status, doc: JSON.parse(result.stdout) as ImportDoc, stderr: result.stderr };
}

/** A database holding the fixture communities and organisations (审计一支部, 审计二支部, 二中党支部…). */
export function fixtureBaseDb(): string {
  const db = path.join(tempDir(), 'dbd.sqlite');
  expect(importJson(db, [rosterFixture('社区名单.utf8.csv'), rosterFixture('党组织.csv')]).status).toBe(0);
  return db;
}

/** A CSV (UTF-8 with BOM, CRLF) of these lines, each given comma-separated; `separator` writes
 * them with another (a tab-separated file). */
export function writeCsv(name: string, lines: string[], separator = ','): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, `\ufeff${lines.map((line) => (separator === ',' ? line : line.split(',').join(separator))).join('\r\n')}\r\n`);
  return file;
}

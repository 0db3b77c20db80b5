// A text file read through the descriptor the importing thread opened (as a parse worker reads
// it) is the file as it was when the import began, even if it was replaced or removed since.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../src/ingest/sources.js';
import { tempDir } from '../helpers/cli.js';

async function allRows(file: string, fd: number): Promise<string[][]> {
  const opened = await openSource(file, { fd });
  const rows: string[][] = [];
  for await (const batch of opened.sheets[0].batches()) for (const row of batch) rows.push(row.cells.map(String));
  await opened.close();
  return rows;
}

describe('openSource through an open descriptor', () => {
  it('reads the file it was opened on, after the path names another file or none', async () => {
    const dir = tempDir();
    const file = path.join(dir, '报到.csv');
    fs.writeFileSync(file, '姓名,身份证号\n张一,330106198005141408\n');
    const first = await openSource(file);
    expect(first.fd).toBeTypeOf('number');
    // Replaced the way editors and scripts save: another file renamed over the name.
    const other = path.join(dir, 'new.csv');
    fs.writeFileSync(other, '身份证号,姓名\n110101199003077314,李二\n');
    fs.renameSync(other, file);
    expect(await allRows(file, first.fd!)).toEqual([
      ['姓名', '身份证号'],
      ['张一', '330106198005141408'],
    ]);
    fs.rmSync(file);
    expect(await allRows(file, first.fd!)).toEqual([
      ['姓名', '身份证号'],
      ['张一', '330106198005141408'],
    ]);
    // Reading through it leaves it open for the thread that opened it.
    expect(fs.fstatSync(first.fd!).size).toBeGreaterThan(0);
    await first.close();
  });
});

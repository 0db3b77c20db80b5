// Output files: written whole or not at all, missing folders created, a path that cannot be
// written a usage error naming it; a batch of files renamed into place only when all are written.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbdError } from '../../src/errors.js';
import { setLang } from '../../src/i18n/index.js';
import { FileBatch, tempPathFor, withFileBatch, writeFileAtomic, writeStreamAtomic } from '../../src/render/atomic.js';
import { checkOutputDir, checkOutputFile, outputPathError } from '../../src/render/outputPath.js';

let dir: string;
beforeEach(() => {
  setLang('zh');
  dir = mkdtempSync(join(tmpdir(), 'dbd-render-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  setLang('zh');
});

function dbdError(fn: () => unknown): DbdError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DbdError);
    return error as DbdError;
  }
  throw new Error('no error');
}

const text = (data: string) => async (stream: NodeJS.WritableStream) => {
  stream.end(data);
};

describe('checkOutputFile and checkOutputDir (before any work)', () => {
  it('accept a new file, an existing file, and a file in folders still to be made, creating nothing', () => {
    writeFileSync(join(dir, 'old.xlsx'), 'x');
    checkOutputFile(join(dir, 'new.xlsx'));
    checkOutputFile(join(dir, 'old.xlsx'));
    checkOutputFile(join(dir, 'a', 'b', 'c.xlsx'));
    checkOutputDir(join(dir, 'x', 'y'));
    checkOutputDir(dir);
    expect(readdirSync(dir)).toEqual(['old.xlsx']);
  });

  it('refuse a folder as an output file, a file as an output folder, and a file where a folder must be (exit 2, naming the path)', () => {
    writeFileSync(join(dir, 'afile'), 'x');
    const relative = join(dir, 'afile');
    const folder = dbdError(() => checkOutputFile(dir));
    expect(folder.exitCode).toBe(2);
    expect(folder.message).toBe(`${dir} 是文件夹，不能作为输出文件；请给出文件名`);
    const file = dbdError(() => checkOutputDir(relative));
    expect(file.exitCode).toBe(2);
    expect(file.message).toBe(`${relative} 是文件，不是文件夹；请给出要写入的文件夹`);
    const under = dbdError(() => checkOutputFile(join(relative, 'sub', 'r.xlsx')));
    expect(under.exitCode).toBe(2);
    expect(under.message).toBe(`无法写入 ${join(relative, 'sub', 'r.xlsx')}：${relative} 是文件，不是文件夹`);
    const dirUnder = dbdError(() => checkOutputDir(join(relative, 'sub')));
    expect(dirUnder.message).toBe(`无法写入 ${join(relative, 'sub')}：${relative} 是文件，不是文件夹`);
    setLang('en');
    expect(dbdError(() => checkOutputFile(dir)).message).toBe(`${dir} is a folder, not an output file; give a file name`);
    expect(readdirSync(dir)).toEqual(['afile']);
  });

  it('refuse a device as an output file', () => {
    expect(dbdError(() => checkOutputFile('/dev/null')).message).toBe('/dev/null 不是普通文件，不能作为输出文件');
  });
});

describe('outputPathError', () => {
  it('words the file system’s errors as usage errors naming the target', () => {
    const system = (code: string) => Object.assign(new Error(`${code}: open '/x/.r.xlsx.1.ab.tmp'`), { code, syscall: 'open' });
    const denied = outputPathError(system('EACCES'), 'out/r.xlsx') as DbdError;
    expect(denied).toBeInstanceOf(DbdError);
    expect(denied.exitCode).toBe(2);
    expect(denied.message).toBe('无法写入 out/r.xlsx：没有写入权限');
    expect((outputPathError(system('EROFS'), 'r.xlsx') as DbdError).message).toBe('无法写入 r.xlsx：文件系统只读');
    expect((outputPathError(system('ENOSPC'), 'r.xlsx') as DbdError).message).toBe('无法写入 r.xlsx：磁盘空间不足');
    expect((outputPathError(system('EISDIR'), 'r.xlsx') as DbdError).message).toBe('r.xlsx 是文件夹，不能作为输出文件；请给出文件名');
    expect((outputPathError(system('EIO'), 'r.xlsx') as DbdError).message).toBe('无法写入 r.xlsx：EIO');
  });

  it('leaves every other error as it is', () => {
    const plain = new Error('bug');
    const ours = new DbdError('数据有误', 3);
    expect(outputPathError(plain, 'r.xlsx')).toBe(plain);
    expect(outputPathError(ours, 'r.xlsx')).toBe(ours);
  });
});

describe('writeStreamAtomic and writeFileAtomic', () => {
  it('create missing folders and leave no temporary file', async () => {
    await writeStreamAtomic(join(dir, 'a', 'b', 'r.csv'), text('ok'));
    await writeFileAtomic(join(dir, 'c', 'r.html'), Buffer.from('<p>'));
    expect(readFileSync(join(dir, 'a', 'b', 'r.csv'), 'utf8')).toBe('ok');
    expect(readFileSync(join(dir, 'c', 'r.html'), 'utf8')).toBe('<p>');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['r.csv']);
  });

  it('remove the folders they made when the writer fails, and pass its error through unchanged', async () => {
    // A database error while rows are streamed carries a code too: it is not the path's problem.
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const error = await writeStreamAtomic(join(dir, 'a', 'b', 'r.csv'), async () => {
      throw busy;
    }).catch((e: unknown) => e);
    expect(error).toBe(busy);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuse a folder as the target (exit 2) and leave nothing behind', async () => {
    mkdirSync(join(dir, 'r.csv'));
    const error = await writeStreamAtomic(join(dir, 'r.csv'), text('ok')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbdError);
    expect((error as DbdError).message).toBe(`${join(dir, 'r.csv')} 是文件夹，不能作为输出文件；请给出文件名`);
    expect(readdirSync(dir)).toEqual(['r.csv']);
    expect(readdirSync(join(dir, 'r.csv'))).toEqual([]);
  });

  it('write a file whose name is as long as a name may be', async () => {
    const name = `${'报'.repeat(83)}.x`;
    expect(Buffer.byteLength(name)).toBe(251);
    expect(Buffer.byteLength(basename(tempPathFor(join(dir, name))))).toBeLessThanOrEqual(255);
    await writeStreamAtomic(join(dir, name), text('ok'));
    expect(readdirSync(dir)).toEqual([name]);
  });
});

describe('FileBatch', () => {
  it('shows no file until all are written, then all of them', async () => {
    const paths = await withFileBatch(async (batch) => {
      await writeStreamAtomic(join(dir, 'out', '1.csv'), text('one'), batch);
      await writeStreamAtomic(join(dir, 'out', '2.csv'), text('two'), batch);
      expect(readdirSync(join(dir, 'out')).filter((name) => !name.startsWith('.'))).toEqual([]);
      return ['1.csv', '2.csv'];
    });
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(paths);
    expect(readFileSync(join(dir, 'out', '2.csv'), 'utf8')).toBe('two');
  });

  it('leaves nothing of the run when one file fails: no file, no temporary file, no folder it made', async () => {
    writeFileSync(join(dir, 'kept.csv'), 'old');
    const failure = new Error('third file failed');
    const error = await withFileBatch(async (batch) => {
      await writeStreamAtomic(join(dir, 'out', 'a', '1.csv'), text('one'), batch);
      await writeStreamAtomic(join(dir, 'out', 'a', '2.csv'), text('two'), batch);
      await writeStreamAtomic(join(dir, 'kept.csv'), text('new'), batch);
      throw failure;
    }).catch((e: unknown) => e);
    expect(error).toBe(failure);
    expect(readdirSync(dir)).toEqual(['kept.csv']);
    expect(readFileSync(join(dir, 'kept.csv'), 'utf8')).toBe('old');
  });

  it('a target that is a folder stops the batch before any file is put in place', async () => {
    writeFileSync(join(dir, '1.csv'), 'old');
    mkdirSync(join(dir, '3.csv'));
    const error = await withFileBatch(async (batch) => {
      for (const name of ['1.csv', '2.csv', '3.csv']) await writeStreamAtomic(join(dir, name), text('new'), batch);
    }).catch((e: unknown) => e);
    expect(String(error)).toContain('3.csv');
    expect(readdirSync(dir).sort()).toEqual(['1.csv', '3.csv']);
    expect(readFileSync(join(dir, '1.csv'), 'utf8')).toBe('old');
  });

  it('a rename that fails half-way takes back the files put in place and restores the ones they replaced', async () => {
    writeFileSync(join(dir, '1.csv'), 'old one');
    const batch = new FileBatch();
    for (const name of ['1.csv', '2.csv', '3.csv']) await writeStreamAtomic(join(dir, name), text(`new ${name}`), batch);
    // The third file's temporary copy vanishes before the commit: its rename fails.
    const third = readdirSync(dir).find((name) => name.startsWith('.3.csv'))!;
    rmSync(join(dir, third));
    await expect(batch.commit()).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['1.csv']);
    expect(readFileSync(join(dir, '1.csv'), 'utf8')).toBe('old one');
  });

  it('discard() removes what was staged; commit() after it has nothing to do', async () => {
    const batch = new FileBatch();
    await writeStreamAtomic(join(dir, 'x.csv'), text('x'), batch);
    await batch.discard();
    await batch.commit();
    expect(readdirSync(dir)).toEqual([]);
  });
});

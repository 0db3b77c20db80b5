// The audit trail: every command that changes the database leaves one entry (OS user, time,
// masked command line, counts) in the same transaction as its change; nothing else does.
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandLine, countAudit, maskArgument, readAudit, setInvocation } from '../../src/db/audit.js';
import { openDatabase } from '../../src/db/open.js';
import { dbTarget, onPostgres } from '../helpers/backend.js';
import { DEMO_FIXTURES, runDbd, runJson, SAMPLES, tempDir } from '../helpers/cli.js';
import { copyOfSamples, prepareSamples, countRows } from './helpers.js';

beforeAll(prepareSamples, 120_000);

interface LogEntry { id: number; at: string; user: string; command: string; changes: number; added: Record<string, number> }
const log = (db: string, limit = 50) => runJson<{ count: number; entries: LogEntry[] }>(['log', '--db', db, '--limit', String(limit)]).entries;

function expectedUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

describe('audit entries written by commands', () => {
  it('each import of the samples is one entry: who, when, the command, what it added', () => {
    const db = copyOfSamples();
    const entries = log(db).reverse();
    expect(entries.map((e) => e.added)).toEqual([
      { towns: 3, communities: 12 },
      { units: 5, orgs: 14, pairings: 6 },
      { members: 84 },
      { checkins: 74 },
      { activities: 40 },
      { pairings: 9 },
    ]);
    for (const entry of entries) {
      expect(entry.user).toBe(expectedUser());
      expect(Date.now() - Date.parse(entry.at)).toBeLessThan(10 * 60_000);
      expect(entry.command).toMatch(/^dbd import .+ --db /);
      expect(entry.changes).toBeGreaterThanOrEqual(Object.values(entry.added).reduce((a, b) => a + b, 0));
    }
    expect(entries[2].command).toContain('在职党员花名册.xlsx');
  });

  it('a dry run, a failed import and an import that changes nothing leave no entry', () => {
    const db = copyOfSamples();
    const before = countRows(db, 'audit');
    expect(runDbd(['import', path.join(DEMO_FIXTURES, '报到登记.csv'), '--db', db, '--dry-run']).status).toBe(0);
    expect(runDbd(['import', path.join(SAMPLES, 'bad', '报到人不在名册.csv'), '--db', db]).status).toBe(3);
    expect(runDbd(['import', path.join(DEMO_FIXTURES, '在职党员花名册.xlsx'), '--db', db]).status).toBe(0);
    expect(runDbd(['members', '--db', db]).status).toBe(0);
    expect(countRows(db, 'audit')).toBe(before);
  });

  it('a check-in recorded by ID number is logged with the ID masked', () => {
    const db = copyOfSamples();
    const members = runJson<{ members: Array<{ idNumber: string; currentCommunity: string | null }> }>(['members', '--db', db, '--full-id', '--not-reported']).members;
    const member = members[0];
    const result = runDbd(['checkin', member.idNumber, '--community', '青山社区', '--date', '2026-11-20', '--db', db]);
    expect(result.status, result.stderr).toBe(0);
    const [latest] = log(db, 1);
    expect(latest.command).toContain(`${member.idNumber.slice(0, 6)}********${member.idNumber.slice(-4)}`);
    expect(latest.command).not.toContain(member.idNumber);
    expect(latest.added).toEqual({ checkins: 1 });
  });

  it('every command that writes leaves exactly one entry naming it', () => {
    const db = copyOfSamples();
    const member = runJson<{ members: Array<{ idNumber: string }> }>(['members', '--db', db, '--full-id', '--not-reported']).members[1].idNumber;
    const writes = [
      ['checkin', member, '--community', '白沙社区', '--date', '2026-11-19'],
      ['checkin', '--void', member, '--reason', '登记错误'],
      ['activity', member, '--community', '白沙社区', '--date', '2026-11-19', '--category', '环境整治', '--hours', '2'],
      ['org-checkin', '内科一支部', '--community', '杏花村', '--date', '2026-11-19'],
      ['weekly-report', '--town', '--week', '2026-W46', '--save'],
      ['import', path.join(SAMPLES, 'bad', '..', '报到登记.csv'), '--kind', 'checkins'],
    ];
    for (const args of writes) {
      const before = countRows(db, 'audit');
      const result = runDbd([...args, '--db', db], { env: { DBD_TODAY: '2026-11-21' } });
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      const entries = log(db, 1);
      if (args[0] === 'import') {
        // The check-ins of the samples are all there already: nothing changed, nothing logged.
        expect(countRows(db, 'audit'), args.join(' ')).toBe(before);
        continue;
      }
      expect(countRows(db, 'audit'), args.join(' ')).toBe(before + 1);
      expect(entries[0].command.startsWith(`dbd ${args[0]} `), entries[0].command).toBe(true);
      expect(entries[0].changes).toBeGreaterThan(0);
    }
  });

  it('dbd log shows the newest first, honours --limit, and explains itself in the table', () => {
    const db = copyOfSamples();
    const two = log(db, 2);
    expect(two).toHaveLength(2);
    expect(two[0].id).toBeGreaterThan(two[1].id);
    expect(two[0].added).toEqual({ pairings: 9 });
    const human = runDbd(['log', '--db', db, '--limit', '1']);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/时间\s+用户\s+命令\s+变更/);
    expect(human.stdout).toContain('新增 结对 9');
    for (const bad of ['0', '0x10', '1e2', '99999999999999999999']) expect(runDbd(['log', '--db', db, '--limit', bad]).status, bad).toBe(2);
    if (!onPostgres) expect(runDbd(['log', '--db', path.join(tempDir(), 'none.sqlite')]).status).toBe(4); // a missing file
  });
});

describe('the audit row and its transaction', () => {
  it('is written inside the transaction: committed with the change, rolled back with it', async () => {
    const db = path.join(tempDir(), 'audit.sqlite');
    const handle = await openDatabase(dbTarget(db));
    try {
      setInvocation(['import', '测试.csv', '--db', 'postgres://clerk:s3cret@db.example/dbd']);
      await handle.writeTransaction(async () => {
        await handle.db.insertInto('towns').values({ name: '白沙街道' }).execute();
      });
      await expect(
        handle.writeTransaction(async () => {
          await handle.db.insertInto('towns').values({ name: '青山街道' }).execute();
          throw new Error('stop');
        }),
      ).rejects.toThrow('stop');
      await handle.writeTransaction(async () => undefined);
      expect(await countAudit(handle.db)).toBe(1);
      const [entry] = await readAudit(handle.db, 5);
      expect(entry.summary).toEqual({ changes: 1, added: { towns: 1 } });
      expect(entry.command).toBe("dbd import 测试.csv --db postgres://clerk:***@db.example/dbd");
      expect(entry.command).not.toContain('s3cret');
    } finally {
      await handle.close();
    }
  });
});

describe('masking of command lines', () => {
  it('hides ID numbers, mobile numbers and database passwords, and quotes what needs quoting', () => {
    expect(maskArgument('330106199402258655')).toBe('330106********8655');
    expect(maskArgument('11010519870302123x')).toBe('110105********123x');
    expect(maskArgument('110105870302123')).toBe('110105*****2123');
    expect(maskArgument('13800138000')).toBe('138****8000');
    expect(maskArgument('--db=postgresql://a:b@c:5432/d?password=x&sslmode=require')).toBe('--db=postgresql://a:***@c:5432/d?password=***&sslmode=require');
    expect(maskArgument('第3支部')).toBe('第3支部');
    expect(maskArgument('2026-11-21')).toBe('2026-11-21');
    expect(commandLine(['activity', '王 伟', '--note', "it's"])).toBe("dbd activity '王 伟' --note 'it'\\''s'");
  });
});

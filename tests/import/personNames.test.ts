// A person's name in one form (personName): a roster that pads 张　三 to line up names and a
// register that writes 张三 name the same member; so do the dots of 买买提·艾力.
import { describe, expect, it } from 'vitest';
import { idCheckDigit } from '../../src/domain/idNumber.js';
import { personName } from '../../src/domain/text.js';
import { runDbd } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { fixtureBaseDb as baseDb, IMPORT_ENV as env, importJson, writeCsv } from '../helpers/importDoc.js';

const id = (first17: string) => first17 + idCheckDigit(first17);

describe('personName', () => {
  it('takes out spaces between Chinese characters and writes a name’s dot as ·', () => {
    expect(personName('张 三')).toBe('张三');
    expect(personName('欧阳 小 明')).toBe('欧阳小明');
    for (const dot of ['·', '•', '・', '‧', '.', ' · ']) expect(personName(`买买提${dot}艾力`)).toBe('买买提·艾力');
  });

  it('leaves Latin names and names with nothing to change', () => {
    expect(personName('Anna Li')).toBe('Anna Li');
    expect(personName('J. Smith')).toBe('J. Smith');
    expect(personName('李 Anna')).toBe('李 Anna');
    expect(personName('王伟')).toBe('王伟');
  });
});

describe('names written differently in a roster and a register', () => {
  it('are the same member: the roster’s padded names are stored in one form, and the register’s match them', () => {
    const db = baseDb();
    const [a, b, c] = [id('33011019800101001'), id('33011019800101002'), id('33011019800101003')];
    // The ideographic space (U+3000) pads two-character names in printed rosters.
    const roster = writeCsv('名册.csv', ['姓名,身份证号,所在党组织', `张\u3000三,${a},审计一支部`, `买买提•艾力,${b},审计一支部`, `欧阳  小明,${c},审计一支部`]);
    expect(importJson(db, [roster]).status).toBe(0);
    expect(rows(db, 'select name from members order by id_number')).toEqual([{ name: '张三' }, { name: '买买提·艾力' }, { name: '欧阳小明' }]);
    const register = writeCsv('报到.csv', [
      '姓名,身份证号,报到社区,所属街道,报到时间',
      `张三,${a},东湖社区,东湖街道,2026-03-05`,
      `买买提・艾力,${b},东湖社区,东湖街道,2026-03-05`,
      `欧阳 小明,${c},东湖社区,东湖街道,2026-03-05`,
    ]);
    const { status, doc } = importJson(db, [register]);
    expect(status).toBe(0);
    expect(doc.files[0].sheets[0]).toMatchObject({ added: 3, errors: [] });
    // Typed on the command line as a name, with the padding: the one member.
    const checkin = runDbd(['checkin', '张 三', '--community', '书院社区', '--date', '2026-04-01', '--db', db], { env });
    expect(checkin.status).toBe(0);
  });

  it('a different name beside the ID number is still refused', () => {
    const db = baseDb();
    const a = id('33011019800101001');
    expect(importJson(db, [writeCsv('名册.csv', ['姓名,身份证号,所在党组织', `张三,${a},审计一支部`])]).status).toBe(0);
    const { status, doc } = importJson(db, [writeCsv('报到.csv', ['姓名,身份证号,报到社区,所属街道,报到时间', `张四,${a},东湖社区,东湖街道,2026-03-05`])]);
    expect(status).toBe(3);
    expect(doc.files[0].sheets[0].errors[0]).toMatchObject({ row: 2, column: '姓名', value: '张四' });
  });
});

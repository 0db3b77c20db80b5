import { describe, expect, it } from 'vitest';
import {
  cleanValue,
  communityBaseName,
  communityWithoutTown,
  townStem,
  findTownByName,
  editDistance,
  headerKey,
  isPlaceholder,
  longestCommonSubstring,
  normaliseText,
  splitCommunityNames,
  suggestClosest,
  toHalfWidth,
  toSimplified,
  traditionalTable,
} from '../../src/domain/text.js';

describe('toHalfWidth', () => {
  it('converts the whole full-width ASCII block', () => {
    let full = '';
    let half = '';
    for (let c = 0xff01; c <= 0xff5e; c++) {
      full += String.fromCharCode(c);
      half += String.fromCharCode(c - 0xfee0);
    }
    expect(toHalfWidth(full)).toBe(half);
    expect(toHalfWidth('\u3000')).toBe(' ');
  });

  it('leaves other characters alone', () => {
    expect(toHalfWidth('张三 abc 123 【】、。')).toBe('张三 abc 123 【】、。');
    expect(toHalfWidth('｟')).toBe('｟');
  });
});

describe('normaliseText', () => {
  it('trims all kinds of space and invisible characters', () => {
    expect(normaliseText('\u3000张三\u3000')).toBe('张三');
    expect(normaliseText('\u00A0张三\u00A0')).toBe('张三');
    expect(normaliseText('\uFEFF身份证号')).toBe('身份证号');
    expect(normaliseText('张\u200B三')).toBe('张三');
    expect(normaliseText('\u200D\u2060张三\u200C')).toBe('张三');
    expect(normaliseText(' \t\r\n 张三 \n')).toBe('张三');
    expect(normaliseText('\u2003张三\u202F')).toBe('张三');
  });

  it('makes full-width ASCII half-width', () => {
    expect(normaliseText('ＡＢＣ１２３')).toBe('ABC123');
    expect(normaliseText('１３８００１３８０００')).toBe('13800138000');
    expect(normaliseText('本周服务时长（小时）')).toBe('本周服务时长(小时)');
    expect(normaliseText('Ｎ／Ａ')).toBe('N/A');
  });

  it('collapses internal whitespace to one space', () => {
    expect(normaliseText('所在  党组织')).toBe('所在 党组织');
    expect(normaliseText('联系\n电话')).toBe('联系 电话');
    expect(normaliseText('a\t\t b\u3000\u3000c')).toBe('a b c');
  });

  it('removes control characters', () => {
    expect(normaliseText('张\u0000三')).toBe('张三');
    expect(normaliseText('张\u0007三\u001F')).toBe('张三');
    expect(normaliseText('a \u0007 b')).toBe('a b');
    expect(normaliseText('a\u007F\u0080\u009Fb')).toBe('ab');
    expect(normaliseText('a\u0085b')).toBe('a b'); // NEL is a line break
    for (let c = 0; c < 0xa0; c++) {
      if (c >= 0x20 && c < 0x7f) continue;
      expect(normaliseText(`x${String.fromCharCode(c)}y`)).toMatch(/^x ?y$/);
    }
  });

  it('folds CJK compatibility ideographs', () => {
    expect(normaliseText('\uF90A')).toBe('\u91D1'); // 金
  });

  it('is idempotent', () => {
    const samples = ['\u3000 ＡＢ　Ｃ \u00A0', '联系\r\n电话', '\uFEFF*姓名：', 'a\u200Bb  c', '  ', ''];
    for (const s of samples) expect(normaliseText(normaliseText(s))).toBe(normaliseText(s));
  });

  it('keeps ordinary text as it is', () => {
    expect(normaliseText('北京市朝阳区第一中学党支部')).toBe('北京市朝阳区第一中学党支部');
    expect(normaliseText('Li Lei')).toBe('Li Lei');
  });
});

describe('isPlaceholder and cleanValue', () => {
  it('recognises the placeholders', () => {
    for (const s of ['无', '暂无', '空', '-', '--', '—', '——', '/', '\\', '－', '－－', 'N/A', 'n/a', 'N/a', 'null', 'NULL', 'Null', ' 无 ', '\u3000—\u3000', 'Ｎ／Ａ', '–', '---', '#N/A', '無']) {
      expect(isPlaceholder(s), s).toBe(true);
      expect(cleanValue(s), s).toBe('');
    }
  });

  it('does not take real values for placeholders', () => {
    for (const s of ['', '0', '无锡', '空港社区', '无党派', 'nullable', 'NA-1', '-1', '/a', '张三', '1-2', 'None']) {
      expect(isPlaceholder(s), s).toBe(false);
    }
  });

  it('cleans ordinary values', () => {
    expect(cleanValue('  张三 ')).toBe('张三');
    expect(cleanValue('１３８００１３８０００')).toBe('13800138000');
    expect(cleanValue('')).toBe('');
    expect(cleanValue('无锡')).toBe('无锡');
  });
});

describe('toSimplified', () => {
  it('folds roster headers and names', () => {
    expect(toSimplified('身份證號碼')).toBe('身份证号码');
    expect(toSimplified('聯繫電話')).toBe('联系电话');
    expect(toSimplified('所在黨組織')).toBe('所在党组织');
    expect(toSimplified('工作單位')).toBe('工作单位');
    expect(toSimplified('職務')).toBe('职务');
    expect(toSimplified('報到時間')).toBe('报到时间');
    expect(toSimplified('人員狀態')).toBe('人员状态');
    expect(toSimplified('管理類別')).toBe('管理类别');
    expect(toSimplified('所屬街道')).toBe('所属街道');
    expect(toSimplified('變動日期')).toBe('变动日期');
    expect(toSimplified('學歷')).toBe('学历');
    expect(toSimplified('黨組織簡稱')).toBe('党组织简称');
    expect(toSimplified('上級黨組織')).toBe('上级党组织');
    expect(toSimplified('志願服務時長(小時)')).toBe('志愿服务时长(小时)');
    expect(toSimplified('認領崗位')).toBe('认领岗位');
    expect(toSimplified('結對共建社區')).toBe('结对共建社区');
    expect(toSimplified('廣東省廣州市東山區')).toBe('广东省广州市东山区');
    expect(toSimplified('機關黨委書記')).toBe('机关党委书记');
    expect(toSimplified('經濟開發區管理委員會')).toBe('经济开发区管理委员会');
    expect(toSimplified('鎮')).toBe('镇');
    expect(toSimplified('鄉')).toBe('乡');
    expect(toSimplified('陳劉張楊黃趙吳孫馬鄭謝韓馮鄧許呂蔣蘇葉鍾龍')).toBe('陈刘张杨黄赵吴孙马郑谢韩冯邓许吕蒋苏叶钟龙');
  });

  it('leaves simplified text and other characters unchanged', () => {
    const s = '身份证号码 联系电话 所在党组织 ABC 123 （）';
    expect(toSimplified(s)).toBe(s);
    expect(toSimplified('')).toBe('');
  });

  it('keeps characters that are also ordinary simplified characters', () => {
    expect(toSimplified('乾县')).toBe('乾县');
    expect(toSimplified('著名')).toBe('著名');
  });

  it('has a large, consistent table', () => {
    const table = traditionalTable();
    expect(table.size).toBeGreaterThanOrEqual(300);
    for (const [trad, simp] of table) {
      expect([...trad].length).toBe(1);
      expect([...simp].length).toBe(1);
      expect(trad).not.toBe(simp);
      // A simplified target is never itself folded again.
      expect(table.has(simp), `${trad}→${simp}`).toBe(false);
    }
  });

  it('is idempotent', () => {
    const all = [...traditionalTable().keys()].join('');
    expect(toSimplified(toSimplified(all))).toBe(toSimplified(all));
  });
});

describe('communityBaseName', () => {
  it('folds the residents committee variants to XX社区', () => {
    for (const s of ['朝阳社区', '朝阳社区居委会', '朝阳社区居民委员会', '朝阳居委会', '朝阳居民委员会', '朝阳社区居委']) {
      expect(communityBaseName(s), s).toBe('朝阳社区');
    }
  });

  it('folds the villagers committee variants to XX村', () => {
    for (const s of ['张家村', '张家村委会', '张家村民委员会', '张家村村委会', '张家村村民委员会']) {
      expect(communityBaseName(s), s).toBe('张家村');
    }
  });

  it('normalises spacing, width, brackets and traditional characters', () => {
    expect(communityBaseName(' 朝阳 社区 ')).toBe('朝阳社区');
    expect(communityBaseName('\u3000朝阳社区居委会\u3000')).toBe('朝阳社区');
    expect(communityBaseName('（朝阳社区）')).toBe('朝阳社区');
    expect(communityBaseName('【朝阳社区居委会】')).toBe('朝阳社区');
    expect(communityBaseName('[朝阳社区]')).toBe('朝阳社区');
    expect(communityBaseName('((朝阳社区))')).toBe('朝阳社区');
    expect(communityBaseName('朝陽社區居委會')).toBe('朝阳社区');
    expect(communityBaseName('張家村村民委員會')).toBe('张家村');
  });

  it('keeps brackets that do not wrap the whole name', () => {
    expect(communityBaseName('(东)朝阳社区')).toBe('(东)朝阳社区');
    expect(communityBaseName('(东)(西)')).toBe('(东)(西)');
    expect(communityBaseName('朝阳社区(筹)')).toBe('朝阳社区(筹)');
  });

  it('leaves other names and bare suffixes alone', () => {
    expect(communityBaseName('居委会')).toBe('居委会');
    expect(communityBaseName('村委会')).toBe('村委会');
    expect(communityBaseName('朝阳小区')).toBe('朝阳小区');
    expect(communityBaseName('')).toBe('');
  });

  it('is idempotent', () => {
    for (const s of ['朝阳社区居委会', '张家村村委会', '【朝陽居委會】', '朝阳居民委员会', 'X']) {
      expect(communityBaseName(communityBaseName(s))).toBe(communityBaseName(s));
    }
  });
});

describe('headerKey', () => {
  it('folds characters, width and whitespace', () => {
    expect(headerKey('身份證號碼')).toBe('身份证号码');
    expect(headerKey(' 所在 党组织 ')).toBe('所在党组织');
    expect(headerKey('联系\n电话')).toBe('联系电话');
    expect(headerKey('联系\r\n电话')).toBe('联系电话');
    expect(headerKey('\u3000姓\u3000名')).toBe('姓名');
    expect(headerKey('\uFEFF序号')).toBe('序号');
  });

  it('unifies brackets', () => {
    const want = '本周服务时长(小时)';
    for (const s of ['本周服务时长（小时）', '本周服务时长(小时)', '本周服务时长【小时】', '本周服务时长[小时]', '本周服务时长［小时］', '本周服务时长〔小时〕', '本周服务时长 (小时)']) {
      expect(headerKey(s), s).toBe(want);
    }
  });

  it('removes required markers and a trailing colon', () => {
    for (const s of ['*姓名', '姓名*', '※姓名', '姓名※', '＊姓名', '**姓名', '姓名：', '姓名:', '*姓名：', '姓名:*', ' * 姓名 ', '姓名 ：']) {
      expect(headerKey(s), s).toBe('姓名');
    }
  });

  it('keeps a marker in the middle', () => {
    expect(headerKey('A*B')).toBe('a*b');
  });

  it('lower-cases Latin letters', () => {
    expect(headerKey('ID')).toBe('id');
    expect(headerKey('ＱＱ号')).toBe('qq号');
  });

  it('is idempotent', () => {
    for (const s of ['*身份證號碼：', '本周服务时长【小时】', 'ＩＤ', '联系\n电话']) expect(headerKey(headerKey(s))).toBe(headerKey(s));
  });
});

describe('editDistance', () => {
  it('computes Levenshtein distances', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('朝阳社区', '朝阳小区')).toBe(1);
    expect(editDistance('朝阳社区', '朝阳社区居委会')).toBe(3);
    expect(editDistance('张三', '李四')).toBe(2);
  });

  it('counts characters outside the BMP once', () => {
    expect(editDistance('𠀀', '𠀁')).toBe(1);
    expect(editDistance('a𠀀b', 'ab')).toBe(1);
  });

  it('is a metric on sample strings', () => {
    const words = ['', 'a', 'ab', 'ba', 'abc', '朝阳', '朝阳社区', '朝霞社区', '和平社区', '张家村', 'kitten', 'sitting'];
    for (const a of words) {
      expect(editDistance(a, a)).toBe(0);
      for (const b of words) {
        const ab = editDistance(a, b);
        expect(ab).toBe(editDistance(b, a));
        expect(ab).toBeLessThanOrEqual(Math.max([...a].length, [...b].length));
        expect(ab).toBeGreaterThanOrEqual(Math.abs([...a].length - [...b].length));
        for (const c of words) expect(ab).toBeLessThanOrEqual(editDistance(a, c) + editDistance(c, b));
      }
    }
  });

  it('finds the longest common substring', () => {
    expect(longestCommonSubstring('朝阳社区', '和平社区')).toBe(2);
    expect(longestCommonSubstring('abc', 'xyz')).toBe(0);
    expect(longestCommonSubstring('', 'abc')).toBe(0);
    expect(longestCommonSubstring('xabcy', 'zabcw')).toBe(3);
  });
});

describe('suggestClosest', () => {
  const communities = ['朝阳社区', '朝霞社区', '和平社区', '建国村', '光明社区', '朝阳门社区'];

  it('puts the closest first', () => {
    expect(suggestClosest('朝杨社区', communities)[0]).toBe('朝阳社区');
    expect(suggestClosest('建国', communities)).toEqual(['建国村']);
    expect(suggestClosest('光明', communities)[0]).toBe('光明社区');
  });

  it('finds a full name from a short one', () => {
    expect(suggestClosest('朝阳', communities).slice(0, 2)).toEqual(['朝阳社区', '朝阳门社区']);
  });

  it('matches across traditional characters, width and case', () => {
    expect(suggestClosest('朝陽社區', communities)[0]).toBe('朝阳社区');
    expect(suggestClosest('ｂｅｉｊｉｎｇ', ['Beijing', 'Nanjing'])[0]).toBe('Beijing');
  });

  it('returns at most n, default 3', () => {
    expect(suggestClosest('朝阳社区', communities).length).toBeLessThanOrEqual(3);
    expect(suggestClosest('朝阳社区', communities, 1)).toEqual(['朝阳社区']);
    expect(suggestClosest('朝阳社区', communities, 0)).toEqual([]);
  });

  it('leaves out names that have nothing in common', () => {
    expect(suggestClosest('张三', ['李四', '王五'])).toEqual([]);
    expect(suggestClosest('张三', ['张四', '李四'])).toEqual(['张四']);
    expect(suggestClosest('abcdefgh', ['zzzzzzzz', 'abcdefgx'])).toEqual(['abcdefgx']);
    expect(suggestClosest('', communities)).toEqual([]);
    expect(suggestClosest('朝阳社区', [])).toEqual([]);
  });

  it('respects the distance limit', () => {
    // Distance 5 on 10 characters is allowed; 6 is not (unless one contains the other).
    expect(suggestClosest('abcdefghij', ['abcdeVWXYZ'])).toEqual(['abcdeVWXYZ']);
    expect(suggestClosest('abcdefghij', ['abcdUVWXYZ'])).toEqual([]);
  });

  it('is deterministic whatever the candidate order, and lists duplicates once', () => {
    const a = suggestClosest('X社区', ['A社区', 'B社区', 'C社区', 'D社区']);
    const b = suggestClosest('X社区', ['D社区', 'C社区', 'B社区', 'A社区', 'A社区']);
    expect(a).toEqual(b);
    expect(a).toEqual(['A社区', 'B社区', 'C社区']);
  });

  it('accepts any iterable', () => {
    const set = new Set(communities);
    expect(suggestClosest('朝杨社区', set)[0]).toBe('朝阳社区');
    expect(suggestClosest('朝杨社区', new Map(communities.map((c) => [c, 1])).keys())[0]).toBe('朝阳社区');
  });
});

describe('townStem', () => {
  it('takes off the office suffix and the kind', () => {
    expect(townStem('青山街道办事处')).toEqual({ stem: '青山', kind: '街道' });
    expect(townStem('青山街道办')).toEqual({ stem: '青山', kind: '街道' });
    expect(townStem('青山街道')).toEqual({ stem: '青山', kind: '街道' });
    expect(townStem('柳林镇人民政府')).toEqual({ stem: '柳林', kind: '镇' });
    expect(townStem('柳林镇')).toEqual({ stem: '柳林', kind: '镇' });
    expect(townStem('  青山 ')).toEqual({ stem: '青山', kind: '' });
    expect(townStem('石门乡')).toEqual({ stem: '石门', kind: '乡' });
  });
  it('leaves a name whose stem would be under two characters as it is', () => {
    expect(townStem('柳镇')).toEqual({ stem: '柳镇', kind: '' });
    expect(townStem('镇')).toEqual({ stem: '镇', kind: '' });
  });
});

describe('findTownByName', () => {
  const towns = [{ name: '青山' }, { name: '青山街道' }, { name: '柳林镇' }, { name: '白沙镇' }, { name: '白沙街道' }];
  it('prefers the whole name, then the one variant of the same kind', () => {
    expect(findTownByName(towns, ' 青山 ')?.name).toBe('青山');
    // 青山 (no kind) and 青山街道 both share the stem; the office's spelling names 青山街道.
    expect(findTownByName(towns, '青山街道办事处')?.name).toBe('青山街道');
    expect(findTownByName(towns, '柳林镇人民政府')?.name).toBe('柳林镇');
    expect(findTownByName(towns, '柳林')?.name).toBe('柳林镇');
  });
  it('answers nothing when two towns of other kinds share the stem', () => {
    expect(findTownByName(towns, '白沙')).toBeUndefined();
    expect(findTownByName(towns, '白沙乡')).toBeUndefined();
  });
});

describe('splitCommunityNames', () => {
  it('splits on line breaks (Alt+Enter), list punctuation and slashes, full-width too', () => {
    expect(splitCommunityNames('新华社区\n白沙社区')).toEqual(['新华社区', '白沙社区']);
    expect(splitCommunityNames('新华社区\r\n白沙社区\n')).toEqual(['新华社区', '白沙社区']);
    expect(splitCommunityNames('望江社区/柳林社区')).toEqual(['望江社区', '柳林社区']);
    expect(splitCommunityNames('望江社区／柳林社区')).toEqual(['望江社区', '柳林社区']);
    expect(splitCommunityNames('望江社区、柳林村，东湖社区；西山村委会')).toEqual(['望江社区', '柳林村', '东湖社区', '西山村委会']);
    expect(splitCommunityNames('　望江社区 ／ 　柳林社区　')).toEqual(['望江社区', '柳林社区']);
  });

  it('splits on spaces only when every piece ends like a community name', () => {
    expect(splitCommunityNames('新华社区 白沙社区')).toEqual(['新华社区', '白沙社区']);
    expect(splitCommunityNames('新华社区居委会　柳林村民委员会 枫林村')).toEqual(['新华社区居委会', '柳林村民委员会', '枫林村']);
    expect(splitCommunityNames('新華社區 白沙社區')).toEqual(['新華社區', '白沙社區']);
    // One name with a stray space stays one name.
    expect(splitCommunityNames('新华 社区')).toEqual(['新华 社区']);
    expect(splitCommunityNames('白沙街道 新华社区')).toEqual(['白沙街道 新华社区']);
    expect(splitCommunityNames('新华社区 居委会')).toEqual(['新华社区 居委会']);
  });

  it('drops empty parts and placeholders', () => {
    expect(splitCommunityNames('')).toEqual([]);
    expect(splitCommunityNames('/')).toEqual([]);
    expect(splitCommunityNames('无')).toEqual([]);
    expect(splitCommunityNames('新华社区\n\n无\n')).toEqual(['新华社区']);
  });
});

describe('communityWithoutTown', () => {
  it('takes off a town written before the community or in brackets after it', () => {
    const towns = ['白沙街道'];
    expect(communityWithoutTown('白沙街道滨江社区', towns)).toBe('滨江社区');
    expect(communityWithoutTown('白沙街道 - 滨江社区', towns)).toBe('滨江社区');
    expect(communityWithoutTown('白沙街道／滨江社区', towns)).toBe('滨江社区');
    expect(communityWithoutTown('滨江社区（白沙街道）', towns)).toBe('滨江社区');
    expect(communityWithoutTown('滨江社区【白沙街道】', towns)).toBe('滨江社区');
  });

  it('leaves a name with no town in it, or one named after its town', () => {
    expect(communityWithoutTown('滨江社区', ['白沙街道'])).toBeUndefined();
    expect(communityWithoutTown('白沙街道', ['白沙街道'])).toBeUndefined();
    expect(communityWithoutTown('柳林镇社区', ['柳林镇'])).toBeUndefined();
    expect(communityWithoutTown('柳林镇居委会', ['柳林镇'])).toBeUndefined();
    expect(communityWithoutTown('柳林社区', ['柳林镇'])).toBeUndefined();
    expect(communityWithoutTown('白沙街道X', ['白沙街道'])).toBeUndefined();
  });
});

// What each kind of sheet holds, and the header texts (aliases) that name each field.
// Aliases are compared after headerKey() (simplified characters, half-width, no spaces),
// so only genuinely different wordings need listing here.
import { headerKey } from '../domain/text.js';

export const KINDS = ['communities', 'units', 'orgs', 'members', 'checkins', 'org-checkins', 'activities'] as const;
export type Kind = (typeof KINDS)[number];

/** The order in which kinds are imported so that references resolve. */
export const KIND_ORDER: Record<Kind, number> = {
  communities: 0,
  units: 1,
  orgs: 2,
  members: 3,
  checkins: 4,
  'org-checkins': 5,
  activities: 6,
};

const PERSON = {
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '公民身份证号码', '身份证', '证件号码', '身份证件号码', '居民身份证号码', '身份证号(18位)', '身份号码'],
  phone: ['联系电话', '手机号', '手机号码', '电话', '联系方式', '手机', '电话号码', '移动电话', '联系手机'],
  name: ['姓名', '党员姓名', '名字', '报到人', '报到党员', '党员'],
};

export const FIELD_ALIASES: Record<Kind, Record<string, string[]>> = {
  communities: {
    town: ['街道', '镇街', '所属街道', '街道(镇)', '镇(街道)', '乡镇街道', '街道名称', '镇街名称', '所属镇街', '街镇', '镇', '乡镇', '乡镇(街道)', '街道办事处'],
    community: ['社区', '社区名称', '社区(村)', '村(社区)', '社区/村', '村社区', '村(居)', '社区(村)名称', '村居', '村(社区)名称', '村/社区', '居委会', '社区(居委会)', '村(居)委会'],
    code: ['社区代码', '代码', '编码', '社区编码', '社区(村)代码'],
  },
  units: {
    unit: ['单位名称', '单位', '单位全称'],
    category: ['单位类别', '单位性质', '单位类型'],
    town: ['所在街道', '驻地街道', '所属街道', '街道'],
  },
  orgs: {
    org: ['党组织名称', '党组织全称', '组织名称', '党组织'],
    shortName: ['简称', '党组织简称', '组织简称'],
    category: ['党组织类别', '组织类别', '党组织类型', '类别', '组织类型'],
    parent: ['上级党组织', '上级党组织名称', '上级组织', '上级党委'],
    unit: ['单位名称', '单位', '所在单位', '工作单位', '隶属单位'],
    town: ['驻地街道', '所在街道', '所属街道', '街道'],
    pairedCommunity: ['结对社区', '共建社区', '结对共建社区', '报到社区'],
    pairedDate: ['结对时间', '结对日期', '共建时间'],
    secretary: ['书记', '党组织书记', '书记姓名'],
    phone: ['联系电话', '电话', '书记电话', '联系方式'],
    code: ['组织代码', '党组织代码', '组织编码'],
  },
  members: {
    ...PERSON,
    gender: ['性别'],
    ethnicity: ['民族'],
    birthDate: ['出生日期', '出生年月', '出生年月日', '生日'],
    unit: ['工作单位', '单位', '单位名称', '所在单位'],
    jobTitle: ['职务', '职务职级', '职级', '现任职务'],
    org: ['所在党组织', '党组织', '所在支部', '党支部', '所在党支部', '党组织名称', '所属党组织', '所在党组织名称', '隶属党组织', '所属支部'],
    category: ['管理类别', '干部管理类别', '人员类别', '类别'],
    residenceCommunity: ['居住地社区', '居住社区', '现居住社区', '居住地所在社区', '所在社区', '居住地(社区)', '社区', '居住小区所属社区', '现居住地社区'],
    residenceTown: ['所属街道', '居住地街道', '居住街道', '街道', '镇街', '所在街道', '所属镇街', '居住地所属街道'],
    status: ['人员状态', '状态', '在职状态', '党员状态'],
    changeDate: ['变动日期', '调出日期', '变动时间', '离开日期', '调出时间', '状态变动日期', '状态变动时间', '异动日期', '异动时间', '转出日期', '转出时间', '调离日期', '调离时间'],
    joinedOn: ['入党时间', '入党日期', '入党年月'],
  },
  checkins: {
    ...PERSON,
    community: ['报到社区', '社区', '报到社区名称', '报到社区(村)', '社区名称', '报到村(社区)', '所报到社区', '报到社区(村)名称'],
    town: ['所属街道', '街道', '报到街道', '镇街', '报到镇街', '所在街道', '街道名称', '报到街道名称'],
    date: ['报到时间', '报到日期', '日期', '到社区报到时间', '报到年月日', '进社区报到时间', '进社区报到日期', '到社区报到日期'],
    post: ['认领岗位', '岗位', '服务岗位', '认领服务岗位', '认领岗位名称'],
  },
  'org-checkins': {
    org: ['党组织名称', '党组织全称', '组织名称', '党组织', '单位党组织', '报到党组织'],
    unit: ['单位', '所在单位', '单位名称', '工作单位', '隶属单位'],
    community: ['结对社区', '报到社区', '社区', '共建社区'],
    town: ['所属街道', '街道', '报到街道', '镇街'],
    date: ['报到时间', '结对时间', '日期', '报到日期', '结对日期'],
  },
  activities: {
    ...PERSON,
    date: ['活动日期', '服务日期', '活动时间', '服务时间', '日期'],
    community: ['社区', '服务社区', '活动社区', '活动地点', '服务地点'],
    town: ['街道', '所属街道', '服务街道'],
    category: ['服务类别', '活动类别', '服务类型', '活动类型', '类别', '志愿服务类别', '服务项目'],
    hours: ['服务时长(小时)', '服务时长', '时长', '时长(小时)', '服务小时数', '小时数', '服务时长(h)'],
    points: ['积分', '服务积分', '得分'],
    note: ['活动内容', '服务内容', '备注', '内容', '活动名称'],
  },
};

/** Fields that must have a column, per kind (members: ID or phone, checked separately). */
export const REQUIRED_FIELDS: Record<Kind, string[]> = {
  communities: ['town', 'community'],
  units: ['unit'],
  orgs: ['org', 'unit'],
  members: ['name', 'org'],
  checkins: ['community'],
  'org-checkins': ['org'],
  activities: ['date', 'community', 'category'],
};

/** Fields that exist only to identify a row (not used beyond that). */
export const IGNORED_HEADERS = new Set(['序号', '编号', 'no', 'no.', '序', '排序'].map(headerKey));

type AliasIndex = Map<string, string>;
const indexByKind = new Map<Kind, AliasIndex>();
for (const kind of KINDS) {
  const index: AliasIndex = new Map();
  for (const [field, aliases] of Object.entries(FIELD_ALIASES[kind])) {
    for (const alias of aliases) {
      const key = headerKey(alias);
      if (!index.has(key)) index.set(key, field);
    }
  }
  indexByKind.set(kind, index);
}

const anyAlias = new Set<string>();
for (const index of indexByKind.values()) for (const key of index.keys()) anyAlias.add(key);

/**
 * The key a header is matched by: headerKey, less a note in brackets at its end when the header
 * is known only without it (人员状态（在职/外派/调出）, 身份证号码(18位), 所在党组织（全称）).
 */
function aliasKey(header: string): string {
  const key = headerKey(header);
  if (anyAlias.has(key) || !key.endsWith(')')) return key;
  const open = key.lastIndexOf('(');
  const bare = open > 0 ? key.slice(0, open) : key;
  return anyAlias.has(bare) ? bare : key;
}

export function fieldFor(kind: Kind, header: string): string | undefined {
  return indexByKind.get(kind)!.get(aliasKey(header));
}

/** Whether a header text names any field of any kind (used to find the header row). */
export function isKnownHeader(header: string): boolean {
  return anyAlias.has(aliasKey(header));
}

export function mapColumns(kind: Kind, headers: string[]): Map<string, number> {
  const columns = new Map<string, number>();
  headers.forEach((header, index) => {
    if (!header) return;
    const field = fieldFor(kind, header);
    if (!field) return;
    const taken = columns.get(field);
    // The first column of a field is read; but a mobile number (手机) is the person's phone
    // rather than a 联系电话 column before it, which often holds an office landline.
    if (taken === undefined || (field === 'phone' && isMobileHeader(header) && !isMobileHeader(headers[taken]))) columns.set(field, index);
  });
  if (kind === 'checkins') checkinTown(headers, columns);
  return columns;
}

/** Headers that name a mobile number (a 联系电话 column may hold a landline). */
const MOBILE_HEADERS = new Set(['手机', '手机号', '手机号码', '移动电话', '联系手机'].map(aliasKey));

export function isMobileHeader(header: string): boolean {
  return MOBILE_HEADERS.has(aliasKey(header));
}

const CHECKIN_TOWNS = new Set(['报到街道', '报到镇街'].map(headerKey));

/** A header that names the check-in's own town (报到街道): in a check-in sheet it wins over a
 * plain town column, wherever it stands. */
export function isCheckinTownHeader(header: string): boolean {
  return Boolean(header) && CHECKIN_TOWNS.has(aliasKey(header));
}

/**
 * A member roster read for its check-ins (--kind checkins) has 居住地社区 and 所属街道 beside
 * 报到社区: there 所属街道 is the residence's town, and reading it as the check-in's would put
 * (and create) the check-in community in the wrong town. A 报到街道 column is the check-in's
 * town; else a plain town column is, unless the sheet has a residence community column.
 */
function checkinTown(headers: string[], columns: Map<string, number>): void {
  const own = headers.findIndex(isCheckinTownHeader);
  if (own >= 0) {
    columns.set('town', own);
    return;
  }
  if (!columns.has('town')) return;
  const residence = headers.some((header) => header && fieldFor('members', header) === 'residenceCommunity' && fieldFor('checkins', header) === undefined);
  if (residence) columns.delete('town');
}

const has = (headers: Set<string>, words: string[]) => words.some((word) => headers.has(headerKey(word)));

/**
 * Tell a sheet's kind from its headers, or undefined when it cannot be told.
 * The decisive columns: a person (ID, phone or name) with a check-in date or a post is a
 * check-in; with a service category, hours or points an activity; with organisation or
 * personal details a member. An organisation with roster details is an organisation
 * roster, with only a community, town or date an organisation check-in.
 */
export function detectKind(headerTexts: string[]): Kind | undefined {
  const headers = new Set(headerTexts.filter(Boolean).map(aliasKey));
  // 报到党组织 / 单位党组织 name an organisation only in a register of organisation check-ins.
  const rosterOrgName = has(headers, FIELD_ALIASES.orgs.org);
  const orgName = rosterOrgName || has(headers, FIELD_ALIASES['org-checkins'].org);
  const activityColumns = ['服务类别', '活动类别', '服务类型', '活动类型', '志愿服务类别', '服务时长(小时)', '服务时长', '时长', '积分', '服务积分', '活动日期', '服务日期', '活动内容', '服务内容'];
  const checkinColumns = ['报到时间', '报到日期', '到社区报到时间', '报到年月日', '进社区报到时间', '进社区报到日期', '到社区报到日期', '认领岗位', '报到社区', '所报到社区', '报到社区(村)名称', '服务岗位'];
  // 联系电话 and 电话 also head the contact column of community and organisation rosters: they
  // name a person only beside a member's, a check-in's or an activity's own columns.
  const person =
    has(headers, [...PERSON.idNumber, ...PERSON.phone.filter((p) => p !== '电话' && p !== '联系电话'), '姓名', '党员姓名']) ||
    (has(headers, ['联系电话', '电话']) && (has(headers, ['所在党组织', '工作单位']) || (!orgName && has(headers, [...activityColumns, ...checkinColumns]))));
  if (person && has(headers, ['姓名', '党员姓名', ...PERSON.idNumber, ...PERSON.phone])) {
    if (has(headers, activityColumns)) return 'activities';
    // 服务项目 is also what a check-in register calls the post a member takes on.
    if (has(headers, ['服务项目']) && !has(headers, checkinColumns)) return 'activities';
    if (has(headers, checkinColumns)) {
      const memberOnly = ['性别', '民族', '出生日期', '出生年月', '人员状态', '入党时间', '管理类别', '居住地社区'];
      if (memberOnly.filter((word) => headers.has(headerKey(word))).length < 2) return 'checkins';
    }
    return 'members';
  }
  if (orgName) {
    if (rosterOrgName && has(headers, ['简称', '党组织简称', '党组织类别', '组织类别', '上级党组织', '书记', '组织代码', '单位名称', '党组织类型'])) return 'orgs';
    if (!rosterOrgName || has(headers, [...FIELD_ALIASES['org-checkins'].community, ...FIELD_ALIASES['org-checkins'].date, ...FIELD_ALIASES['org-checkins'].town])) return 'org-checkins';
    return 'orgs';
  }
  if (has(headers, FIELD_ALIASES.communities.community) && has(headers, FIELD_ALIASES.communities.town)) return 'communities';
  if (has(headers, FIELD_ALIASES.units.unit)) return 'units';
  if (has(headers, FIELD_ALIASES.communities.community)) return 'communities';
  return undefined;
}

// Messages shared by every command: zh and en must have the same keys (tests/i18n.test.ts checks).
export const zh: Record<string, string> = {
  badToday: '--today / DBD_TODAY 的值“{value}”不是日期（应为 YYYY-MM-DD）',
  badDate: '{option} 的值“{value}”不是有效日期（应为 YYYY-MM-DD）',
  badNumber: '{option} 的值“{value}”不是有效数字',
  internalError: '内部错误：{message}（加 --debug 查看详细信息）',
  usagePrefix: '用法错误：',
  optDb: '数据库文件（默认 ./dbd.sqlite，或环境变量 DBD_DB）',
  optToday: '把“今天”定为该日期（YYYY-MM-DD），也可用环境变量 DBD_TODAY',
  optLang: '界面语言：zh（默认）或 en',
  optDebug: '出错时显示详细的调试信息',
  optNoColor: '不使用颜色',
  optJson: '以 JSON 输出（只输出一个 JSON 文档）',
  optFullId: '显示完整身份证号（默认脱敏）',
  examples: '示例：',
};

export const en: typeof zh = {
  badToday: '--today / DBD_TODAY value "{value}" is not a date (YYYY-MM-DD)',
  badDate: '{option} value "{value}" is not a valid date (YYYY-MM-DD)',
  badNumber: '{option} value "{value}" is not a valid number',
  internalError: 'internal error: {message} (add --debug for details)',
  usagePrefix: 'usage error: ',
  optDb: 'database file (default ./dbd.sqlite, or the DBD_DB environment variable)',
  optToday: 'take this date (YYYY-MM-DD) as today; also DBD_TODAY',
  optLang: 'language: zh (default) or en',
  optDebug: 'show debugging details on errors',
  optNoColor: 'no colour',
  optJson: 'print JSON (one JSON document only)',
  optFullId: 'show full ID numbers (masked by default)',
  examples: 'Examples:',
};

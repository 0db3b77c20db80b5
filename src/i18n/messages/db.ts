// Messages of the database area: zh and en must have the same keys (tests/i18n.test.ts checks).
export const zh: Record<string, string> = {
  missing: '数据库文件不存在：{path}（先用 dbd import 导入名册）',
  newerVersion: '数据库 {path} 由更新版本的 dbd 写入（含未知的结构版本 {migration}），本版本无法使用。请升级 dbd。数据库未作任何改动。',
  migrationFailed: '数据库结构升级失败（{migration}）：{reason}',
  locked: '数据库 {path} 正被其他 dbd 进程长时间占用（等待超时）。请等待正在进行的导入或导出完成后重试；可用 DBD_BUSY_TIMEOUT_MS 设置更长的等待时间（毫秒）。',
  corrupt: '数据库文件 {path} 已损坏或不是 dbd 数据库。请用 dbd restore 从备份恢复。',
  io: '无法读写数据库 {path}：{reason}',
  postgresNotBuilt: 'PostgreSQL 数据库（postgres://…）尚未支持：本版本只支持 SQLite 文件。',
};

export const en: typeof zh = {
  missing: 'database file not found: {path} (import a roster first with dbd import)',
  newerVersion: 'database {path} was written by a newer dbd (unknown schema version {migration}); this version cannot use it. Upgrade dbd. The database was not touched.',
  migrationFailed: 'database schema upgrade failed ({migration}): {reason}',
  locked: 'database {path} is held by another dbd process for too long (timed out waiting). Wait for the running import or export to finish and retry; set DBD_BUSY_TIMEOUT_MS (milliseconds) to wait longer.',
  corrupt: 'database file {path} is corrupt or not a dbd database. Restore it from a backup with dbd restore.',
  io: 'cannot read or write database {path}: {reason}',
  postgresNotBuilt: 'PostgreSQL databases (postgres://…) are not supported yet: this version works on SQLite files only.',
};

// Messages of the database area: zh and en must have the same keys (tests/i18n.test.ts checks).
export const zh: Record<string, string> = {
  missing: '数据库文件不存在：{path}（先用 dbd import 导入名册）',
  newerVersion: '数据库 {path} 由更新版本的 dbd 写入（含未知的结构版本 {migration}），本版本无法使用。请升级 dbd。数据库未作任何改动。',
  migrationFailed: '数据库结构升级失败（{migration}）：{reason}',
  // Says nothing of who holds the lock: the line after it does (a dbd command or another program).
  locked: '数据库 {path} 正被另一个进程长时间占用（等待超时）。可用 DBD_BUSY_TIMEOUT_MS 设置更长的等待时间（毫秒）。',
  corrupt: '数据库文件 {path} 已损坏或不是 dbd 数据库。请用 dbd restore 从备份恢复。',
  spreadsheetAsDb: '{path} 是表格文件，不是数据库：--db 应指向 dbd 的数据库文件（如 dbd.sqlite）；要导入这个表格，请用 dbd import {path}',
  folderAsDb: '{path} 是文件夹，不是数据库文件：请给出文件名，如 {path}/dbd.sqlite',
  notDbd: '{path} 是 SQLite 数据库，但不是 dbd 数据库（其中已有其他程序的表），dbd 未作任何改动。请用 --db 指定 dbd 的数据库文件，或一个新文件。',
  pgNotDbd: '{path} 是 PostgreSQL 数据库，但不是 dbd 数据库（其中已有其他程序的表），dbd 未作任何改动。请指定 dbd 的数据库，或新建一个空库（如 createdb）。',
  io: '无法读写数据库 {path}：{reason}',
  readOnlyAdvice: 'dbd 即使只读取，也要在数据库旁写入 -wal 和 -shm 文件：请确认数据库所在文件夹和这两个文件（如有）可写，或把数据库复制到可写的文件夹再用',
  pgUnreachable: '无法连接 PostgreSQL 数据库 {url}：{reason}。请确认服务器地址、端口，以及服务器正在运行。',
  pgAuth: 'PostgreSQL 数据库 {url} 拒绝登录：用户名或密码不对。密码可写在 URL 中、PGPASSWORD 环境变量或 ~/.pgpass 文件中。',
  pgNoDatabase: 'PostgreSQL 服务器上没有这个数据库：{url}。请先创建（如 createdb），再运行 dbd。',
  pgBackup: 'PostgreSQL 数据库请用 pg_dump 备份，或用 dbd copy --to 文件.sqlite 复制成一个 SQLite 文件。',
  pgRestore: 'dbd restore 用于 SQLite 文件；要把备份文件装入一个空的 PostgreSQL 数据库，请用 dbd copy --from 备份.sqlite --db postgres://…',
};

export const en: typeof zh = {
  missing: 'database file not found: {path} (import a roster first with dbd import)',
  newerVersion: 'database {path} was written by a newer dbd (unknown schema version {migration}); this version cannot use it. Upgrade dbd. The database was not touched.',
  migrationFailed: 'database schema upgrade failed ({migration}): {reason}',
  locked: 'database {path} is held by another process for too long (timed out waiting); set DBD_BUSY_TIMEOUT_MS (milliseconds) to wait longer.',
  corrupt: 'database file {path} is corrupt or not a dbd database. Restore it from a backup with dbd restore.',
  spreadsheetAsDb: '{path} is a spreadsheet, not a database: --db names dbd\'s database file (such as dbd.sqlite); to import this spreadsheet, use dbd import {path}',
  folderAsDb: '{path} is a folder, not a database file: give a file name, such as {path}/dbd.sqlite',
  notDbd: '{path} is an SQLite database but not a dbd database (it holds tables of another program); dbd did not change it. Name a dbd database file with --db, or a new file.',
  pgNotDbd: '{path} is a PostgreSQL database but not a dbd database (it holds tables of another program); dbd did not change it. Name a dbd database, or create an empty one (e.g. createdb).',
  io: 'cannot read or write database {path}: {reason}',
  readOnlyAdvice: 'even to read, dbd writes the -wal and -shm files beside the database: make sure its folder and those files (if any) can be written, or copy the database to a folder that can',
  pgUnreachable: 'cannot connect to the PostgreSQL database {url}: {reason}. Check the server address and port, and that the server is running.',
  pgAuth: 'the PostgreSQL database {url} refused the login: wrong user name or password. Give the password in the URL, in PGPASSWORD or in ~/.pgpass.',
  pgNoDatabase: 'no such database on the PostgreSQL server: {url}. Create it first (e.g. createdb), then run dbd.',
  pgBackup: 'back up a PostgreSQL database with pg_dump, or copy it into an SQLite file with dbd copy --to FILE.sqlite.',
  pgRestore: 'dbd restore works on SQLite files; to load a backup file into an empty PostgreSQL database use dbd copy --from BACKUP.sqlite --db postgres://…',
};

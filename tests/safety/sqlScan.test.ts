// No SQL is built from strings anywhere in src/: queries go through kysely (values become bound
// parameters); better-sqlite3 is touched only by src/db/open.ts (and the thread it starts for a
// second reader, src/db/snapshotWorker.ts) and pg only by src/db/postgres.ts, which run fixed
// statements
// and SQL that kysely compiled. The scanner reads the TypeScript syntax tree, and proves on
// snippets that it catches what it is meant to catch.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const DRIVER_FILE = 'src/db/open.ts';
/** The worker thread open.ts starts to read a snapshot beside it: it loads the driver alone (not
 * open.ts, whose imports take longer to load than the helper saves) and runs SQL that kysely
 * compiled in the other thread. */
const DRIVER_WORKER_FILE = 'src/db/snapshotWorker.ts';
/** The PostgreSQL driver's one file (it runs only SQL that kysely compiled or tagged templates). */
const PG_DRIVER_FILE = 'src/db/postgres.ts';
// The start of an SQL statement (any case), specific enough not to match English prose.
const SQL_START = new RegExp(
  '^\\s*(' +
    [
      'select\\s+(\\*|distinct\\b|count\\(|[\\w."`]+(\\s*,|\\s+from\\b|\\s+as\\b))',
      'insert\\s+(or\\s+\\w+\\s+)?into\\s',
      'update\\s+[\\w."`]+\\s+set\\s',
      'delete\\s+from\\s',
      'create\\s+(unique\\s+)?(table|index|view|trigger|temp)',
      'drop\\s+(table|index|view|trigger)\\s',
      'alter\\s+table\\s',
      'pragma\\s+\\w',
      'attach\\s+(database\\s+)?\\S',
      'replace\\s+into\\s',
      'with\\s+\\w+\\s+as\\s*\\(',
      'vacuum\\s+into\\b',
      'begin\\s+(immediate|exclusive|deferred|transaction)\\b',
      '(commit|end)\\s+transaction\\b',
      'rollback\\s+to\\b',
      '(savepoint|release)\\s+\\w+\\s*;?\\s*$',
    ].join('|') +
    ')',
  'i',
);
/** Bare transaction statements, in the capitals SQL is written in (a lower-case 'end' is a word). */
const TRANSACTION_STATEMENT = /^\s*(BEGIN|COMMIT|ROLLBACK|END|VACUUM)\s*;?\s*$/;
const isSql = (text: string) => SQL_START.test(text) || TRANSACTION_STATEMENT.test(text);
const UNSAFE_SQL_HELPERS = new Set(['raw', 'lit']);

interface Finding { file: string; line: number; rule: string; text: string }

function isStringy(node: ts.Node): boolean {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node) || (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken);
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  return undefined;
}

function scanSource(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const driver = [DRIVER_FILE, DRIVER_WORKER_FILE].some((name) => file.replace(/\\/g, '/').endsWith(name));
  const pgDriver = file.replace(/\\/g, '/').endsWith(PG_DRIVER_FILE);
  const report = (node: ts.Node, rule: string) =>
    findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, rule, text: node.getText(source).slice(0, 120) });

  const visit = (node: ts.Node): void => {
    // The SQLite driver is used in one file only.
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (node.moduleSpecifier.text === 'better-sqlite3' && !driver) report(node, 'better-sqlite3 imported outside src/db/open.ts');
      if (['pg', 'pgpass', 'pg-connection-string', 'pg-cursor'].includes(node.moduleSpecifier.text) && !pgDriver && !(ts.isImportDeclaration(node) && node.importClause?.isTypeOnly)) {
        report(node, `${node.moduleSpecifier.text} imported outside src/db/postgres.ts`);
      }
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments[0] && literalText(node.arguments[0]) === 'better-sqlite3' && !driver) {
      report(node, 'better-sqlite3 required outside src/db/open.ts');
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const target = node.expression.expression;
      // sql.raw / sql.lit / CompiledQuery.raw put text into SQL unescaped.
      if (ts.isIdentifier(target) && target.text === 'sql' && UNSAFE_SQL_HELPERS.has(method)) report(node, `sql.${method}() puts text into SQL unescaped`);
      if (ts.isIdentifier(target) && target.text === 'CompiledQuery' && method === 'raw') report(node, 'CompiledQuery.raw() runs SQL text');
      // SQL text handed to a driver: only fixed statements, and only in the driver file.
      if ((method === 'prepare' || method === 'exec' || method === 'pragma') && node.arguments[0]) {
        const first = node.arguments[0];
        const dynamic = ts.isTemplateExpression(first) || (ts.isBinaryExpression(first) && first.operatorToken.kind === ts.SyntaxKind.PlusToken);
        if (dynamic) report(node, `.${method}() of SQL built from pieces`);
        else if (!driver && isStringy(first)) report(node, `.${method}() of SQL text outside src/db/open.ts`);
      }
    }
    // SQL written as a string anywhere but the driver file; in the driver, only whole literals.
    const text = literalText(node);
    if (text !== undefined && isSql(text) && !ts.isTaggedTemplateExpression(node.parent)) {
      if (!driver) report(node, 'SQL text in a string outside src/db/open.ts');
      else if (ts.isTemplateExpression(node)) report(node, 'SQL text with substitutions');
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const sides = [node.left, node.right].map(literalText).filter((s): s is string => s !== undefined);
      if (sides.some(isSql)) report(node, 'SQL text concatenated');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('no SQL built from strings', () => {
  it('src/ has none', () => {
    const files = sourceFiles(path.join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(40);
    const findings = files.flatMap((file) => scanSource(path.relative(ROOT, file), fs.readFileSync(file, 'utf8')));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.text}`)).toEqual([]);
  });

  it('the scanner catches each way of building SQL from strings', () => {
    const bad: Record<string, string> = {
      concatenation: `const q = "SELECT * FROM members WHERE name = '" + name + "'";`,
      template: 'native.exec(`DELETE FROM ${table}`);',
      prepareText: `db.prepare('select 1');`,
      raw: 'const x = sql.raw(`name = ${value}`);',
      lit: 'const x = sql.lit(value);',
      compiled: 'db.executeQuery(CompiledQuery.raw(text));',
      driver: "import Database from 'better-sqlite3';",
      pgDriver: "import pg from 'pg';",
      pragma: 'db.pragma(`table_info(${name})`);',
      update: 'run(`UPDATE members SET name = ${name}`);',
      lowercase: `const q = 'select count(*) from audit where id = ' + id;`,
      commit: `other.exec('COMMIT');`,
    };
    for (const [what, snippet] of Object.entries(bad)) expect(scanSource('src/x.ts', snippet), what).not.toEqual([]);
    expect(scanSource(`src/db/open.ts`, 'native.exec(`SAVEPOINT ${name}`);')).not.toEqual([]);
  });

  it('and lets safe code pass', () => {
    const good = [
      `const m = /^(\\d+)$/.exec(text);`,
      `handle.prepare(db.selectFrom('members').select('id').where('id', '=', param('id')), ['id']);`,
      "eb('m.name', 'like', sql<string>`${like} escape '\\\\'`);",
      `throw databaseError(t('db.locked', { path }));`,
      `const text = 'Select the sheet to import';`,
      `const hint = 'Update dbd and try again; begin with dbd import';`,
      `const edge = { side: 'end', mode: 'begin' };`,
    ];
    for (const snippet of good) expect(scanSource('src/x.ts', snippet), snippet).toEqual([]);
    expect(scanSource('src/db/open.ts', "import B from 'better-sqlite3'; native.exec('BEGIN IMMEDIATE'); native.prepare(compiled.sql);")).toEqual([]);
    expect(scanSource('src/db/postgres.ts', "import pg from 'pg'; await sql`begin`.execute(db);")).toEqual([]);
  });
});

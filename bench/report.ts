// The benchmark's results as a terminal table and as the generated part of bench/RESULTS.md.
import type { CityManifest } from '../fixtures/generate.js';
import type { Measured } from './measure.js';

export interface StepRow {
  id: string;
  label: string;
  rows: number | undefined;
  run?: Measured;
  /** Reports: wall time of the same command on an empty database (start-up). */
  startupMs?: number;
  /** A dbd step (its memory counts against the target), not a reference tool. */
  dbd: boolean;
  note?: string;
}

export interface TargetRow {
  label: string;
  measured: number | undefined;
  unit: '×' | 's' | 'MB';
  /** The target: measured must not exceed it. None: reported for information. */
  limit?: number;
}

export interface BenchReport {
  date: Date;
  members: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    sqliteShell: string | undefined;
    sqliteLibrary: string;
    os: string;
    loadBefore: number[];
    loadAfter: number[];
    peakMemory: string;
  };
  city: CityManifest;
  generatedSeconds: number | undefined;
  totalSeconds: number;
  steps: StepRow[];
  targets: TargetRow[];
}

const n = (value: number) => value.toLocaleString('en');
const seconds = (ms: number) => (ms / 1000).toFixed(2);

function stepCells(step: StepRow): string[] {
  const m = step.run;
  if (!m) return [step.label, step.rows !== undefined ? n(step.rows) : '', '—', '—', '—', '—', step.note ?? 'skipped'];
  const queryMs = step.startupMs !== undefined ? m.wallMs - step.startupMs : undefined;
  const effectiveMs = queryMs ?? m.wallMs;
  const rate = step.rows !== undefined && effectiveMs > 0 ? n(Math.round(step.rows / (effectiveMs / 1000))) : '';
  return [
    step.label,
    step.rows !== undefined ? n(step.rows) : '',
    seconds(m.wallMs) + (queryMs !== undefined ? ` (query ${seconds(queryMs)})` : ''),
    rate,
    m.cpuMs !== undefined ? seconds(m.cpuMs) : '?',
    m.peakRssKb !== undefined ? String(Math.round(m.peakRssKb / 1024)) : '?',
    step.note ?? '',
  ];
}

function verdict(target: TargetRow): string {
  if (target.limit === undefined) return '(for information)';
  if (target.measured === undefined || !Number.isFinite(target.measured)) return 'not measured';
  return target.measured <= target.limit ? 'meets' : 'misses';
}

function measuredText(target: TargetRow): string {
  if (target.measured === undefined || !Number.isFinite(target.measured)) return '—';
  const digits = target.unit === 'MB' ? 0 : 2;
  return `${target.measured.toFixed(digits)}${target.unit === '×' ? '×' : ` ${target.unit}`}`;
}

function limitText(target: TargetRow): string {
  if (target.limit === undefined) return '';
  return `≤ ${target.unit === 'MB' || target.unit === 's' ? `${target.limit} ${target.unit}` : `${target.limit.toFixed(1)}×`}`;
}

const STEP_HEADER = ['step', 'rows', 'wall s', 'rows/s', 'CPU s', 'peak MB', 'note'];
const TARGET_HEADER = ['target', 'measured', 'limit', 'verdict'];

function table(header: string[], rows: string[][]): string {
  const width = (text: string) => [...text].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i] - width(c))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: string[], rows: string[][]): string {
  const esc = (cell: string) => cell.replaceAll('|', '\\|');
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

export function renderTerminal(report: BenchReport): string {
  return [
    '',
    table(STEP_HEADER, report.steps.map(stepCells)),
    '',
    table(TARGET_HEADER, report.targets.map((t) => [t.label, measuredText(t), limitText(t), verdict(t)])),
    '',
    `total ${report.totalSeconds.toFixed(0)} s; load average before ${report.machine.loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${report.machine.loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
    '',
  ].join('\n');
}

export function renderResults(report: BenchReport): string {
  const { machine, city } = report;
  const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  return [
    `## Latest run: ${report.date.toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    '',
    `- Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb.toFixed(1)} GB memory, ${machine.os}`,
    `- Node ${machine.node}; SQLite ${machine.sqliteLibrary} (better-sqlite3); sqlite3 shell ${machine.sqliteShell ?? 'not installed'}`,
    `- Load average (1, 5, 15 min) before ${machine.loadBefore.map((l) => l.toFixed(2)).join(', ')}; after ${machine.loadAfter.map((l) => l.toFixed(2)).join(', ')} — the machine is shared, so compare the ratios measured in the same run`,
    `- Peak memory: ${machine.peakMemory} of each child process. Wall time measured by the benchmark around each child process.`,
    `- Data (seed ${city.options.seed}, generator v${city.version}): ${n(city.counts.members)} members in ${n(city.counts.orgs)} organisations of ${n(city.counts.units)} units, ${n(city.counts.communities)} communities in ${n(city.counts.towns)} towns, ${n(city.counts.checkins)} check-ins and ${n(city.counts.activities)} activities; members CSV ${mb(city.sizes.members)} (UTF-8) / ${mb(city.sizes.membersGbk)} (GBK), ${n(city.counts.xlsxRows)}-row xlsx ${mb(city.sizes.membersXlsx)}${report.generatedSeconds !== undefined ? `; generated in ${report.generatedSeconds.toFixed(0)} s` : ' (cached)'}`,
    `- Whole run: ${report.totalSeconds.toFixed(0)} s`,
    '',
    '### Steps',
    '',
    markdownTable(STEP_HEADER, report.steps.map(stepCells)),
    '',
    'Reports, and the .xlsx import with the exceljs read it is compared with, are the median of several runs (peak memory: the highest); "query" is the wall time less that of the same command on an empty database (process start-up, loading, opening).',
    '',
    '### Targets',
    '',
    markdownTable(TARGET_HEADER, report.targets.map((t) => [t.label, measuredText(t), limitText(t), verdict(t)])),
    '',
  ].join('\n');
}

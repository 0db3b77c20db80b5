import type { Command } from 'commander';
import { Option } from 'commander';
import { declare, lazy } from './declare.js';
import { t } from '../i18n/index.js';
import { KINDS } from '../ingest/fields.js';
import { normaliseEncodingName } from '../ingest/decode.js';
import { usageError } from '../errors.js';

export function registerImport(program: Command): void {
  declare(program, 'import', 'import', [
    'dbd import 在职党员花名册.xlsx',
    'dbd import 社区名单.csv 单位党组织名册.xlsx 在职党员花名册.xlsx',
    'dbd import 报到登记.csv --dry-run',
    'dbd import 在职党员花名册.xlsx --sheet 在职党员花名册 --full-roster --errors 错误清单.xlsx',
  ])
    .argument('<files...>', t('help.importFiles'))
    .addOption(new Option('--kind <kind>', t('help.importKind')).choices([...KINDS]))
    .option('--sheet <name>', t('help.importSheet'))
    .addOption(
      // An unknown encoding is wrong usage whatever the files are (an .xlsx has no use for it).
      new Option('--encoding <encoding>', t('help.importEncoding')).argParser((value: string) => {
        if (!normaliseEncodingName(value)) throw usageError(t('ingest.unknownEncoding', { encoding: value }));
        return value;
      }),
    )
    .option('--dry-run', t('help.importDryRun'))
    .option('--skip-invalid', t('help.importSkipInvalid'))
    .option('--strict', t('help.importStrict'))
    .option('--full-roster', t('help.importFullRoster'))
    .option('--errors <file>', t('help.importErrors'))
    .option('--json', t('common.optJson'))
    .action(lazy(() => import('../commands/import.js')));
}

// Commander's own usage errors (English, fixed wording) in the user's language.
import { t } from '../i18n/index.js';

const PATTERNS: Array<[RegExp, string, string[]]> = [
  [/^unknown option '([^']*)'(?:\s*\(Did you mean ([^?]*)\?\))?/, 'common.cmdUnknownOption', ['option', 'suggestion']],
  [/^unknown command '([^']*)'(?:\s*\(Did you mean ([^?]*)\?\))?/, 'common.cmdUnknownCommand', ['command', 'suggestion']],
  [/^missing required argument '([^']*)'/, 'common.cmdMissingArgument', ['argument']],
  [/^option '([^']*)' argument missing/, 'common.cmdOptionArgumentMissing', ['option']],
  [/^option '([^']*)' argument '([^']*)' is invalid\. Allowed choices are (.*)\.$/s, 'common.cmdInvalidChoice', ['option', 'value', 'choices']],
  [/^too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./, 'common.cmdTooManyArguments', ['command', 'expected', 'got']],
  [/^required option '([^']*)' not specified/, 'common.cmdMissingOption', ['option']],
];

export function translateUsageError(text: string): string {
  const message = text.replace(/^error: /, '').trim();
  for (const [pattern, key, names] of PATTERNS) {
    const match = pattern.exec(message);
    if (!match) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, match[i + 1] ?? '']));
    let line = t(key, params);
    if (params.suggestion) line += t('common.cmdDidYouMean', { suggestion: params.suggestion });
    return `${t('common.usagePrefix')}${line}\n`;
  }
  return `${t('common.usagePrefix')}${message}\n`;
}

// "Today" is injectable (--today or DBD_TODAY) so that default dates, the last complete week
// and the current month are testable; otherwise it is the local calendar date.
import { isValidIsoDate } from './domain/dates.js';
import { usageError } from './errors.js';
import { t } from './i18n/index.js';

export function today(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  // An empty DBD_TODAY means "not set"; an empty --today was typed, and is a mistake.
  if (option === '') throw usageError(t('common.emptyToday'));
  const given = option ?? env.DBD_TODAY;
  if (given) {
    if (!isValidIsoDate(given)) throw usageError(t('common.badToday', { value: given }));
    return given;
  }
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function nowTimestamp(): string {
  return new Date().toISOString();
}

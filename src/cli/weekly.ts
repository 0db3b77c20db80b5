import type { Command } from 'commander';

export function registerWeekly(_program: Command): void {
  // Commands of this area are declared here (see cli/import.ts for the pattern).
}

import type { Command } from 'commander';

export function registerExport(_program: Command): void {
  // Commands of this area are declared here (see cli/import.ts for the pattern).
}

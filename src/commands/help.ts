// dbd help [COMMAND... | TOPIC]: the program's help, one command's help, or a topic page.
import type { Command } from 'commander';
import type { Output } from '../cli/context.js';
import { HELP_TOPICS, topicLabel, topicName, type HelpTopic } from '../cli/help.js';
import { suggestClosest } from '../domain/text.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';

/** A topic by any of its names; English aliases in any letter case. */
export function findTopic(name: string): HelpTopic | undefined {
  const wanted = name.trim().toLowerCase();
  return HELP_TOPICS.find((topic) => topic.names.some((n) => n.toLowerCase() === wanted));
}

function findSubcommand(parent: Command, name: string): Command | undefined {
  return parent.commands.find((command) => command.name() === name || command.aliases().includes(name));
}

/** The page of a topic: its body, then the other topics. */
export function topicPage(topic: HelpTopic): string {
  const others = HELP_TOPICS.filter((other) => other !== topic).map((other) => `dbd help ${topicName(other)}`);
  return `${t(`helptopics.${topic.key}Body`)}\n\n${t('helptopics.seeAlso', { topics: others.join(t('common.listSeparator')) })}\n`;
}

export type HelpTarget = { command: Command } | { topic: HelpTopic };

/** What `dbd help NAMES` is about: the program (no names), a command (`import`, `export monthly`)
 * or a topic (any of its names); otherwise a usage error naming what is available. */
export function resolveHelp(program: Command, names: string[]): HelpTarget {
  if (names.length === 0) return { command: program };
  const [first, ...rest] = names;
  let command = findSubcommand(program, first);
  if (command) {
    for (const name of rest) {
      const sub = findSubcommand(command, name);
      if (!sub) {
        const available = command.commands.map((c) => c.name()).join(t('common.listSeparator'));
        throw usageError(t('helptopics.unknownSubcommand', { command: command.name(), name, names: available }));
      }
      command = sub;
    }
    return { command };
  }
  const topic = findTopic(names.join(' '));
  if (topic) return { topic };

  const commands = program.commands.map((c) => c.name());
  const closest = suggestClosest(names.join(' '), [...commands, ...HELP_TOPICS.flatMap((topic) => topic.names.slice(0, 2))]);
  const hint = closest.length ? t('listing.didYouMean', { names: closest.join(t('common.listSeparator')) }) : '';
  throw usageError(
    `${t('helptopics.unknown', { name: names.join(' ') })}${hint}\n${t('helptopics.available', {
      topics: HELP_TOPICS.map(topicLabel).join(t('common.listSeparator')),
      commands: commands.join(t('common.listSeparator')),
    })}`,
  );
}

/** A command's help is exactly what `dbd COMMAND --help` prints (examples included). */
export function run(program: Command, names: string[], io: Output): void {
  const target = resolveHelp(program, names);
  if ('topic' in target) io.out(topicPage(target.topic));
  else target.command.outputHelp();
}

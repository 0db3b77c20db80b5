// dbd help [COMMAND | TOPIC]: replaces commander's built-in help command, adds the help topics
// (the clerk's routines) and makes commander's own help read well in Chinese: translated
// headings, widths measured for CJK text, descriptions wrapped between Chinese characters.
import type { Argument, Command, HelpConfiguration, Option } from 'commander';
import stringWidth from 'string-width';
import { getLang, t } from '../i18n/index.js';
import { processOutput } from './context.js';
import { withCommonOptions } from './declare.js';

/** A routine explained step by step: its page lives in the helptopics catalogue under
 * `${key}Title`, `${key}Summary` and `${key}Body`; `names` are what a user may type (the
 * Chinese name first, then the English alias, then other spellings). */
export interface HelpTopic { key: string; names: readonly string[] }

export const HELP_TOPICS: readonly HelpTopic[] = [
  { key: 'firstImport', names: ['首次导入', 'first-import', '第一次导入', '导入名册'] },
  { key: 'weekly', names: ['每周一周报', 'weekly', '周报', '每周周报', 'weekly-routine'] },
  { key: 'monthEnd', names: ['月底导出', 'month-end', '月度导出', '月报', 'monthly-routine'] },
  { key: 'annualRating', names: ['年终评先', 'annual-rating', '评先', '评先评优', '年度评先'] },
];

/** The name a topic goes by in the user's language (either name finds it). */
export function topicName(topic: HelpTopic): string {
  return getLang() === 'en' ? topic.names[1] : topic.names[0];
}

/** The name shown for a topic: in the user's language, with the other name beside it. */
export function topicLabel(topic: HelpTopic): string {
  const other = getLang() === 'en' ? topic.names[0] : topic.names[1];
  return `${topicName(topic)} (${other})`;
}

/** Pad to a display width (CJK characters are two columns). */
export function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** The topics block under `dbd --help` and `dbd help`. */
export function topicsListing(): string {
  const zhWidth = Math.max(...HELP_TOPICS.map((topic) => stringWidth(topic.names[0])));
  const enWidth = Math.max(...HELP_TOPICS.map((topic) => topic.names[1].length));
  const lines = HELP_TOPICS.map(
    (topic) => `  ${padDisplay(topic.names[0], zhWidth)}  ${padDisplay(topic.names[1], enWidth)}  ${t(`helptopics.${topic.key}Summary`)}`,
  );
  return `\n${t('helptopics.listTitle')}\n${lines.join('\n')}\n\n${t('helptopics.listFooter')}\n`;
}

// Characters that may not begin a line in Chinese typesetting (they stay with the text before)
// and opening brackets, which may not end one (they go on with the text after).
const NO_LINE_START = /^[，。、；：？！）》」』】〕…—,.;:?!)\]]/u;
const NO_LINE_END = /[（《「『【〔(\[]$/u;

/**
 * Wrap text at `width` display columns, keeping existing line breaks: between words (at spaces)
 * and between any two wide (CJK) characters, never putting closing punctuation at the start of
 * a line. Commander's own wrapping breaks at spaces only, so a Chinese sentence never wrapped.
 */
export function wrapByWidth(text: string, width: number): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const tokens = line.match(/\s+|[^\s\u2e80-\uffef]+|[\u2e80-\uffef]/gu) ?? [];
      const out: string[] = [];
      let current = '';
      for (const token of tokens) {
        if (current !== '' && stringWidth(current + token) > width && !/^\s+$/.test(token) && !NO_LINE_START.test(token)) {
          const carried = NO_LINE_END.test(current) && current.length > 1 ? current.slice(-1) : '';
          out.push(current.slice(0, current.length - carried.length).trimEnd());
          current = carried;
        }
        if (current === '' && /^\s+$/.test(token) && out.length > 0) continue;
        current += token;
      }
      out.push(current.trimEnd());
      return out.join('\n');
    })
    .join('\n');
}

const HEADINGS: Record<string, string> = {
  'Usage:': 'help.headingUsage',
  'Options:': 'help.headingOptions',
  'Arguments:': 'help.headingArguments',
  'Commands:': 'help.headingCommands',
  'Global Options:': 'help.headingGlobalOptions',
};

function extraInfo(description: string, info: string[]): string {
  return info.length === 0 ? description : description + t('help.extraInfo', { text: info.join(t('help.infoSeparator')) });
}

/** Commander's help, in the user's language and measured by display width. */
export function helpConfiguration(): HelpConfiguration {
  return {
    styleTitle: (title: string) => (HEADINGS[title] ? t(HEADINGS[title]) : title),
    displayWidth: (text: string) => stringWidth(text),
    boxWrap: (text: string, width: number) => (width < 40 ? text : wrapByWidth(text, width)),
    optionDescription: (option: Option) => {
      const info: string[] = [];
      if (option.argChoices) info.push(t('help.choices', { values: option.argChoices.join(t('common.listSeparator')) }));
      if (option.defaultValue !== undefined && (option.required || option.optional)) {
        info.push(t('help.defaultValue', { value: option.defaultValueDescription ?? String(option.defaultValue) }));
      }
      return extraInfo(option.description, info);
    },
    argumentDescription: (argument: Argument) => {
      const info: string[] = [];
      if (argument.argChoices) info.push(t('help.choices', { values: argument.argChoices.join(t('common.listSeparator')) }));
      if (argument.defaultValue !== undefined) info.push(t('help.defaultValue', { value: argument.defaultValueDescription ?? String(argument.defaultValue) }));
      return extraInfo(argument.description, info);
    },
  } as HelpConfiguration;
}

function eachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const sub of command.commands) eachCommand(sub, visit);
}

/**
 * Register last: declares `dbd help`, then gives every command (declared by every registrar)
 * the localised help and no built-in help command of commander's.
 */
export function registerHelp(program: Command): void {
  const help = program
    .command('help')
    .description(t('help.help'))
    .argument('[names...]', t('help.helpNames'))
    .action(async (names: string[], _options: unknown, command: Command) => {
      const { run } = await import('../commands/help.js');
      run(command.parent ?? program, names, processOutput);
    });
  help.addHelpText(
    'after',
    `\n${t('common.examples')}\n${['dbd help', `dbd help ${topicName(HELP_TOPICS[0])}`, 'dbd help weekly --lang en', 'dbd help import', 'dbd help export monthly'].map((line) => `  ${line}`).join('\n')}\n`,
  );
  withCommonOptions(help);

  const version = program.options.find((option) => option.long === '--version');
  if (version) version.description = t('help.optVersion');
  program.addHelpText('after', topicsListing);
  const configuration = helpConfiguration();
  eachCommand(program, (command) => {
    command.helpCommand(false);
    command.helpOption('-h, --help', t('help.optHelp'));
    command.configureHelp(configuration);
  });
}

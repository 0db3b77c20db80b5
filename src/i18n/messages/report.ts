// Messages of reports (rate, weekly, monthly, demo): zh and en must have the same keys.
export const zh: Record<string, string> = {
  demoStart: '演示：数据库 {db}，以 {today} 为“今天”导入样例数据……',
  demoDbAt: '数据库：{db}',
  demoRateHeading: '\n== 报到率（截至 {asOf}）：低于 {pct} 的党组织标红，并注明“不得评为年度先进党组织” ==',
  demoWeeklyHeading: '\n== 上周镇街周报 {week}（{start} 至 {end}） ==',
  demoExportHeading: '\n== 月度导出 {month}（xlsx） ==',
  demoWhere: '完成。数据库：{db}\n月度导出目录：{dir}',
  demoNext: '接着可以试（样例数据以 {today} 为“今天”）：\n  npx dbd rate --below 0.9 --today {today}\n  npx dbd weekly-report --town --today {today}\n  npx dbd members --not-reported --today {today}\n  npx dbd export monthly --today {today}',
};

export const en: typeof zh = {
  demoStart: 'demo: database {db}, importing the sample data as of {today}…',
  demoDbAt: 'database: {db}',
  demoRateHeading: '\n== Check-in rates as of {asOf}: organisations below {pct} in red, marked not eligible for annual advanced rating ==',
  demoWeeklyHeading: '\n== Last week\'s town weekly report {week} ({start} to {end}) ==',
  demoExportHeading: '\n== Monthly export {month} (xlsx) ==',
  demoWhere: 'done. Database: {db}\nMonthly export: {dir}',
  demoNext: 'try next (the sample data take {today} as today):\n  npx dbd rate --below 0.9 --today {today}\n  npx dbd weekly-report --town --today {today}\n  npx dbd members --not-reported --today {today}\n  npx dbd export monthly --today {today}',
};

// Messages of reports (rate, weekly, monthly, demo): zh and en must have the same keys.
export const zh: Record<string, string> = {
  demoStart: '演示：数据库 {db}，以 {today} 为“今天”导入样例数据……',
  demoDbAt: '数据库：{db}',
};

export const en: typeof zh = {
  demoStart: 'demo: database {db}, importing the sample data as of {today}…',
  demoDbAt: 'database: {db}',
};

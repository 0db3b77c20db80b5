// Help topics (dbd help TOPIC): the clerk's routines, step by step with the exact commands.
// zh and en must have the same keys. Every line that begins with "dbd " (after indentation) is
// run against the sample data by tests/clerk/help.test.ts, so keep them runnable as written.
export const zh: Record<string, string> = {
  listTitle: '帮助主题（dbd help 主题名）：',
  listFooter: '查看某个命令的用法：dbd help 命令名（如 dbd help import），或 dbd 命令名 --help。',
  unknown: '没有名为“{name}”的命令或帮助主题',
  available: '帮助主题：{topics}；命令：{commands}。',
  unknownSubcommand: '命令 {command} 没有子命令“{name}”（可用：{names}）。',
  seeAlso: '另见：{topics}',

  firstImportSummary: '第一次把现有的名册和登记表导入 dbd',
  firstImportBody: `首次导入：第一次把现有的名册和登记表导入 dbd。只需做一次；以后同一张表再导入也不会重复记录。

1. 把表格放在同一个文件夹里，在这个文件夹里打开命令行。需要：
   社区名单、单位党组织名册、在职党员花名册（名册），以及报到登记、志愿服务记录、结对共建（登记表）。
   xlsx、csv 都可以；标题行、填报单位行、合计行、填表说明都不用删，dbd 会自动跳过。

2. 先试运行：看看会新增多少、有没有错误（什么都不写入）：
     dbd import 社区名单.csv 单位党组织名册.xlsx 在职党员花名册.xlsx --dry-run

3. 如果有错误，把错误清单存成表格，按其中的“行号、列、原因”逐条改好原表，再试运行：
     dbd import 在职党员花名册.xlsx --dry-run --errors 错误清单.xlsx
   常见错误：身份证号被 Excel 存成了数字（把该列设为“文本”后重新导出）、党组织名称写错、社区没写所属街道。

4. 没有错误后，正式导入名册（一条命令里的文件一起导入，顺序随意；有任何错误则一条也不写入）：
     dbd import 社区名单.csv 单位党组织名册.xlsx 在职党员花名册.xlsx

5. 再导入报到登记、志愿服务记录和结对共建：
     dbd import 报到登记.csv 志愿服务记录.xlsx 结对共建.xlsx

6. 核对导入的结果：
     dbd orgs
     dbd members --not-reported --town 白沙街道
     dbd rate

7. 备份一份，留作底本：
     dbd backup 备份/首次导入.sqlite

提示：数据默认存在当前文件夹的 dbd.sqlite 文件里；换别的文件用 --db 路径。
身份证号在屏幕和导出表格里默认隐去中间几位（加 --full-id 显示完整号码）。`,

  weeklySummary: '每周一出上一周（周一至周日）的镇街周报',
  weeklyBody: `每周一周报：每周一统计上一周（周一至周日）各街道、各单位的报到和志愿服务情况。

1. 导入上周新收到的报到登记、志愿服务记录和结对共建表（已导入过的记录不会重复）：
     dbd import 报到登记.csv 志愿服务记录.xlsx 结对共建.xlsx

2. 在屏幕上查看上周的镇街周报（默认就是上一个完整的周；报到率低于 90% 的单位标红）：
     dbd weekly-report --town

3. 保存这一周（上一个完整的周）的周报，并另存为表格发给各街道（每个街道一张工作表，另有一张汇总表）：
     dbd weekly-report --town --save --out 镇街周报.xlsx
   已保存过的周不会被覆盖；确实要重新保存时加 --force，旧的版本仍会保留。

4. 只看一个街道，或补出以前的某一周：
     dbd weekly-report --town 白沙街道
     dbd weekly-report --town --week 2026-W45

5. 和更早一周保存的周报比较（看每个单位比那一周增加了多少；要先有以前某周用 --save 保存的周报）：
     dbd weekly-report --town --compare

6. 做一个带图表的网页报告给领导看（可以直接打印）：
     dbd report --html 报到情况.html

口径：应报到人数、累计报到人数截至该周周日；“本周新增报到”是首次报到在本周的党员；
党员算在最近一次报到社区所在的街道（还没报到的算在居住社区所在的街道）。`,

  monthEndSummary: '月底导出本月的五个表格（文件名固定）',
  monthEndBody: `月底导出：每月底（或下月初）把本月的统计表导出成文件，上报或归档。

1. 确认本月收到的报到登记、志愿服务记录都已导入（见“dbd help 每周一周报”第 1 步）。

2. 导出本月的五个表格到 exports 文件夹：
     dbd export monthly --month 2026-11
   下月初导出上个月，可以写：dbd export monthly --month last
   得到的文件（文件名固定，便于归档）：
     2026-11_报到率.xlsx          各党组织报到率（低于 90% 的标红）
     2026-11_低于90%组织.xlsx     报到率低于 90% 的党组织
     2026-11_镇街周报.xlsx        本月每一周的镇街周报
     2026-11_志愿服务.xlsx        本月的志愿服务记录及各单位合计
     2026-11_未报到党员.xlsx      应报到而未报到的党员及联系方式

3. 如果另一个系统要 CSV 文件：
     dbd export monthly --month 2026-11 --format csv --dir 导出CSV

4. 做一个本月的网页报告（带图表，可以直接打印成 A4）：
     dbd report --html 2026-11报到情况.html --month 2026-11

5. 备份数据库：
     dbd backup 备份/2026-11.sqlite

提示：月份没有结束时，数字截至今天，并会给出提示。身份证号默认隐去中间几位（加 --full-id 显示完整号码）。`,

  annualRatingSummary: '评先前查出报到率低于 90% 的党组织',
  annualRatingBody: `年终评先：评选年度先进党组织之前，查出报到率低于 90% 的党组织——它们不得评为年度先进党组织。

1. 把截至年底的报到登记全部导入（见“dbd help 每周一周报”第 1 步）。

2. 列出截至 12 月 31 日报到率低于 90% 的党组织：
     dbd rate --below 0.9 --as-of 2026-12-31

3. 把这份名单存成表格上报（低于 90% 的行标红）：
     dbd rate --below 0.9 --as-of 2026-12-31 --out 低于90%组织.xlsx

4. 查看全部党组织的报到率，以及某个党组织还有谁没报到：
     dbd rate --as-of 2026-12-31
     dbd members --not-reported --org 内科一支部

5. 已报到的党员一年内应参加至少 2 次志愿服务；报到率表的“志愿服务不足2次人数”一列给出人数。换一个次数：
     dbd rate --as-of 2026-12-31 --min-activities 3

规则：报到率 = 已报到人数 ÷ 应报到人数，党委的数字包含其下所有党组织。
“低于 90%”按精确计算：10 人中 9 人报到为 90.00%，不算低于；19 人中 17 人为 89.47%，算低于。
报到率只截断、不四舍五入，所以低于 90% 的永远不会显示成 90.00%。
免报到、长期病休、外派、援派、驻外的党员不计入应报到；调出、退休的从变动日期起不再计入。`,
};

export const en: typeof zh = {
  listTitle: 'Help topics (dbd help TOPIC):',
  listFooter: 'Help on one command: dbd help COMMAND (e.g. dbd help import), or dbd COMMAND --help.',
  unknown: 'there is no command or help topic called "{name}"',
  available: 'Topics: {topics}; commands: {commands}.',
  unknownSubcommand: 'the command {command} has no subcommand "{name}" (available: {names}).',
  seeAlso: 'See also: {topics}',

  firstImportSummary: 'bring the rosters and registers you keep today into dbd, once',
  firstImportBody: `First import: bring the rosters and registers you keep today into dbd. You do this once;
importing the same sheet again later never records anything twice.

1. Put the spreadsheets in one folder and open the command line in that folder. You need:
   the community list, the unit/organisation roster, the member roster (the rosters), and the
   check-in register, the volunteer service records and the pairing list (the registers).
   xlsx and csv both work; leave title rows, 填报单位 lines, 合计 rows and notes in place: dbd skips them.

2. First a dry run: see what would be added and whether there are errors (nothing is written):
     dbd import 社区名单.csv 单位党组织名册.xlsx 在职党员花名册.xlsx --dry-run

3. If there are errors, save the list as a spreadsheet, fix the original sheet row by row
   (row number, column, reason), and try the dry run again:
     dbd import 在职党员花名册.xlsx --dry-run --errors 错误清单.xlsx
   Common errors: ID numbers that Excel stored as numbers (format the column as text and export
   again), a misspelt organisation name, a community given without its town.

4. When there are no errors, import the rosters for real (the files of one command go in together,
   in any order; if any row is invalid, nothing at all is written):
     dbd import 社区名单.csv 单位党组织名册.xlsx 在职党员花名册.xlsx

5. Then the check-ins, the volunteer service records and the pairings:
     dbd import 报到登记.csv 志愿服务记录.xlsx 结对共建.xlsx

6. Check what came in:
     dbd orgs
     dbd members --not-reported --town 白沙街道
     dbd rate

7. Keep a backup as your starting point:
     dbd backup 备份/首次导入.sqlite

Note: the data live in dbd.sqlite in the current folder; use --db PATH for another file.
ID numbers are shown with their middle digits hidden (--full-id shows them in full).`,

  weeklySummary: 'every Monday, last week\'s (Monday to Sunday) town report',
  weeklyBody: `Monday weekly report: every Monday, the figures of last week (Monday to Sunday) for each town and unit.

1. Import the check-ins, volunteer service records and pairings received last week
   (records already imported are not added again):
     dbd import 报到登记.csv 志愿服务记录.xlsx 结对共建.xlsx

2. Look at last week's town report on screen (by default the last complete week;
   units below 90% in red):
     dbd weekly-report --town

3. Save this week's report and write it as a spreadsheet for the towns (one sheet per town and
   a summary sheet):
     dbd weekly-report --town --save --out 镇街周报.xlsx
   A saved week is not overwritten; add --force to save it again (the old version is kept).

4. One town only, or an earlier week:
     dbd weekly-report --town 白沙街道
     dbd weekly-report --town --week 2026-W45

5. Compare with the previous saved report (what each unit gained):
     dbd weekly-report --town --compare

6. An HTML page with charts for the leaders (prints on A4):
     dbd report --html 报到情况.html

How it counts: expected and reported members as of the week's Sunday; "new this week" are members
whose first check-in falls in the week; a member counts in the town of their latest check-in
community (not yet reported: of their residence community).`,

  monthEndSummary: 'at the end of the month, the month\'s five spreadsheets (stable names)',
  monthEndBody: `Month-end export: at the end of each month (or early next month) write the month's
spreadsheets for reporting or filing.

1. Make sure the month's check-ins and volunteer service records are imported
   (see step 1 of "dbd help weekly").

2. Write the month's five spreadsheets into the exports folder:
     dbd export monthly --month 2026-11
   Early next month, the previous month is: dbd export monthly --month last
   The files (stable names, easy to file):
     2026-11_报到率.xlsx          rates of every organisation (below 90% in red)
     2026-11_低于90%组织.xlsx     organisations below 90%
     2026-11_镇街周报.xlsx        the town report of every week of the month
     2026-11_志愿服务.xlsx        the month's volunteer service and totals per unit
     2026-11_未报到党员.xlsx      members expected who have not reported, with contacts

3. If another system needs CSV files:
     dbd export monthly --month 2026-11 --format csv --dir 导出CSV

4. An HTML page of the month with charts (prints on A4):
     dbd report --html 2026-11报到情况.html --month 2026-11

5. Back up the database:
     dbd backup 备份/2026-11.sqlite

Note: while the month is not over, the figures are as of today (and dbd says so).
ID numbers are shown with their middle digits hidden (--full-id shows them in full).`,

  annualRatingSummary: 'before the annual rating, the organisations below 90%',
  annualRatingBody: `Annual rating check: before choosing the year's advanced Party organisations, find the
organisations whose check-in rate is below 90%: they cannot be rated advanced (不得评为年度先进党组织).

1. Import every check-in up to the end of the year (see step 1 of "dbd help weekly").

2. The organisations below 90% as of 31 December:
     dbd rate --below 0.9 --as-of 2026-12-31

3. Save that list as a spreadsheet to hand in (rows below 90% in red):
     dbd rate --below 0.9 --as-of 2026-12-31 --out 低于90%组织.xlsx

4. All organisations' rates, and who in one organisation has not reported yet:
     dbd rate --as-of 2026-12-31
     dbd members --not-reported --org 内科一支部

5. A reported member should take part in at least 2 volunteer activities a year; the rate table's
   shortfall column counts those who have fewer. Another minimum:
     dbd rate --as-of 2026-12-31 --min-activities 3

Rules: rate = reported ÷ expected; a 党委's figures include every organisation under it.
"Below 90%" is exact: 9 of 10 is 90.00%, not below; 17 of 19 is 89.47%, below.
Rates are truncated, never rounded, so a rate below 90% never shows as 90.00%.
Exempt members (免报到, 长期病休, 外派, 援派, 驻外) are not expected; departed ones (调出, 退休)
stop counting from the date they left.`,
};

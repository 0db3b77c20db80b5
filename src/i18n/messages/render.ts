// Messages of the render area: zh and en must have the same keys (tests/i18n.test.ts checks).
export const zh: Record<string, string> = {
  noRows: '(无数据)',
  aboutSheet: '说明',
  sheetColumn: '工作表',
  titleColumn: '内容',
  tableColumn: '表',
  unknownExtension: '不支持的输出文件类型 {ext}：{path}（请使用 .xlsx 或 .csv）',
  noExtension: '（无扩展名）',
  gbkUnencodable: '字符“{char}”（{code}）无法用 GBK 编码（第 {line} 行第 {column} 列），请改用 UTF-8（默认编码）',
};

export const en: typeof zh = {
  noRows: '(no rows)',
  aboutSheet: 'About',
  sheetColumn: 'Sheet',
  titleColumn: 'Contents',
  tableColumn: 'Table',
  unknownExtension: 'unknown output file type {ext}: {path} (use .xlsx or .csv)',
  noExtension: '(no extension)',
  gbkUnencodable: 'the character "{char}" ({code}) cannot be encoded in GBK (line {line}, column {column}); use UTF-8 (the default) instead',
};

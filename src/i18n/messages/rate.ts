// Messages of the rate area: zh and en must have the same keys (tests/i18n.test.ts checks).
export const zh: Record<string, string> = {
};

export const en: typeof zh = {
};

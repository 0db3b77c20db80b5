// The --json renderer: one document, two-space indent, trailing newline.
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** UTF-8 byte-order mark: Excel needs it to open Chinese text in a CSV correctly. */
export const BOM = "\uFEFF";

/**
 * One CSV field: quoted when needed, and a leading = + - @ (or tab/CR/LF, or the full-width ＝ ＋ － ＠
 * that spreadsheets in Chinese locales may also read as a formula) neutralised so a spreadsheet
 * doesn't run a value as a formula.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r\n＝＋－＠]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

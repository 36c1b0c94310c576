/**
 * What exported spreadsheets are made safe with — the same rules for every export:
 *
 * - `safeCell`: no cell is a formula in Excel or WPS. A cell those programs would read as one
 *   (it starts with = + - @, a tab or a return) is prefixed with U+200B ZERO WIDTH SPACE. The
 *   usual guard, a leading apostrophe, shows: `'-插头松动`. The zero-width space does not — the
 *   text reads exactly as typed — and the cell starts with a character that is not a formula's.
 * - `maskNumbers`: open data carries no phone or ID-card number a volunteer typed into free
 *   text ("联系13800138000取件"): every run of seven or more digits — mobile, landline, ID card
 *   (its final X too), with +86, spaces or dashes between — has its digits replaced by *.
 *   Shorter numbers (a room, a model, a year, 220V) stay as they are.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
export const FORMULA_GUARD = '\u200b';

export function safeCell(value: string): string {
  return FORMULA_START.test(value) ? `${FORMULA_GUARD}${value}` : value;
}

const DIGIT = '[0-9\uff10-\uff19]';
const LONG_NUMBER = new RegExp(`(?:[+＋]?(?:86|８６)[\\s-]?)?${DIGIT}(?:[\\s-]?${DIGIT}){5,}(?:[\\s-]?(?:${DIGIT}|[Xx]))`, 'g');

export function maskNumbers(text: string): string {
  return text.replace(LONG_NUMBER, (run) => run.replace(/[0-9\uff10-\uff19Xx]/g, '*'));
}

/**
 * Addresses, phones and search words — the pure rules a grid worker relies on: telling two
 * spellings of one dwelling apart from two dwellings, writing an address the same way
 * everywhere, masking a phone number in lists, and the words a household is found by.
 */

/** The address and name fields these rules read (a household's, structurally). */
interface Place {
  compound: string;
  building: string;
  unit: string;
  room: string;
}

/** Full-width digits and letters to ASCII, lower case, no spaces. */
function fold(s: string): string {
  return s
    .replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** What people write around the numbers of an address: 3栋, 3号楼, 2单元, 301室, 5号, 2-301 … */
const ADDRESS_MARKERS = /号楼|栋|幢|座|楼|单元|门|室|房|号|户|第|building|bldg|unit|room|rm|no\.?|#|[-–—_.,，、/\\|]/g;
/** Stacked compound words (东湖花园小区 → 东湖): the longer ones first, so 家属院 goes before 院. */
const COMPOUND_SUFFIX = /(家属院|小区|社区|花园|新村|公寓|苑|园|院)$/;
const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 二 → 2, 十二 → 12, 三百零一 → 301, 三零一 → 301 (read digit by digit where there is no 十/百/千). */
function chineseNumber(run: string): string {
  if (![...run].some((ch) => ch in CN_UNITS)) return [...run].map((ch) => CN_DIGITS[ch]).join('');
  let total = 0;
  let digit = 0;
  for (const ch of run) {
    if (ch in CN_UNITS) {
      total += (digit || 1) * CN_UNITS[ch]!;
      digit = 0;
    } else digit = CN_DIGITS[ch]!;
  }
  return String(total + digit);
}

/** The numbers and letters of one address field, in order: `3栋` → [3], `二单元301室` → [2, 301]. */
function addressTokens(s: string): string[] {
  return fold(s)
    .replace(/[零〇一二两三四五六七八九十百千]+/g, chineseNumber)
    .split(ADDRESS_MARKERS)
    .filter(Boolean)
    .map((t) => t.replace(/^0+(?=\d)/, ''));
}

/** "03" and "3栋" are the same building: one field as its key would read it. */
function addressPart(s: string): string {
  return addressTokens(s).join('-');
}

/** A compound's name without the words stacked after it (东湖花园小区 → 东湖); never emptied. */
export function compoundKey(compound: string): string {
  let c = fold(compound).replace(/[-–—_.,，、/()（）]/g, '');
  for (let next = c.replace(COMPOUND_SUFFIX, ''); next && next !== c; next = c.replace(COMPOUND_SUFFIX, '')) c = next;
  return c;
}

/**
 * The dwelling inside its compound, as the run of its numbers: building, unit and room read
 * in order, so `3栋 / 二单元 / 301室`, `3 / 2 / 301`, `3 / — / 2-301` and `3 / — / 2单元301` are
 * all `3-2-301`, while `3-2-302` and `3-23-01` stay apart.
 */
export function dwellingKey(a: Place): string {
  return [...addressTokens(a.building), ...addressTokens(a.unit), ...addressTokens(a.room)].join('-');
}

/**
 * One key per dwelling, whatever way the address was typed (the compound first, so lists sort
 * by it). The grid code is left out on purpose: a household entered under the wrong grid is
 * still the same household.
 */
export function addressKey(a: Place): string {
  return `${compoundKey(a.compound)}|${dwellingKey(a)}`;
}

/**
 * Two addresses of one dwelling: the same numbers, and the same compound — or no compound on
 * one of them (a grid of one compound often leaves it out).
 */
export function sameDwelling(a: Place, b: Place): boolean {
  if (dwellingKey(a) !== dwellingKey(b)) return false;
  const [ca, cb] = [compoundKey(a.compound), compoundKey(b.compound)];
  return ca === cb || ca === '' || cb === '';
}

/** The households (other than `selfId`) whose address is the same dwelling. */
export function findSameAddress<T extends Place & { id: string; deleted: boolean }>(
  draft: Place,
  candidates: readonly T[],
  selfId?: string,
): T[] {
  if (!draft.building.trim() || !draft.room.trim()) return [];
  return candidates.filter((h) => h.id !== selfId && !h.deleted && sameDwelling(draft, h));
}

/** 13812345678 → 138****5678; short numbers keep only their last two digits. Lists show this. */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, '');
  // +86 / 0086 before a mainland mobile number
  if (/^(00)?861\d{10}$/.test(digits)) digits = digits.slice(-11);
  if (digits.length === 0) return '';
  if (digits.length >= 7) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

const DISPLAY_SUFFIX = /\s*(号楼|栋|幢|座|单元|室|房|号)$/;

/** The parts of an address without the words a volunteer may have typed after a number (3栋 → 3). */
export function addressParts(h: Place): { compound: string; building: string; unit: string; room: string } {
  const bare = (s: string) => s.trim().replace(DISPLAY_SUFFIX, '') || s.trim();
  return { compound: h.compound.trim(), building: bare(h.building), unit: bare(h.unit), room: bare(h.room) };
}

/**
 * An address in words, from the catalogue's templates (`{building}栋 {unit}单元 {room}室`),
 * so that the phone, the dashboard and the spreadsheets write it the same way.
 */
export function formatAddress(h: Place, templates: { withUnit: string; noUnit: string }): string {
  const p = addressParts(h);
  const line = (p.unit ? templates.withUnit : templates.noUnit).replace(/\{(\w+)\}/g, (_, k: 'building' | 'unit' | 'room') => p[k]);
  return p.compound ? `${p.compound} ${line}` : line;
}

/** Every ending of `s` (so a prefix search over them is a substring search), longest first. */
function suffixes(s: string, min = 1, maxLength = 24): string[] {
  const t = s.slice(0, maxLength);
  const out: string[] = [];
  for (let i = 0; i <= t.length - min; i++) out.push(t.slice(i));
  return out;
}

/**
 * The words a household is found by, for a prefix index on the phone: any part of the head's
 * name, the grid code, the room and `building-unit-room`, any run of the phone's digits that
 * ends the number (people say "the one ending 5678") and the number from its start.
 */
export function householdTerms(h: Place & { headName: string; phone: string; gridCode: string }): string[] {
  const terms = new Set<string>();
  for (const s of suffixes(fold(h.headName))) terms.add(s);
  const grid = gridKey(h.gridCode);
  if (grid) terms.add(grid);
  const digits = h.phone.replace(/\D/g, '');
  if (digits) for (const s of suffixes(digits, 3)) terms.add(s);
  const b = addressPart(h.building);
  const r = addressTokens(h.room).at(-1);
  const dwelling = dwellingKey(h);
  if (r) terms.add(r);
  if (dwelling.includes('-')) terms.add(dwelling);
  if (b) terms.add(`${b}-`);
  for (const s of suffixes(fold(h.compound), 2, 12)) terms.add(s);
  return [...terms];
}

export function residentTerms(r: { name: string }): string[] {
  return suffixes(fold(r.name));
}

/** A grid code without case, spaces or hyphens: "DH-03", "dh 03" and "DH03" are one grid. */
export function gridKey(code: string): string {
  return fold(code).replace(/[-–—_.·]/g, '');
}

/**
 * What the search box's text is looked up as — the same folding as the terms: an address as
 * its run of numbers ("3-2-301", "3栋2单元301", "3/2/301" and "三栋二单元301" are one), and
 * anything else both as typed and as a grid code would be kept.
 */
export function searchKeys(query: string): string[] {
  const q = fold(query);
  if (!q) return [];
  const tokens = addressTokens(q);
  if (tokens.length >= 2 && tokens.every((t) => /^\d+[a-z]?$/.test(t))) return [tokens.join('-')];
  return [...new Set([q, gridKey(q)].filter(Boolean))];
}

/** Digits only: 138 0013 8000 and 13800138000 are the same phone (the roster's same-phone warning). */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

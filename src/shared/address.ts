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

/** What people append to a number in an address: 3栋, 3号楼, 2单元, 301室, 5号 … */
const ADDRESS_SUFFIX = /(号楼|栋|幢|座|楼|单元|门|室|房|号|building|bldg|unit|room|rm|#)$/;
const ADDRESS_PREFIX = /^(第|no\.?|#)/;

function addressPart(s: string): string {
  let p = fold(s).replace(/[-–—_.,，、]/g, '');
  for (let i = 0; i < 2; i++) p = p.replace(ADDRESS_SUFFIX, '').replace(ADDRESS_PREFIX, '');
  // "03" and "3" are the same building
  return p.replace(/^0+(?=\d)/, '');
}

/**
 * One key per dwelling, whatever way the address was typed: `3栋 / 2单元 / 301室` and
 * `3 / 2 / 301` give the same key. The grid code is left out on purpose: a household entered
 * under the wrong grid is still the same household.
 */
export function addressKey(a: Place): string {
  const compound = fold(a.compound).replace(/(小区|社区|花园|新村|苑)$/, '');
  return [compound, addressPart(a.building), addressPart(a.unit), addressPart(a.room)].join('|');
}

/** The households (other than `selfId`) whose address is the same dwelling. */
export function findSameAddress<T extends Place & { id: string; deleted: boolean }>(
  draft: Place,
  candidates: readonly T[],
  selfId?: string,
): T[] {
  if (!draft.building.trim() || !draft.room.trim()) return [];
  const key = addressKey(draft);
  return candidates.filter((h) => h.id !== selfId && !h.deleted && addressKey(h) === key);
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
  const grid = fold(h.gridCode);
  if (grid) terms.add(grid);
  const digits = h.phone.replace(/\D/g, '');
  if (digits) for (const s of suffixes(digits, 3)) terms.add(s);
  const b = addressPart(h.building);
  const u = addressPart(h.unit);
  const r = addressPart(h.room);
  if (r) terms.add(r);
  if (b && r) terms.add(u ? `${b}-${u}-${r}` : `${b}-${r}`);
  if (b) terms.add(`${b}-`);
  for (const s of suffixes(fold(h.compound), 2, 12)) terms.add(s);
  return [...terms];
}

export function residentTerms(r: { name: string }): string[] {
  return suffixes(fold(r.name));
}

/** What the search box's text is looked up as: the same folding as the terms. */
export function searchKey(query: string): string {
  const q = fold(query);
  // "3-2-301", "3栋2单元301" and "3/2/301" all mean building-unit-room
  const parts = q.split(/[-/栋幢号楼单元室]+/).filter(Boolean);
  if (parts.length >= 2 && parts.every((p) => /^\d+[a-z]?$/.test(p))) return parts.map((p) => p.replace(/^0+(?=\d)/, '')).join('-');
  return q;
}

/** The intake's category tiles: which come first (this phone's use, then the usual order) and which match what a person typed. */
import { REPAIR_CATEGORY_KEYS, type RepairCategoryKey } from '../shared/repair-impact.ts';

/** Tiles shown before "more": three rows of three at 360 px, the ninth cell being "more". */
export const FIRST_TILES = 8;

/** The categories by use on this phone, then by the default order: what the form shows first. */
export function rankCategories(use: Partial<Record<RepairCategoryKey, number>>): RepairCategoryKey[] {
  return REPAIR_CATEGORY_KEYS.map((k, i) => ({ k, i, n: use[k] ?? 0 }))
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .map((x) => x.k);
}

/** A tile matches what was typed by its name or a word people use for the thing, ignoring case and spaces. */
export function matchesCategory(query: string, words: readonly string[]): boolean {
  const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  const q = norm(query);
  if (!q) return true;
  // "电饭锅" finds 电饭煲等小厨电 by its alias; "我家电饭锅坏了" finds it too (a word inside what was typed)
  return words.map(norm).some((w) => w.includes(q) || (w.length > 1 && q.includes(w)));
}

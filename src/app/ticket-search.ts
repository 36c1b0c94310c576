/** Finding a ticket on the event board by what the resident or the paper tag says. */
import type { TicketListItem } from '../data/index.ts';

/** Number, name or phone; "17" finds B-017, "b17" too. */
export function matchesSearch(item: TicketListItem, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const tk = item.ticket;
  const number = tk.number.toLowerCase();
  const compactQ = q.replace(/[\s-]/g, '');
  if (number.includes(q) || number.replace('-', '').includes(compactQ)) return true;
  if (/^[a-z]*\d+$/.test(compactQ)) {
    const [, letters = '', digits = ''] = /^([a-z]*)(\d+)$/.exec(compactQ) ?? [];
    const [nl = '', nd = ''] = number.split('-');
    if ((!letters || nl === letters) && Number(nd) === Number(digits)) return true;
  }
  if (tk.residentName.toLowerCase().includes(q)) return true;
  const digitsQ = q.replace(/\D/g, '');
  return digitsQ.length >= 3 && tk.residentPhone.replace(/\D/g, '').includes(digitsQ);
}

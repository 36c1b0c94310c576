/**
 * An attendance's id, named by its activity and its volunteer: the same two always give the
 * same id, so two phones that check one person in offline write one row (RFC 9562 §5.5, a
 * name-based UUID, version 5: SHA-1 of a namespace and the name, through WebCrypto).
 */

/** Linli's namespace for attendance ids (a fixed random UUID). */
const NAMESPACE = '6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f';

function bytesOf(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

export async function attendanceId(eventId: string, volunteerId: string): Promise<string> {
  const name = new TextEncoder().encode(`${eventId}:${volunteerId}`);
  const input = new Uint8Array(16 + name.length);
  input.set(bytesOf(NAMESPACE));
  input.set(name, 16);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-1', input)).slice(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

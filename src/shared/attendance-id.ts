/**
 * An attendance's id, named by its activity and its volunteer: the same two always give the
 * same id, so two phones that check one person in offline write one row (RFC 9562 §5.5, a
 * name-based UUID, version 5: SHA-1 of a namespace and the name, through WebCrypto).
 */

/** Linli's namespace for attendance ids (a fixed random UUID). */
export const ATTENDANCE_NAMESPACE = '6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f';

export function bytesOf(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

/** What is hashed: the namespace's bytes, then the name (the event's id, a colon, the volunteer's). */
export function attendanceName(eventId: string, volunteerId: string): Uint8Array<ArrayBuffer> {
  const name = new TextEncoder().encode(`${eventId}:${volunteerId}`);
  const input = new Uint8Array(16 + name.length);
  input.set(bytesOf(ATTENDANCE_NAMESPACE));
  input.set(name, 16);
  return input;
}

/** A SHA-1 digest's first 16 bytes as a version-5 UUID. */
export function uuidFromSha1(digest: Uint8Array): string {
  const hash = digest.slice(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function attendanceId(eventId: string, volunteerId: string): Promise<string> {
  return uuidFromSha1(new Uint8Array(await crypto.subtle.digest('SHA-1', attendanceName(eventId, volunteerId))));
}

/**
 * The registry's whole-record test (`isWholeRecord`), which the server runs on every new row
 * instead of parsing the whole schema: its required fields are exactly those the schema
 * complains of when given the defaults alone, for every record type.
 */
import { describe, expect, it } from 'vitest';
import { isWholeRecord, RECORD_DEFAULTS, RECORD_TYPES, RECORDS } from '../../src/shared/registry.ts';

describe.each(RECORD_TYPES)('%s', (type) => {
  it('requires exactly the fields whose defaults the schema refuses', () => {
    const parsed = RECORDS[type].schema.safeParse({ ...RECORD_DEFAULTS[type] });
    const complained = parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    expect([...RECORDS[type].required].sort()).toEqual(complained.sort());
    expect(isWholeRecord(type, {})).toBe(parsed.success);
  });
});

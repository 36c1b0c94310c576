/**
 * Error codes the API answers with and the device understands. Every code has a message in
 * each catalogue under `error.<code>`, so the reason a record was refused reaches the
 * volunteer in their language.
 */
export const ERROR_CODES = [
  'bad_request',
  'validation',
  'unauthorized',
  'forbidden',
  'not_found',
  'payload_too_large',
  'unsupported_media_type',
  'clock_skew',
  'upgrade_required',
  'server_outdated',
  'unknown_type',
  'type_mismatch',
  'invalid_credentials',
  'setup_done',
  'conflict',
  'rate_limited',
  'csrf',
  'consent_required',
  'derived_mismatch',
  'immutable',
  'orphan',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(c: unknown): c is ErrorCode {
  return typeof c === 'string' && (ERROR_CODES as readonly string[]).includes(c);
}

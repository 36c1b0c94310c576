/**
 * The server's start-up settings (src/server/process-settings.ts): added when missing, and an
 * operator's own value — a flag, NODE_OPTIONS, the malloc variable or GLIBC_TUNABLES — is
 * never replaced.
 */
import { describe, expect, it } from 'vitest';
import {
  HEAP_GROWING_FLAG,
  MMAP_THRESHOLD_BYTES,
  MMAP_THRESHOLD_VAR,
  missingSettings,
  SEMI_SPACE_FLAG,
} from '../../src/server/process-settings.ts';

const linux = { platform: 'linux', env: {}, execArgv: [] as string[] };

const ALL_FLAGS = [SEMI_SPACE_FLAG, HEAP_GROWING_FLAG];

describe('missingSettings', () => {
  it('adds the semi-space and heap-growing flags and, on Linux, the malloc threshold to a bare process', () => {
    expect(missingSettings(linux)).toEqual({ flags: ALL_FLAGS, env: { [MMAP_THRESHOLD_VAR]: String(MMAP_THRESHOLD_BYTES) } });
    expect(SEMI_SPACE_FLAG).toBe('--max-semi-space-size=16');
    expect(HEAP_GROWING_FLAG).toBe('--heap-growing-percent=30');
    expect(MMAP_THRESHOLD_BYTES).toBe(65536);
  });

  it('asks for nothing once the process has them all (no restart loop)', () => {
    const restarted = missingSettings({ platform: 'linux', env: { [MMAP_THRESHOLD_VAR]: '65536' }, execArgv: ALL_FLAGS });
    expect(restarted).toBeNull();
  });

  it("keeps the operator's own semi-space size, given as a flag in either spelling or in NODE_OPTIONS", () => {
    for (const p of [
      { ...linux, execArgv: ['--max-semi-space-size=4'] },
      { ...linux, execArgv: ['--max_semi_space_size=32'] },
      { ...linux, env: { NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=8' } },
    ]) {
      expect(missingSettings(p)?.flags).toEqual([HEAP_GROWING_FLAG]);
    }
    // a flag that only starts alike is not the setting
    expect(missingSettings({ ...linux, execArgv: ['--max-semi-space-size-x=1'] })?.flags).toEqual(ALL_FLAGS);
  });

  it("keeps the operator's own heap growing percent, in either spelling, and asks only for what else is missing", () => {
    for (const execArgv of [['--heap-growing-percent=50'], ['--heap_growing_percent=10']]) {
      expect(missingSettings({ ...linux, execArgv })?.flags).toEqual([SEMI_SPACE_FLAG]);
    }
    expect(missingSettings({ ...linux, execArgv: ['--heap-growing-percent-x=1'] })?.flags).toEqual(ALL_FLAGS);
  });

  it("keeps the operator's own malloc threshold, from the variable or GLIBC_TUNABLES", () => {
    for (const env of [
      { [MMAP_THRESHOLD_VAR]: '131072' },
      { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=262144' },
    ]) {
      expect(missingSettings({ ...linux, env })).toEqual({ flags: ALL_FLAGS, env: {} });
    }
    // another tunable alone does not set the threshold
    expect(missingSettings({ ...linux, env: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' } })?.env).toEqual({
      [MMAP_THRESHOLD_VAR]: '65536',
    });
  });

  it('sets no glibc variable where glibc is not the C library (macOS, Windows)', () => {
    for (const platform of ['darwin', 'win32']) {
      expect(missingSettings({ platform, env: {}, execArgv: [] })).toEqual({ flags: ALL_FLAGS, env: {} });
      expect(missingSettings({ platform, env: {}, execArgv: ALL_FLAGS })).toBeNull();
    }
  });
});

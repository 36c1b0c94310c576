/**
 * The settings the server process needs that Node and the C library read only as a process
 * starts, so that memory stays flat under a district's load (issue 7, BENCHMARKS.md):
 *
 * - `--max-semi-space-size=16`: under load V8 grows its young generation to 2 × 64 MB; the
 *   cap takes ~140 MB off a busy process at no measurable cost in throughput.
 * - `--heap-growing-percent=30`: after each full collection V8 lets the old generation grow
 *   to up to 4 × what survived before collecting again, and the process keeps the pages it
 *   grew into. Under a long crush of pushes SQLite's process stepped up for 600k mutations
 *   and held at ~400 MB (peaks 466); with a fixed factor of 1.3 it holds ~295 MB (peaks
 *   ≤ 321) from the third 100k on, PostgreSQL's ~225 MB instead of ~320. The price is more
 *   full collections: ~10 % more CPU on SQLite, ~30 % on a PostgreSQL process — paid
 *   because a district's server must run for months in a fixed memory budget, and cheaper
 *   to buy back (another process) than memory whose level the heaviest burst so far sets.
 * - `MALLOC_MMAP_THRESHOLD_=65536` (glibc): pull pages (~0.2 MB) and SQLite's result buffers
 *   are large, short-lived and of every size. glibc's default threshold rises to the size of
 *   the largest block freed, after which such blocks are carved from its main heap, whose
 *   holes it never gives back: the heap climbed 30 → 160 MB over five rounds of load. A
 *   fixed threshold keeps every block of 64 KB or more in its own mapping, returned to the
 *   system when freed; the heap then stays ~60 MB.
 *
 * They are where an operator reads them: the `serve` and `start` scripts of package.json,
 * the example systemd unit (deploy/linli.service) and the Dockerfile — a unit test holds all
 * four to `SETTINGS`. A process started any other way runs without them and says so in one
 * line (`missingSettingsWarning`); a value the operator set (a flag, NODE_OPTIONS, the
 * variable, or GLIBC_TUNABLES) is theirs.
 */

export const SEMI_SPACE_FLAG = '--max-semi-space-size=16';
export const HEAP_GROWING_FLAG = '--heap-growing-percent=30';
/** Each flag with the name an operator's own value of it goes by (either spelling). */
const FLAGS: [flag: string, own: RegExp][] = [
  [SEMI_SPACE_FLAG, /^--max[-_]semi[-_]space[-_]size(=|$)/],
  [HEAP_GROWING_FLAG, /^--heap[-_]growing[-_]percent(=|$)/],
];
export const MMAP_THRESHOLD_VAR = 'MALLOC_MMAP_THRESHOLD_';
export const MMAP_THRESHOLD_BYTES = 64 * 1024;

/** The settings as a command line carries them: Node flags and environment variables. */
export const SETTINGS = {
  flags: [SEMI_SPACE_FLAG, HEAP_GROWING_FLAG],
  env: { [MMAP_THRESHOLD_VAR]: String(MMAP_THRESHOLD_BYTES) },
} as const;

export interface ProcessView {
  platform: string;
  env: Record<string, string | undefined>;
  execArgv: readonly string[];
}

export interface MissingSettings {
  /** Node flags to add in front of the process's own. */
  flags: string[];
  /** Environment variables to add. */
  env: Record<string, string>;
}

/** What the process lacks of the settings above; `null` when it has them all (or its own). */
export function missingSettings(p: ProcessView): MissingSettings | null {
  const out: MissingSettings = { flags: [], env: {} };
  const nodeOptions = (p.env.NODE_OPTIONS ?? '').split(/\s+/);
  for (const [flag, own] of FLAGS) {
    if (![...p.execArgv, ...nodeOptions].some((a) => own.test(a))) out.flags.push(flag);
  }
  // glibc only; musl and other systems ignore the variable, so there is nothing to set
  const hasThreshold = p.env[MMAP_THRESHOLD_VAR] !== undefined || /glibc\.malloc\.mmap_threshold=/.test(p.env.GLIBC_TUNABLES ?? '');
  if (p.platform === 'linux' && !hasThreshold) out.env[MMAP_THRESHOLD_VAR] = String(MMAP_THRESHOLD_BYTES);
  return out.flags.length || Object.keys(out.env).length ? out : null;
}

/** The one line a server started without its settings says, or null when it has them. */
export function missingSettingsWarning(missing: MissingSettings | null): string | null {
  if (!missing) return null;
  const what = [...missing.flags, ...Object.entries(missing.env).map(([k, v]) => `${k}=${v}`)].join(' ');
  return `Linli: running without its memory settings (${what}) — start it with \`npm run serve\`, deploy/linli.service or the Dockerfile (README, "Deploying"); memory may grow under load.`;
}

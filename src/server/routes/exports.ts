/**
 * The coordinator's exports for a date range: repairs as Open Repair Data (no personal data)
 * and as the full spreadsheet, and the household register, visits, needs and health checks
 * (personal and health data). Coordinators and admins only, the team in scope, and every
 * export written to the audit log — who, when, which range, how many rows.
 */
import { Hono } from 'hono';
import { localDay } from '../../shared/due.ts';
import type { AppEnv, RouteDeps } from '../app-env.ts';
import { healthExport, householdsExport, needsExport, visitsExport } from '../care-report.ts';
import { fullRepairExport, ordsExport, type ReportOptions } from '../repair-report.ts';
import { hoursExport } from '../hours-report.ts';
import { Budget } from '../budget.ts';
import { madeInFull, type CsvResult } from '../csv.ts';
import { reportScope, type ReportScope } from '../scope.ts';

interface ExportFile {
  /** The audit log's name for it. */
  action: string;
  filename(s: ReportScope): string;
  make(s: ReportScope): Promise<CsvResult>;
}

/**
 * Exports made at once; the rest wait their turn. Each export reads and formats a whole
 * register a chunk at a time, so with one at a time a phone's sync or `/api/health` waits
 * at most one chunk; ten coordinators exporting at once held the server's memory near a
 * gigabyte and its answers for seconds (BENCHMARKS.md, exports). The turn ends when the file
 * is made, not when the client has it (`madeInFull`).
 */
export const EXPORTS_AT_ONCE = 1;

export function exportRoutes({ db, settings, now, auth }: RouteDeps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  const opts: ReportOptions = { country: settings.exportCountry, dataProvider: settings.exportDataProvider, timeZone: settings.timeZone };
  const zone = settings.timeZone;
  const turns = new Budget(EXPORTS_AT_ONCE);
  const files: Record<string, ExportFile> = {
    'repairs.ords.csv': {
      action: 'export.repairs.ords',
      filename: (s) => `repairs-ords-${s.from}-${s.to}.csv`,
      make: (s) => ordsExport(db, s.teamId, s.teamName, s.from, s.to, opts),
    },
    'repairs.csv': {
      action: 'export.repairs',
      filename: (s) => `repairs-${s.from}-${s.to}.csv`,
      make: (s) => fullRepairExport(db, s.teamId, s.from, s.to, opts),
    },
    'households.csv': {
      action: 'export.households',
      // the register as it stands now, whatever range was asked for
      filename: () => `households-${localDay(now(), zone)}.csv`,
      make: (s) => householdsExport(db, s.teamId, zone, now()),
    },
    'visits.csv': {
      action: 'export.visits',
      filename: (s) => `visits-${s.from}-${s.to}.csv`,
      make: (s) => visitsExport(db, s.teamId, s.from, s.to, zone),
    },
    'needs.csv': {
      action: 'export.needs',
      filename: (s) => `needs-${s.from}-${s.to}.csv`,
      make: (s) => needsExport(db, s.teamId, s.from, s.to, zone, now()),
    },
    'hours.csv': {
      action: 'export.hours',
      filename: (s) => `volunteer-hours-${s.from}-${s.to}.csv`,
      make: (s) => hoursExport(db, s.teamId, s.teamName, s.from, s.to, zone),
    },
    'health.csv': {
      action: 'export.health',
      filename: (s) => `health-${s.from}-${s.to}.csv`,
      make: (s) => healthExport(db, s.teamId, s.from, s.to, zone),
    },
  };
  for (const [name, file] of Object.entries(files)) {
    r.get(`/export/${name}`, auth, async (c) => {
      const scope = await reportScope(c, db);
      const release = await turns.acquire(1);
      let made: CsvResult;
      let body: ReadableStream<Uint8Array>;
      try {
        made = await file.make(scope);
        body = await madeInFull(made.body);
      } finally {
        release();
      }
      await db
        .insertInto('audit')
        .values({
          at: now(),
          user_id: c.get('actor').userId,
          team_id: scope.teamId,
          action: file.action,
          detail: JSON.stringify({ from: scope.from, to: scope.to, rows: made.rows }),
        })
        .execute();
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${file.filename(scope)}"`);
      return c.body(body);
    });
  }
  return r;
}

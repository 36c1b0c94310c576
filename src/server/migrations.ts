/**
 * Schema migrations, in code so that they ship with the server and run the same on SQLite
 * and PostgreSQL. Append only: a migration that has run is never edited.
 */
import { dialectOf, type Db } from './db.ts';
import { rebuildFacts } from './facts.ts';
import { Migrator, sql, type ColumnDefinitionBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_foundation': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('team')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('region', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('app_user')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('team.id'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('session')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
        .addColumn('device_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('session_user').on('session').column('user_id').execute();
      await db.schema
        .createTable('device')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('team.id'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('letter', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('app_version', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('last_sync_at', 'bigint')
        .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('device_team_letter', ['team_id', 'letter'])
        .execute();
      await db.schema
        .createTable('team_seq')
        .addColumn('team_id', 'text', (c) => c.primaryKey().references('team.id'))
        .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('record')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.notNull().references('team.id'))
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('clocks', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // The pull: a team's changes after a cursor, in sequence order.
      await db.schema.createIndex('record_team_seq').on('record').columns(['team_id', 'seq']).unique().execute();
      await db.schema
        .createTable('applied_mutation')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('row_id', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit')
        .addColumn('id', 'integer', (c) =>
          dialectOf(db) === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('team_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_login_failures': {
    async up(db: Kysely<unknown>) {
      // Failed sign-ins, in the database so that every server process sees them.
      await db.schema
        .createTable('login_failure')
        .addColumn('id', 'integer', (c) =>
          dialectOf(db) === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_failure_username').on('login_failure').columns(['username', 'at']).execute();
      await db.schema.createIndex('login_failure_ip').on('login_failure').columns(['ip', 'at']).execute();
    },
  },
  '0003_record_type_index': {
    async up(db: Kysely<unknown>) {
      // Reports read one team's records of one type (the dashboard, exports).
      await db.schema.createIndex('record_team_type').on('record').columns(['team_id', 'type']).execute();
    },
  },
  '0004_report_tables': {
    async up(db: Kysely<unknown>) {
      // Typed, indexed copies of the fields the coordinator's reports aggregate, written in
      // the push transaction with the record itself (facts.ts); derived data, rebuilt from
      // `record` by `npm run linli -- rebuild-reports`.
      const bool = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
      await db.schema
        .createTable('household_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('registered_ms', 'bigint')
        .addColumn('interval_days', 'integer', (c) => c.notNull())
        .addColumn('follow_up_on', 'text')
        .addColumn('deleted', 'integer', bool)
        .execute();
      await db.schema.createIndex('household_fact_team').on('household_fact').columns(['team_id']).execute();
      await db.schema
        .createTable('visit_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('hazard', 'integer', bool)
        .addColumn('deleted', 'integer', bool)
        .execute();
      await db.schema.createIndex('visit_fact_team_at').on('visit_fact').columns(['team_id', 'at_ms']).execute();
      await db.schema.createIndex('visit_fact_household').on('visit_fact').columns(['team_id', 'household_id', 'at_ms']).execute();
      await db.schema
        .createTable('need_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('health_check_id', 'text')
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('urgency', 'text', (c) => c.notNull())
        .addColumn('route', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('resolved_ms', 'bigint')
        .addColumn('evaluation', 'text')
        .addColumn('deleted', 'integer', bool)
        .execute();
      await db.schema.createIndex('need_fact_team_created').on('need_fact').columns(['team_id', 'created_ms']).execute();
      await db.schema.createIndex('need_fact_team_status').on('need_fact').columns(['team_id', 'status']).execute();
      await db.schema.createIndex('need_fact_check').on('need_fact').columns(['health_check_id']).execute();
      await db.schema
        .createTable('health_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('resident_id', 'text', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('deleted', 'integer', bool)
        .execute();
      await db.schema.createIndex('health_fact_team_at').on('health_fact').columns(['team_id', 'at_ms']).execute();
    },
  },
  '0005_repair_report_tables': {
    async up(db: Kysely<unknown>) {
      // Repair tickets and events as typed report rows too (facts.ts); filled from the
      // records right after this migration runs (prepareDatabase).
      const bool = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
      await db.schema
        .createTable('event_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('day_num', 'integer')
        .addColumn('deleted', 'integer', bool)
        .execute();
      await db.schema
        .createTable('ticket_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text')
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('factor_set', 'text', (c) => c.notNull())
        .addColumn('fee_fen', 'bigint', (c) => c.notNull())
        .addColumn('subsidy_fen', 'bigint', (c) => c.notNull())
        .addColumn('weight_kg', 'double precision')
        .addColumn('deleted', 'integer', bool)
        .execute();
      await db.schema.createIndex('ticket_fact_team').on('ticket_fact').columns(['team_id', 'event_id']).execute();
      await db.schema.createIndex('event_fact_team').on('event_fact').columns(['team_id', 'day_num']).execute();
    },
  },
  '0006_authority': {
    async up(db: Kysely<unknown>) {
      // Sign-in attempts counted atomically, per account, address and known phone (login-throttle.ts).
      await db.schema
        .createTable('login_attempt')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .execute();
      // Setup happens once: the second of two at the same moment collides on this row's key.
      await db.schema
        .createTable('setup_claim')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into setup_claim (id, at) select 1, 0 where exists (select 1 from app_user)`.execute(db);
      await db.schema
        .createTable('refused_row')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('threshold_set')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('vals', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('threshold_set_pk', ['team_id', 'version'])
        .execute();
      // the sets the teams have now (their earlier ones were never kept)
      const rows = await sql<{
        team_id: string;
        fields: string;
        updated_at: number;
      }>`select team_id, fields, updated_at from record where type = 'healthThresholds'`.execute(db);
      for (const r of rows.rows) {
        const f = JSON.parse(r.fields) as { values?: unknown; version?: string };
        if (!f.values || !f.version) continue;
        await sql`insert into threshold_set (team_id, version, vals, first_seen) values (${r.team_id}, ${f.version}, ${JSON.stringify(f.values)}, ${Number(r.updated_at)})`.execute(
          db,
        );
      }
      // who handed each change in (the session's account): records are theirs, whoever's phone made them
      await db.schema.alterTable('applied_mutation').addColumn('user_id', 'text').execute();
    },
  },
  '0007_field_fit': {
    async up(db: Kysely<unknown>) {
      // which records a phone still held at its last push, for the hand-in check to list
      await db.schema
        .alterTable('device')
        .addColumn('held', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      // one dwelling registered twice, merged: the report rows of the one go to the other (facts.ts)
      await db.schema
        .createTable('household_merge')
        .addColumn('from_id', 'text', (c) => c.primaryKey())
        .addColumn('into_id', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('household_merge_team').on('household_merge').columns(['team_id']).execute();
    },
  },
  '0008_service_ledger': {
    async up(db: Kysely<unknown>) {
      // confirmed hours and redemptions as typed rows (facts.ts): a volunteer's balance and a
      // certificate's total are sums over an index, not over a team's JSON
      const bool = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
      await db.schema
        .createTable('service_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('volunteer_id', 'text', (c) => c.notNull())
        .addColumn('attendance_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('hours', 'double precision', (c) => c.notNull())
        .addColumn('points', 'integer', (c) => c.notNull())
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .addColumn('deleted', 'integer', bool)
        .execute();
      await db.schema.createIndex('service_fact_volunteer').on('service_fact').columns(['team_id', 'volunteer_id']).execute();
      await db.schema.createIndex('service_fact_date').on('service_fact').columns(['team_id', 'date']).execute();
      await db.schema
        .createTable('redemption_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('volunteer_id', 'text', (c) => c.notNull())
        .addColumn('points', 'integer', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('deleted', 'integer', bool)
        .execute();
      // a certificate by its serial, for the public verification page: one index look-up
      await db.schema
        .createTable('certificate_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('serial', 'text', (c) => c.notNull())
        .addColumn('deleted', 'integer', bool)
        .execute();
      await db.schema.createIndex('certificate_fact_serial').on('certificate_fact').columns(['serial']).execute();
      await db.schema.createIndex('redemption_fact_volunteer').on('redemption_fact').columns(['team_id', 'volunteer_id']).execute();
    },
  },
  '0009_resident_requests': {
    async up(db: Kysely<unknown>) {
      // residents' requests (issue 22): their report rows, the teams' public pages by code,
      // the status links' hashes and the public page's limits
      const bool = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
      await db.schema
        .createTable('request_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('need_id', 'text')
        .addColumn('deleted', 'integer', bool)
        .execute();
      await db.schema.createIndex('request_fact_team').on('request_fact').columns(['team_id', 'created_ms']).execute();
      await db.schema
        .createTable('ask_page_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('open', 'integer', bool)
        .addColumn('deleted', 'integer', bool)
        .execute();
      await db.schema.createIndex('ask_page_fact_code').on('ask_page_fact').columns(['code']).execute();
      await db.schema
        .createTable('request_token')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('row_id', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('ask_limit')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();
    },
  },
  '0010_need_history': {
    async up(db: Kysely<unknown>) {
      // needs' steps (issue 24): a past period's "still open" is the status each need had then;
      // and the safety items of each visit
      await db.schema
        .createTable('need_log_fact')
        .addColumn('row_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('need_id', 'text', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('need_log_fact_need').on('need_log_fact').columns(['need_id', 'at_ms']).execute();
      await db.schema.createIndex('need_log_fact_team').on('need_log_fact').columns(['team_id', 'at_ms']).execute();
      // hazards found and removed (a later visit finding the item fine), per safety item
      await db.schema
        .alterTable('visit_fact')
        .addColumn('problems', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('visit_fact')
        .addColumn('checked_ok', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    },
  },
  '0011_pull_echo': {
    async up(db: Kysely<unknown>) {
      // which phone a row's state came from exactly as sent (issue 23): its pull gets a stub
      await db.schema.alterTable('record').addColumn('echo_device', 'text').execute();
      await db.schema.createIndex('record_echo').on('record').columns(['team_id', 'echo_device', 'seq']).execute();
    },
  },
};

class CodeMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations);
  }
}

/** With LINLI_PG_SCHEMA, the schema must exist before the first migration can run in it. */
export async function prepareDatabase(db: Db, pgSchema: string | undefined): Promise<string[]> {
  if (pgSchema && dialectOf(db) === 'postgres') await sql`create schema if not exists ${sql.id(pgSchema)}`.execute(db);
  const ran = await migrateToLatest(db, pgSchema && dialectOf(db) === 'postgres' ? pgSchema : undefined);
  // a migration that adds report tables fills them from the records already held
  if (ran.some((m) => REPORT_MIGRATIONS.has(m))) await rebuildFacts(db);
  return ran;
}

const REPORT_MIGRATIONS = new Set([
  '0004_report_tables',
  '0005_repair_report_tables',
  '0008_service_ledger',
  '0009_resident_requests',
  '0010_need_history',
]);

/**
 * `pgSchema` scopes Kysely's own bookkeeping tables: without it, the migrator's look-up finds
 * them in any schema of the database (another app's, say) and skips creating ours.
 */
export async function migrateToLatest(db: Db, pgSchema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new CodeMigrationProvider(), ...(pgSchema ? { migrationTableSchema: pgSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export { sql };

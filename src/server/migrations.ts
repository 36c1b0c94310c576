/**
 * Schema migrations, in code so that they ship with the server and run the same on SQLite
 * and PostgreSQL. Append only: a migration that has run is never edited.
 */
import { dialectOf, type Db } from './db.ts';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

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
};

class CodeMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations);
  }
}

/** With LINLI_PG_SCHEMA, the schema must exist before the first migration can run in it. */
export async function prepareDatabase(db: Db, pgSchema: string | undefined): Promise<string[]> {
  if (pgSchema && dialectOf(db) === 'postgres') {
    await sql`create schema if not exists ${sql.id(pgSchema)}`.execute(db);
    return migrateToLatest(db, pgSchema);
  }
  return migrateToLatest(db);
}

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

/** Linli's server: migrations, then the app and the API on one port, until SIGTERM or SIGINT. */
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db.ts';
import { prepareDatabase } from './migrations.ts';
import { listen } from './listen.ts';

const config = loadConfig();
const db = openDatabase(config);
const ran = await prepareDatabase(db, config.pgSchema);
if (ran.length) console.log(`migrations applied: ${ran.join(', ')}`);
const app = createApp({ db, config });
const listening = await listen(app.fetch, config.port, config.host);
console.log(`Linli on http://localhost:${listening.port} (${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`})`);
const anyone = await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
console.log(
  anyone
    ? `Open http://localhost:${listening.port} in a browser and sign in.`
    : `The database is empty: open http://localhost:${listening.port} in a browser — the first visit creates the first team and its coordinator.`,
);

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  void listening
    .close()
    .then(() => db.destroy())
    .then(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

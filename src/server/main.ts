/** Starts Linli's server: migrations, then the app and the API on one port. */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db.ts';
import { prepareDatabase } from './migrations.ts';

const config = loadConfig();
const db = openDatabase(config);
const ran = await prepareDatabase(db, config.pgSchema);
if (ran.length) console.log(`migrations applied: ${ran.join(', ')}`);
const app = createApp({ db, config });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  console.log(`Linli on http://localhost:${info.port} (${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`})`);
});

// Longer than a reverse proxy's idle timeout, so the proxy (or a phone) never sends on a
// connection the server is closing at that moment.
if ('keepAliveTimeout' in server) {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  server.close(() => {
    void db.destroy().then(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

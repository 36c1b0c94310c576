/**
 * Starts Linli's server (`npm run serve`): first the process's own settings
 * (restart-with-settings.ts), which may restart it in place, and only then the server itself,
 * so that a restart does not load the server's modules twice.
 */
import './restart-with-settings.ts';

await import('./serve.ts');

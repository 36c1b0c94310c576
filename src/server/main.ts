/**
 * Starts Linli's server (`npm run serve`): says so in one line when the process lacks the
 * memory settings the scripts, the systemd unit and the Dockerfile start it with
 * (process-settings.ts), then the server itself.
 */
import { missingSettings, missingSettingsWarning } from './process-settings.ts';

const warning = missingSettingsWarning(missingSettings(process));
if (warning) console.warn(warning);

await import('./serve.ts');

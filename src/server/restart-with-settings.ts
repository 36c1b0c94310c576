/**
 * Imported first by main.ts: when the process lacks the settings of process-settings.ts,
 * it is restarted in place with them before anything else loads — `process.execve` keeps
 * the PID, so a systemd unit, a container or a supervisor still sees one process and its
 * signals reach the server. Without execve (Windows, Node < 22.15) the server runs as it is.
 */
import { missingSettings } from './process-settings.ts';

const RESTARTED = 'LINLI_SETTINGS_RESTARTED';
const missing = process.env[RESTARTED] ? null : missingSettings(process);
if (missing && typeof process.execve === 'function') {
  process.execve(process.execPath, [process.execPath, ...missing.flags, ...process.execArgv, ...process.argv.slice(1)], {
    ...process.env,
    ...missing.env,
    [RESTARTED]: '1',
  });
}

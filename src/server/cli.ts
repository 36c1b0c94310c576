/**
 * Linli's admin command line, for scripted set-up (`npm run linli -- …`):
 *   team add <name> [--region <region>]
 *   team list
 *   user add --team <name> --username <u> --role volunteer|coordinator|admin [--name <n>] [--password-stdin]
 *   migrate
 *   rebuild-reports
 * Passwords come from standard input (--password-stdin) or a prompt — never from arguments,
 * which other users of the machine can read.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { openDatabase, type Db } from './db.ts';
import { rebuildFacts } from './facts.ts';
import { prepareDatabase } from './migrations.ts';
import { createTeam, createUser, findTeamByName, ROLES, UserError, type Role } from './users.ts';

const USAGE = `usage:
  npm run linli -- team add <name> [--region <region>]
  npm run linli -- team list
  npm run linli -- user add --team <name> --username <u> --role volunteer|coordinator|admin [--name <display name>] [--password-stdin]
  npm run linli -- migrate
  npm run linli -- rebuild-reports`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function prompt(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Hide what is typed: echo nothing but the question.
  const out = rl as unknown as { _writeToOutput?: (s: string) => void };
  out._writeToOutput = (s: string) => {
    if (s.includes(question)) process.stderr.write(question);
  };
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

async function password(fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdin();
  if (!process.stdin.isTTY) throw new UserError('validation', 'no terminal to prompt on: use --password-stdin');
  const first = await prompt('Password: ');
  const again = await prompt('Password again: ');
  if (first !== again) throw new UserError('validation', 'the passwords differ');
  return first;
}

async function run(db: Db, argv: string[], pgSchema: string | undefined): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      team: { type: 'string' },
      username: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      region: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  const [noun, verb, ...rest] = positionals;
  await prepareDatabase(db, pgSchema);
  if (noun === 'migrate') return 'migrations are up to date';
  if (noun === 'rebuild-reports') return `report tables rebuilt from ${await rebuildFacts(db)} records`;
  if (noun === 'team' && verb === 'add') {
    const name = rest.join(' ').trim();
    if (!name) throw new UserError('validation', 'team add needs a name');
    const team = await createTeam(db, name, values.region ?? '');
    return `team "${team.name}" added (${team.id})`;
  }
  if (noun === 'team' && verb === 'list') {
    const teams = await db.selectFrom('team').select(['id', 'name', 'region']).orderBy('name').execute();
    return teams.map((t) => `${t.name}\t${t.region}\t${t.id}`).join('\n') || '(no teams)';
  }
  if (noun === 'user' && verb === 'add') {
    if (!values.team || !values.username || !values.role) throw new UserError('validation', 'user add needs --team, --username and --role');
    if (!(ROLES as readonly string[]).includes(values.role)) throw new UserError('validation', `--role must be one of ${ROLES.join(', ')}`);
    const team = await findTeamByName(db, values.team);
    if (!team) throw new UserError('not_found', `no team "${values.team}" (add it with: team add <name>)`);
    const pw = await password(values['password-stdin'] ?? false);
    const user = await createUser(db, {
      teamId: team.id,
      username: values.username,
      name: values.name ?? values.username,
      role: values.role as Role,
      password: pw,
    });
    return `user "${values.username}" (${values.role}) added to "${team.name}" (${user.id})`;
  }
  throw new UserError('validation', USAGE);
}

const config = loadConfig();
const db = openDatabase(config);
try {
  console.log(await run(db, process.argv.slice(2), config.pgSchema));
  process.exitCode = 0;
} catch (e) {
  console.error(e instanceof UserError ? `linli: ${e.message}` : e);
  process.exitCode = e instanceof UserError ? 2 : 1;
} finally {
  await db.destroy();
}

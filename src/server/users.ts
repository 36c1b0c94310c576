/**
 * Teams and users: creation with validation, shared by the setup page and the admin command
 * line. Nothing here knows about HTTP.
 */
import * as z from 'zod/mini';
import { requiredText, storable, text } from '../shared/schema-kit.ts';
import { uuidv7 } from 'uuidv7';
import type { Db } from './db.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password.ts';

export { ROLES, type Role } from '../shared/roles.ts';
import type { Role } from '../shared/roles.ts';

export const usernameSchema = z.string().check(z.trim(), z.regex(/^[\p{L}\p{N}_.@-]{2,40}$/u, 'v.invalid'));
export const passwordSchema = z.string().check(z.minLength(MIN_PASSWORD_LENGTH, 'v.tooShort'), z.maxLength(200, 'v.tooLong'));
export const teamNameSchema = requiredText(60);
/** A person's name as the team sees it; like all stored text, no NUL or lone surrogate (schema-kit). */
export const personNameSchema = requiredText(60);
export const regionSchema = text(100);

export class UserError extends Error {
  readonly code: 'conflict' | 'not_found' | 'validation';
  constructor(code: UserError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export async function createTeam(db: Db, name: string, region = '', now = Date.now()): Promise<{ id: string; name: string }> {
  const id = uuidv7();
  const existing = await db.selectFrom('team').select('id').where('name', '=', name).executeTakeFirst();
  if (existing) throw new UserError('conflict', `team "${name}" already exists`);
  await db.insertInto('team').values({ id, name, region, created_at: now }).execute();
  await db.insertInto('team_seq').values({ team_id: id, seq: 0 }).execute();
  return { id, name };
}

export interface NewUser {
  teamId: string;
  username: string;
  name: string;
  role: Role;
  password: string;
}

export async function createUser(db: Db, u: NewUser, now = Date.now()): Promise<{ id: string }> {
  const username = usernameSchema.safeParse(u.username);
  if (!username.success) throw new UserError('validation', 'username: 2–40 letters, digits, _ . @ -');
  if (!passwordSchema.safeParse(u.password).success) {
    throw new UserError('validation', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (!storable(u.name)) throw new UserError('validation', 'name: a character that cannot be stored');
  const taken = await db.selectFrom('app_user').select('id').where('username', '=', username.data).executeTakeFirst();
  if (taken) throw new UserError('conflict', `username "${username.data}" is taken`);
  const id = uuidv7();
  await db
    .insertInto('app_user')
    .values({
      id,
      team_id: u.teamId,
      username: username.data,
      name: u.name.trim() || username.data,
      role: u.role,
      password_hash: await hashPassword(u.password),
      active: 1,
      created_at: now,
    })
    .execute();
  return { id };
}

export async function findTeamByName(db: Db, name: string) {
  return db.selectFrom('team').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Claims the one setup there is, inside its transaction; a second (at any moment) fails with setup_done. */
export async function claimSetup(db: Db, now: number): Promise<void> {
  try {
    await db.insertInto('setup_claim').values({ id: 1, at: now }).execute();
  } catch {
    throw new SetupDone();
  }
}

export class SetupDone extends Error {
  constructor() {
    super('setup is done');
  }
}

export async function hasAnyUser(db: Db): Promise<boolean> {
  return (await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/**
 * `sightline sign-user <id>`: prints the user hash a product's backend puts beside a user id (the hex
 * HMAC-SHA256 of the id with IDENTITY_SECRET), or with `--token` a signed token with an expiry. For
 * trying things by hand and for scripts; a backend signs in its own code (docs/security.md has the
 * three-line snippets).
 */
import { resolve } from 'node:path';
import { signUserId, signUserToken } from '@sightline/bridge';
import { readEnvFile } from '@sightline/bridge/internal';
import { MIN_SECRET_BITS, secretBits } from '@sightline/protocol/internal';
import { readCommandLine } from './command-line.ts';

/** One-line summary for `sightline --help`. */
export const summary = 'print the user hash (or a signed token) for a user id, signed with IDENTITY_SECRET';

const DEFAULT_TTL_S = 3600;
const MAX_TTL_S = 366 * 24 * 3600;

const HELP = `usage: sightline sign-user <user-id> [--secret <s>] [--token [--ttl <s>]] [--dotenv .env]

Prints the user hash for <user-id>: the hex HMAC-SHA256 of the id with IDENTITY_SECRET. The page passes
it with the id (rasa-webchat customData: { userId, userHash }; /reply ?user_hash=), and the bridge gives
activity only to ids whose hash verifies.

options:
  --secret <s>      the identity secret (default: IDENTITY_SECRET from the environment, else from .env;
                    of a comma-separated list, the first one signs)
  --token           print a signed token (HS256 JWT, sub = the id, exp) instead of the hash
  --ttl <s>         the token's lifetime in seconds (default ${DEFAULT_TTL_S})
  --dotenv <path>   read IDENTITY_SECRET from this file instead of ./.env
  -h, --help        show this help
`;

/** Where output goes, which environment is read and what time it is (injectable for tests). */
export interface SignUserIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Milliseconds since the epoch, for a token's `exp`. */
  now: () => number;
}

const defaultIo = (): SignUserIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  now: () => Date.now(),
});

/** The first secret of a comma-separated list, as the bridge reads IDENTITY_SECRET. */
function firstSecret(list: string | undefined): string | undefined {
  return list?.split(',').map((secret) => secret.trim()).find((secret) => secret !== '');
}

/** Where the secret comes from: the flag, else the environment, else the `.env` file. */
function findSecret(flag: string | undefined, env: NodeJS.ProcessEnv, envPath: string): { secret?: string; source: string } {
  if (flag !== undefined) return { ...optional(firstSecret(flag)), source: '--secret' };
  const fromEnv = firstSecret(env['IDENTITY_SECRET']);
  if (fromEnv !== undefined) return { secret: fromEnv, source: 'IDENTITY_SECRET' };
  return { ...optional(firstSecret(readEnvFile(envPath)['IDENTITY_SECRET'])), source: `IDENTITY_SECRET in ${envPath}` };
}

function optional(secret: string | undefined): { secret?: string } {
  return secret === undefined ? {} : { secret };
}

/** Prints the hash or token; resolves to 0, or 2 on a usage error or a missing or short secret. */
export async function run(args: string[], io: SignUserIo = defaultIo()): Promise<number> {
  const line = readCommandLine(args, {
    secret: { type: 'string' },
    token: { type: 'boolean' },
    ttl: { type: 'string' },
    dotenv: { type: 'string' },
  }, { name: 'sightline sign-user', help: HELP, io });
  if ('exitCode' in line) return line.exitCode;
  const { values, positionals } = line;
  if (positionals.length !== 1 || positionals[0] === '') {
    io.stderr(`sightline sign-user: give exactly one user id, e.g. 'sightline sign-user user-42'\n\n${HELP}`);
    return 2;
  }
  const userId = positionals[0]!;
  if (values.ttl !== undefined && !values.token) {
    io.stderr('sightline sign-user: --ttl applies to --token only\n');
    return 2;
  }
  const ttlS = values.ttl === undefined ? DEFAULT_TTL_S : Number(values.ttl);
  if (!/^\d+$/.test(values.ttl ?? '1') || ttlS < 1 || ttlS > MAX_TTL_S) {
    io.stderr(`sightline sign-user: --ttl '${values.ttl}' is not a whole number of seconds from 1 to ${MAX_TTL_S}\n`);
    return 2;
  }
  const envPath = resolve(values.dotenv ?? '.env');
  let found;
  try {
    found = findSecret(values.secret, io.env, envPath);
  } catch (error) {
    io.stderr(`sightline sign-user: cannot read ${envPath}: ${(error as Error).message}\n`);
    return 2;
  }
  if (found.secret === undefined) {
    io.stderr("sightline sign-user: no identity secret; pass --secret or set IDENTITY_SECRET (in the environment or .env; 'sightline onboard' generates one)\n");
    return 2;
  }
  if (secretBits(found.secret) < MIN_SECRET_BITS) {
    // The bridge refuses such a secret at start, so a hash made with it would never verify.
    io.stderr(`sightline sign-user: the secret from ${found.source} is too short (under ${MIN_SECRET_BITS} bits); use at least 32 hex or 22 base64url characters, e.g. from 'openssl rand -base64 32'\n`);
    return 2;
  }
  io.stdout(`${values.token ? await signUserToken(found.secret, userId, ttlS, io.now()) : signUserId(found.secret, userId)}\n`);
  return 0;
}

/** The admin token that guards product registration: given, or generated once and kept in the data dir. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createError } from '../errors.ts';
import { writeFileAtomic } from './product-store.ts';
import { mintAdminToken, type RandomSource } from './secrets.ts';

/** Where the admin token came from: the caller, the data dir, or minted now (and saved). */
export type AdminTokenSource = 'option' | 'data-dir' | 'generated';

/**
 * Resolves the admin token: `given` when non-blank, else `<dataDir>/admin-token`, else a new one saved there
 * (mode 0600).
 */
export async function resolveAdminToken(
  dataDir: string,
  given?: string,
  random?: RandomSource,
): Promise<{ token: string; source: AdminTokenSource }> {
  if (given !== undefined && given.trim() !== '') return { token: given.trim(), source: 'option' };
  const path = join(dataDir, 'admin-token');
  try {
    const stored = (await readFile(path, 'utf8')).trim();
    if (stored !== '') return { token: stored, source: 'data-dir' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw createError('SL_DATA_DIR_INVALID', { path, reason: (error as Error).message }, { cause: error });
    }
  }
  const token = mintAdminToken(random);
  await writeFileAtomic(path, `${token}\n`);
  return { token, source: 'generated' };
}

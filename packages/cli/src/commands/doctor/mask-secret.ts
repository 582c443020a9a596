/** Keeps secrets out of doctor's output: masks them, scrubs them from text, and hides passwords in URLs. */

/** Shows the shape of a secret without the secret: a short one is all stars, a long one keeps 3 + 4 characters. */
export function maskSecret(secret: string): string {
  return secret.length < 16 ? '****' : `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}

/** Values of variables whose names say they are secrets, longest first (so a key containing another is masked whole). */
export function secretsOf(env: Record<string, string | undefined>): string[] {
  const values = Object.entries(env)
    .filter(([name, value]) => /(KEY|TOKEN|SECRET|PASSWORD)$/i.test(name) && value !== undefined && value.trim().length >= 4)
    .map(([, value]) => value!.trim());
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

export function scrub(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join(maskSecret(secret));
  return result;
}

export function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

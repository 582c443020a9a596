/** A Redis URL as it may be shown: never with its password. */

/**
 * The URL with its credentials removed: user and password become `***`, and a query string (which may carry
 * `password=`) is dropped. Anything that does not parse as a URL is shown as `redis://<unparsable>`.
 *
 * @example
 * redactRedisUrl('rediss://app:s3cret@cache.example.com:6380/2'); // 'rediss://***@cache.example.com:6380/2'
 */
export function redactRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'redis://<unparsable>';
  }
  const hasCredentials = parsed.username !== '' || parsed.password !== '';
  const path = parsed.pathname === '/' ? '' : parsed.pathname;
  return `${parsed.protocol}//${hasCredentials ? '***@' : ''}${parsed.host}${path}`;
}

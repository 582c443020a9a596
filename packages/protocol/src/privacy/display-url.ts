/**
 * A URL as a person may see it in a log line, an error message or `sightline doctor`'s output: scheme, host, port and
 * path only. User name and password are never shown, nor the query and fragment, which may carry a credential
 * (`?token=…`, a signed link). A bare origin shows without its trailing `/`. Text that is not a URL is given back as it is.
 *
 * @example displayUrl('https://user:pw@api.example.com/v1?key=abc') // 'https://api.example.com/v1'
 */
export function displayUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return String(url);
  }
  const origin = `${parsed.protocol}//${parsed.host}`;
  return parsed.pathname === '/' ? origin : `${origin}${parsed.pathname}`;
}

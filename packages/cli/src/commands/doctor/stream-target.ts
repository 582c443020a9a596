/** Where the connector lives and which product a stream URL names (`<base>/stream/<product>`). */
export function streamTarget(streamUrl: URL): { base: string; productId: string | null } {
  const match = /^(.*)\/stream\/([^/]+)\/?$/.exec(streamUrl.pathname);
  if (!match) return { base: streamUrl.origin, productId: null };
  let productId: string;
  try {
    productId = decodeURIComponent(match[2]!);
  } catch {
    productId = match[2]!;
  }
  return { base: `${streamUrl.origin}${match[1]}`, productId };
}

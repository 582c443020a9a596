/**
 * The client address of a connection behind a known number of proxies: each trusted hop appends the address it saw to
 * `X-Forwarded-For`, so with `hops` proxies the client is the `hops`-th address from the right; anything further left
 * was written by the client and proves nothing. With 0 hops the header is ignored (docs/limits.md).
 */

/**
 * @example
 * clientAddress('10.0.0.2', '203.0.113.9, 198.51.100.1', 1); // '198.51.100.1'
 * clientAddress('10.0.0.2', '203.0.113.9', 0); // '10.0.0.2'
 */
export function clientAddress(remoteAddress: string, forwardedFor: string | string[] | undefined, hops: number): string {
  if (hops <= 0 || forwardedFor === undefined) return remoteAddress;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const chain = header.split(',').map((part) => part.trim()).filter((part) => part !== '');
  // chain[length - 1] was written by the nearest proxy (hop 1), chain[length - hops] by the farthest trusted one.
  return chain[chain.length - hops] ?? chain[0] ?? remoteAddress;
}

/**
 * Whether a client address is one the internet routes to a browser. Loopback, private (RFC 1918), carrier-grade NAT,
 * link-local and unique-local addresses are what a connector sees when a proxy in front of it is not trusted
 * (`--trust-proxy-hops`), or on an intranet: every request then shares the proxy's address, which says nothing about who
 * sent it, so rules that count distinct addresses (the UI map's cap per address) must not use it.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
NOT_PUBLIC.addAddress('::', 'ipv6');
NOT_PUBLIC.addAddress('::1', 'ipv6');
NOT_PUBLIC.addSubnet('fc00::', 7, 'ipv6');
NOT_PUBLIC.addSubnet('fe80::', 10, 'ipv6');

/**
 * True for a globally routable IPv4 or IPv6 address (an IPv4-mapped IPv6 address is judged as IPv4).
 *
 * @example
 * isPublicAddress('203.0.113.9'); // true
 * isPublicAddress('::ffff:10.1.2.3'); // false
 */
export function isPublicAddress(address: string): boolean {
  const mapped = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (isIPv4(mapped)) return !NOT_PUBLIC.check(mapped, 'ipv4');
  if (isIPv6(mapped)) return !NOT_PUBLIC.check(mapped, 'ipv6');
  return false;
}

import { isIP } from 'node:net';

/**
 * Whether a TCP peer address is this machine (127.0.0.0/8, ::1, or IPv4 loopback mapped into
 * IPv6). Read from the socket, never from X-Forwarded-For, which any client can write.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(v4) === 4) return v4.split('.')[0] === '127';
  return address === '::1';
}

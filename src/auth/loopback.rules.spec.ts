import { isLoopbackAddress } from './loopback.rules';

describe('isLoopbackAddress', () => {
  it('knows this machine in IPv4, IPv6 and IPv4-mapped IPv6', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(address)).toBe(true);
    }
  });

  it('treats every other address, and none, as another machine', () => {
    for (const address of ['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', 'fd00::2', '0.0.0.0', '', undefined]) {
      expect(isLoopbackAddress(address)).toBe(false);
    }
    expect(isLoopbackAddress('128.0.0.1')).toBe(false);
  });
});

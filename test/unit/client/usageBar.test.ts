import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compactCount, poolDescription, usageBar, usageCounts, usagePercent } from '../../../client/src/trees/usageBar';

describe('usageBar', () => {
  test('renders filled cells rounded up and the percentage rounded down', () => {
    assert.equal(usageBar('62', '100'), '▰▰▰▰▱ 62%');
    assert.equal(usageBar('0', '254'), '▱▱▱▱▱ 0%');
    assert.equal(usageBar('254', '254'), '▰▰▰▰▰ 100%');
  });

  test('shows one filled cell as soon as one address is used', () => {
    assert.equal(usageBar('1', '65536'), '▰▱▱▱▱ 0%');
  });

  test('handles IPv6 counts beyond 2^53 exactly', () => {
    const total = (2n ** 64n).toString();
    const used = (2n ** 63n).toString();
    assert.equal(usagePercent(used, total), 50);
    assert.equal(usageBar(used, total, 4), '▰▰▱▱ 50%');
  });

  test('treats empty or malformed pools as 0%', () => {
    assert.equal(usagePercent('3', '0'), 0);
    assert.equal(usagePercent('x', '10'), 0);
  });

  test('caps at 100% when used exceeds total (over-allocated pool)', () => {
    assert.equal(usagePercent('12', '10'), 100);
  });

  test('the pool description fits the default sidebar: bar and free count only, huge counts compact', () => {
    assert.equal(poolDescription('11', '48', '37'), '▰▰▱▱▱ 37 free');
    assert.equal(poolDescription('1', (2n ** 64n).toString(), (2n ** 64n - 1n).toString()), '▰▱▱▱▱ 1.8e19 free');
    assert.equal(compactCount('254000'), '254,000');
    assert.ok(poolDescription('12345', '65534', '53189').length <= 20);
  });

  test('usageCounts groups thousands', () => {
    assert.equal(usageCounts('1234', '65534', '64300'), '1,234/65,534 (64,300 free)');
    assert.equal(usageCounts('2', '254', '252'), '2/254 (252 free)');
  });
});

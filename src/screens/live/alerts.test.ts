import { describe, expect, it } from 'vitest';
import { AlertThrottle } from './alerts';

describe('AlertThrottle', () => {
  it('lets one alert through per interval', () => {
    const t = new AlertThrottle(3000);
    expect(t.allow(0)).toBe(true);
    expect(t.allow(1000)).toBe(false);
    expect(t.allow(2999)).toBe(false);
    expect(t.allow(3000)).toBe(true);
    expect(t.allow(3500)).toBe(false);
  });
});

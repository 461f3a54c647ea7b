import { describe, expect, it } from 'vitest';
import {
  ACCURATE_MAX_MS_PER_FACE,
  decideAfterProbe,
  FIRST_RUN_MAX_MS,
  isModelChoice,
  median,
  planModel,
  probeDone,
} from './modelChoice';

describe('planModel', () => {
  it('loads the tier chosen in settings, with or without WebGPU', () => {
    expect(planModel('accurate', 'no WebGPU adapter')).toEqual({
      kind: 'load',
      tier: 'accurate',
      reason: 'chosen in settings',
    });
    expect(planModel('fast', null)).toEqual({ kind: 'load', tier: 'fast', reason: 'chosen in settings' });
  });

  it('in auto, takes the fast tier without WebGPU and says why', () => {
    expect(planModel('auto', 'this browser has no WebGPU')).toEqual({
      kind: 'load',
      tier: 'fast',
      reason: 'auto: this browser has no WebGPU',
    });
  });

  it('in auto with a WebGPU adapter, times the accurate model first', () => {
    expect(planModel('auto', null)).toEqual({ kind: 'probe-accurate' });
  });
});

describe('decideAfterProbe', () => {
  it('keeps the accurate model when its median run is within the limit', () => {
    const d = decideAfterProbe([ACCURATE_MAX_MS_PER_FACE + 100, 12, ACCURATE_MAX_MS_PER_FACE]);
    expect(d.tier).toBe('accurate');
    expect(d.reason).toBe(`auto: accurate model at ${ACCURATE_MAX_MS_PER_FACE} ms per face on WebGPU`);
  });

  it('falls back to the fast tier when the median is over the limit, even if one run was quick', () => {
    const d = decideAfterProbe([5, ACCURATE_MAX_MS_PER_FACE + 1, 300]);
    expect(d.tier).toBe('fast');
    expect(d.reason).toMatch(/too slow \(51 ms per face on WebGPU, limit 50\)/);
  });

  it('takes the fast tier when nothing was measured', () => {
    expect(decideAfterProbe([]).tier).toBe('fast');
    expect(decideAfterProbe([NaN]).tier).toBe('fast');
  });
});

describe('probeDone', () => {
  const slow = ACCURATE_MAX_MS_PER_FACE + 1;
  it('stops at once when the first run (shader compilation included) is far too slow', () => {
    expect(probeDone(FIRST_RUN_MAX_MS + 1, [])).toBe(true);
    expect(decideAfterProbe([], FIRST_RUN_MAX_MS + 1000)).toEqual({
      tier: 'fast',
      reason: 'auto: accurate model too slow (first WebGPU run 6 s, limit 5 s)',
    });
    expect(decideAfterProbe([10, 10, 10], FIRST_RUN_MAX_MS + 1).tier).toBe('fast');
  });

  it('stops as soon as the median is settled either way, else after 3 runs', () => {
    expect(probeDone(1000, [])).toBe(false);
    expect(probeDone(1000, [slow])).toBe(false);
    expect(probeDone(1000, [slow, 10])).toBe(false);
    expect(probeDone(1000, [slow, slow])).toBe(true);
    expect(probeDone(1000, [10, 10])).toBe(true);
    expect(probeDone(1000, [slow, 10, slow + 100])).toBe(true);
  });
});

describe('helpers', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('recognises the settings values only', () => {
    expect(['auto', 'accurate', 'fast', 'vgg', null].map(isModelChoice)).toEqual([true, true, true, false, false]);
  });
});

import { describe, expect, it } from 'vitest';
import { hashOf, needsModels, screenOf, SCREENS } from './route';

describe('route', () => {
  it('reads every screen back from its own fragment', () => {
    for (const { id } of SCREENS) expect(screenOf(hashOf(id))).toBe(id);
  });

  it('takes #history, #/history and any case; Live for none, an unknown or an empty fragment', () => {
    expect(screenOf('#history')).toBe('history');
    expect(screenOf('#/Settings')).toBe('settings');
    expect(screenOf('')).toBe('live');
    expect(screenOf('#')).toBe('live');
    expect(screenOf('#nothing-here')).toBe('live');
    expect(screenOf('#constructor')).toBe('live');
  });

  it('loads the models for Live and Photos only', () => {
    expect(SCREENS.filter((s) => needsModels(s.id)).map((s) => s.id)).toEqual(['live', 'photo']);
  });
});

import { describe, expect, it } from 'vitest';
import { logEventFromTrack } from './fromTrack';

describe('logEventFromTrack', () => {
  const trackEvent = {
    trackId: 3,
    label: 'incorrect',
    confidence: 0.8,
    firstSeen: 1000,
    lastSeen: 4500,
    classifications: 7,
    reason: 'ended',
  } as const;
  const context = { camera: 'Door', modelId: 'm', modelVersion: '2' };

  it('maps a tracker event to a log record', () => {
    expect(logEventFromTrack(trackEvent, context)).toEqual({
      time: 4500,
      firstSeen: 1000,
      lastSeen: 4500,
      durationMs: 3500,
      label: 'incorrect',
      confidence: 0.8,
      camera: 'Door',
      modelId: 'm',
      modelVersion: '2',
    });
  });

  it('keeps a thumbnail only when given', () => {
    const thumbnail = new Blob(['x'], { type: 'image/jpeg' });
    expect(logEventFromTrack(trackEvent, { ...context, thumbnail }).thumbnail).toBe(thumbnail);
    expect('thumbnail' in logEventFromTrack(trackEvent, context)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../tests/helpers/testLog';
import type { LogEvent } from '../log/types';
import { fromDoc, toDoc } from './docs';

const jpeg = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
const event: LogEvent = {
  id: 7,
  uid: 'dev1dev1dev1:1000:abcdef',
  entrance: '',
  ...makeEvent(2500, 'incorrect'),
  thumbnail: jpeg,
};

describe('event documents', () => {
  it('carry the uid as _id and the entrance, and a thumbnail only when the sync switch allows it', () => {
    const off = toDoc(event, 'dev1', 'North', false);
    expect(off).toMatchObject({
      _id: 'dev1dev1dev1:1000:abcdef',
      device: 'dev1',
      entrance: 'North',
      label: 'incorrect',
    });
    expect(off).not.toHaveProperty('_attachments');
    expect(JSON.stringify(off)).not.toMatch(/thumbnail|"id"|"uid"/);
    expect(toDoc(event, 'dev1', 'North', true)._attachments?.['thumbnail.jpg']?.data).toBe(jpeg);
  });

  it('read back into log events; malformed or foreign documents are refused', () => {
    const doc = { ...toDoc(event, 'dev1', 'North', true) } as unknown as Record<string, unknown>;
    const { thumbnail: _, id: __, ...rest } = event;
    expect(fromDoc(doc, false)).toEqual({ ...rest, entrance: 'North' });
    expect(fromDoc(doc, true)?.thumbnail).toBe(jpeg);
    expect(fromDoc({ ...doc, entrance: '' }, false)?.entrance).toBe('dev1');
    expect(fromDoc({ ...doc, label: 'maybe' }, false)).toBeNull();
    expect(fromDoc({ ...doc, time: '1' }, false)).toBeNull();
    expect(fromDoc({ ...doc, type: 'other' }, false)).toBeNull();
    expect(fromDoc({ ...doc, camera: 'x'.repeat(201) }, false)).toBeNull();
    // The _id must be a uid as the log makes it (so every event in a log can be exported and imported again).
    expect(fromDoc({ ...doc, _id: 'dev1:1000:abc' }, false)).toBeNull();
    expect(fromDoc({ ...doc, _id: 'x'.repeat(12) }, false)).toBeNull();
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLASS_COLOUR, CLASS_NAMES, CLASS_SHORT, CLASS_TEXT, isMaskClass } from './classes';

describe('class vocabulary', () => {
  it('keeps the class order of the model', () => {
    expect(CLASS_NAMES).toEqual(['correct', 'incorrect', 'none']);
    const sidecar = JSON.parse(readFileSync('models/mask_vgg16_224.int8.json', 'utf8')) as { classes: unknown };
    expect(sidecar.classes).toEqual([...CLASS_NAMES]);
  });

  it('names and colours every class', () => {
    for (const c of CLASS_NAMES) {
      expect(CLASS_TEXT[c]).toBeTruthy();
      expect(CLASS_SHORT[c]).toBeTruthy();
      expect(CLASS_COLOUR[c]).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(isMaskClass('none')).toBe(true);
    expect(isMaskClass('maybe')).toBe(false);
  });

  it('uses the same colours as the stylesheet’s --correct / --incorrect / --none', () => {
    const css = readFileSync('src/styles.css', 'utf8');
    for (const c of CLASS_NAMES) {
      const declared = new RegExp(`--${c}:\\s*(#[0-9a-fA-F]{6})\\s*;`).exec(css);
      expect(declared?.[1]?.toLowerCase(), `--${c} in src/styles.css`).toBe(CLASS_COLOUR[c]);
    }
  });
});

import type { Rect } from '../../classify/crop';
import type { MaskClass } from '../../classify/protocol';

/** A face as the screens show it: box in source-image pixels, and its class once known. */
export interface ShownFace {
  key: string;
  box: Rect;
  label: MaskClass | null;
  score: number;
}

import type { Box } from '../geometry/box';
import type { MaskClass } from '../classify/classes';

/** A face as the screens show it: box in source-image pixels, and its class once known. */
export interface ShownFace {
  key: string;
  box: Box;
  label: MaskClass | null;
  score: number;
}

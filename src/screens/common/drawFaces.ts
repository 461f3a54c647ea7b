// Draws face boxes with their number, label and confidence onto a canvas; `scale` maps source pixels to canvas
// pixels. The number is the face's place in the list beside the picture ("Face 2: …"), so the two can be matched.
import { CLASS_COLOUR, CLASS_SHORT } from '../../classify/classes';
import type { ShownFace } from '../../pipeline/shownFace';
import { placeLabels } from './labelPlacement';

const PENDING_COLOUR = '#9aa4b2';

export function drawFaces(
  ctx: CanvasRenderingContext2D,
  faces: ShownFace[],
  scale: number,
  offsetX = 0,
  offsetY = 0,
): void {
  const line = Math.max(2, Math.round(2 * scale * (ctx.canvas.width > 1200 ? 1.5 : 1)));
  const font = Math.max(12, Math.round(14 * Math.max(1, ctx.canvas.width / 800)));
  ctx.font = `600 ${font}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  const boxes = faces.map((f) => ({
    x: offsetX + f.box.x * scale,
    y: offsetY + f.box.y * scale,
    w: f.box.w * scale,
    h: f.box.h * scale,
  }));
  const colour = (f: ShownFace) => (f.label ? CLASS_COLOUR[f.label] : PENDING_COLOUR);
  const texts = faces.map(
    (f, i) => `${i + 1} ${f.label ? `${CLASS_SHORT[f.label]} ${Math.round(f.score * 100)}%` : '…'}`,
  );
  // Every box first, then the labels over them: a label is never crossed by another face's box.
  ctx.lineWidth = line;
  faces.forEach((f, i) => {
    const b = boxes[i]!;
    ctx.strokeStyle = colour(f);
    ctx.strokeRect(b.x, b.y, b.w, b.h);
  });
  const spots = placeLabels(
    boxes.map((b) => ({ ...b, x: b.x - line / 2 })),
    texts.map((t) => ({ w: ctx.measureText(t).width + 8, h: font + 6 })),
    ctx.canvas,
  );
  faces.forEach((f, i) => {
    const s = spots[i]!;
    ctx.fillStyle = colour(f);
    ctx.fillRect(s.x, s.y, s.w, s.h);
    ctx.fillStyle = '#fff';
    ctx.fillText(texts[i]!, s.x + 4, s.y + s.h - 3);
  });
}

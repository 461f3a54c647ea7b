// Draws face boxes with label and confidence onto a canvas; `scale` maps source pixels to canvas pixels.
import { CLASS_COLOUR, CLASS_SHORT } from '../../classify/classes';
import type { ShownFace } from '../../pipeline/shownFace';

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
  for (const f of faces) {
    const x = offsetX + f.box.x * scale;
    const y = offsetY + f.box.y * scale;
    const w = f.box.w * scale;
    const h = f.box.h * scale;
    const colour = f.label ? CLASS_COLOUR[f.label] : PENDING_COLOUR;
    ctx.lineWidth = line;
    ctx.strokeStyle = colour;
    ctx.strokeRect(x, y, w, h);
    const text = f.label ? `${CLASS_SHORT[f.label]} ${Math.round(f.score * 100)}%` : '…';
    const tw = ctx.measureText(text).width + 8;
    const ty = y - font - 6 < 0 ? y + h + font + 6 : y;
    ctx.fillStyle = colour;
    ctx.fillRect(x - line / 2, ty - font - 6, tw, font + 6);
    ctx.fillStyle = '#fff';
    ctx.fillText(text, x + 4 - line / 2, ty - 3);
  }
}

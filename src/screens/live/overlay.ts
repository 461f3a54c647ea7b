// Draws the live frame's faces on the canvas laid over the video, and returns them for the face list.
import type { LiveFrame } from '../../pipeline/liveLoop';
import type { ShownFace } from '../../pipeline/shownFace';
import { drawFaces } from '../common/drawFaces';

export function drawOverlay(canvas: HTMLCanvasElement, frame: LiveFrame): ShownFace[] {
  // Only faces seen in this frame: a briefly lost track stays in the tracker, not on screen.
  const shown: ShownFace[] = frame.tracks
    .filter((t) => t.lastSeen === frame.timestamp)
    .map((t) => ({ key: `t${t.id}`, box: t.box, label: t.label, score: t.confidence }));
  const rect = canvas.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  const cw = Math.round(rect.width * dpr);
  const ch = Math.round(rect.height * dpr);
  if (canvas.width !== cw || canvas.height !== ch) {
    canvas.width = cw;
    canvas.height = ch;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return shown;
  ctx.clearRect(0, 0, cw, ch);
  // The video is letterboxed (object-fit: contain): map frame pixels onto its content box.
  const scale = Math.min(cw / frame.width, ch / frame.height);
  const ox = (cw - frame.width * scale) / 2;
  const oy = (ch - frame.height * scale) / 2;
  drawFaces(ctx, shown, scale, ox, oy);
  return shown;
}

export function clearOverlay(canvas: HTMLCanvasElement | null): void {
  canvas?.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
}

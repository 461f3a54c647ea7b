// Cuts face crops out of a frame or photo into one RGBA buffer for the worker, the way training crops
// were made (faceCropRect) and resized bilinearly to the model's input size.
import type { Box } from '../geometry/box';
import { faceCropRect } from './crop';

export type FrameSource = HTMLVideoElement | HTMLCanvasElement | HTMLImageElement | ImageBitmap;

let scratch: HTMLCanvasElement | null = null;

export function cropFaces(source: FrameSource, width: number, height: number, boxes: Box[], size: number): ArrayBuffer {
  scratch ??= document.createElement('canvas');
  scratch.width = size;
  scratch.height = size * boxes.length;
  const ctx = scratch.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas is not available');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'medium';
  boxes.forEach((box, i) => {
    const r = faceCropRect(box, width, height);
    ctx.drawImage(source, r.x, r.y, Math.max(1, r.w), Math.max(1, r.h), 0, i * size, size, size);
  });
  const data = ctx.getImageData(0, 0, size, size * boxes.length).data;
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
}

// The photo pipeline: detect every face, classify them all in batches, map boxes to photo pixels.
import type { ClassifierClient } from '../classify/classifierClient';
import { cropFaces } from '../classify/cropImage';
import { predictionAt } from '../classify/prediction';
import type { FaceFinder } from '../detect/faceDetector';
import type { ShownFace } from './shownFace';
import type { DecodedPhoto } from './decodePhoto';

const BATCH = 8;

export async function analysePhoto(
  photo: DecodedPhoto,
  finder: FaceFinder,
  classifier: ClassifierClient,
  inputSize: number,
): Promise<ShownFace[]> {
  const { canvas, scale } = photo;
  const boxes = finder.detectImage(canvas);
  const faces: ShownFace[] = [];
  for (let start = 0; start < boxes.length; start += BATCH) {
    const batch = boxes.slice(start, start + BATCH);
    const rgba = cropFaces(canvas, canvas.width, canvas.height, batch, inputSize);
    const probs = await classifier.classify(rgba, inputSize, batch.length);
    batch.forEach((b, i) => {
      const p = predictionAt(probs, i);
      faces.push({
        key: `f${start + i}`,
        box: { x: b.x / scale, y: b.y / scale, w: b.w / scale, h: b.h / scale },
        label: p.label,
        score: p.score,
      });
    });
  }
  // Reading order (top to bottom, left to right) so the list matches what the eye scans.
  return faces.sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2) || a.box.x - b.box.x);
}

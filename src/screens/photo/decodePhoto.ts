// Turns a user's file into pixels we can analyse, or a clear reason why not. Very large photos are
// scaled down for analysis; `scale` maps analysed pixels back to the photo's own pixels.

export const MAX_ANALYSIS_SIDE = 4096;
export const MAX_FILE_BYTES = 80 * 1024 * 1024;

export interface DecodedPhoto {
  canvas: HTMLCanvasElement;
  /** Size of the original photo in its own pixels. */
  width: number;
  height: number;
  /** canvas pixels per photo pixel (≤ 1). */
  scale: number;
}

export class PhotoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhotoError';
  }
}

export async function decodePhoto(file: File): Promise<DecodedPhoto> {
  if (file.size === 0) throw new PhotoError(`${file.name} is empty (0 bytes).`);
  if (file.size > MAX_FILE_BYTES) {
    throw new PhotoError(`${file.name} is too large (${Math.round(file.size / 1048576)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB).`);
  }
  if (file.type && !file.type.startsWith('image/')) {
    throw new PhotoError(`${file.name} is not an image (${file.type}). Choose a JPEG, PNG or WebP photo.`);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    const heic = /\.(heic|heif)$/i.test(file.name) || /heic|heif/i.test(file.type);
    throw new PhotoError(
      heic
        ? `${file.name} is a HEIC/HEIF photo, which this browser cannot read. Export it as JPEG and try again.`
        : `${file.name} could not be read: it is not an image, it is damaged or truncated, or its format is not supported.`,
    );
  }
  try {
    const { width, height } = bitmap;
    if (width < 2 || height < 2) throw new PhotoError(`${file.name} is only ${width}×${height} pixels: too small to contain a face.`);
    const scale = Math.min(1, MAX_ANALYSIS_SIDE / Math.max(width, height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new PhotoError('This browser could not allocate a canvas for the photo.');
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return { canvas, width, height, scale };
  } finally {
    bitmap.close();
  }
}

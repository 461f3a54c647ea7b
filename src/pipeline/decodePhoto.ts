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
  /** Something the user should know about how the photo was read (e.g. only the first frame of an animation). */
  note?: string;
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
    throw new PhotoError(
      `${file.name} is too large (${Math.round(file.size / 1048576)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB).`,
    );
  }
  if (file.type && !file.type.startsWith('image/')) {
    throw new PhotoError(`${file.name} is not an image (${file.type}). Choose a JPEG, PNG or WebP photo.`);
  }
  // The size first, from the header: a huge photo is decoded straight to the analysis size, so a
  // 12000×12000 picture never needs 576 MB of pixels at once.
  const natural = await naturalSize(file);
  const fit = natural ? Math.min(1, MAX_ANALYSIS_SIDE / Math.max(natural.width, natural.height)) : 1;
  let bitmap: ImageBitmap;
  try {
    bitmap =
      natural && fit < 1
        ? await createImageBitmap(file, {
            resizeWidth: Math.max(1, Math.round(natural.width * fit)),
            resizeHeight: Math.max(1, Math.round(natural.height * fit)),
            resizeQuality: 'high',
          })
        : await createImageBitmap(file);
  } catch {
    const heic = /\.(heic|heif)$/i.test(file.name) || /heic|heif/i.test(file.type);
    throw new PhotoError(
      heic
        ? `${file.name} is a HEIC/HEIF photo, which this browser cannot read. Export it as JPEG and try again.`
        : `${file.name} could not be read: it is not an image, it is damaged or truncated, or its format is not supported.`,
    );
  }
  try {
    const width = natural && fit < 1 ? natural.width : bitmap.width;
    const height = natural && fit < 1 ? natural.height : bitmap.height;
    if (width < 2 || height < 2)
      throw new PhotoError(`${file.name} is only ${width}×${height} pixels: too small to contain a face.`);
    const scale = Math.min(1, MAX_ANALYSIS_SIDE / Math.max(width, height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new PhotoError('This browser could not allocate a canvas for the photo.');
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const notes: string[] = [];
    if (scale < 1)
      notes.push(
        `${file.name} is ${width}×${height} pixels; it was scaled down to ${canvas.width}×${canvas.height} for the check.`,
      );
    if (await isAnimated(file)) notes.push(`${file.name} is animated: only its first frame was checked.`);
    return { canvas, width, height, scale, ...(notes.length ? { note: notes.join(' ') } : {}) };
  } finally {
    bitmap.close();
  }
}

/** The photo's size as the browser lays it out (EXIF rotation applied), read without decoding its pixels. */
function naturalSize(file: Blob): Promise<{ width: number; height: number } | null> {
  const url = URL.createObjectURL(file);
  const img = new Image();
  return new Promise<{ width: number; height: number } | null>((resolve) => {
    img.onload = () => resolve(img.naturalWidth > 0 ? { width: img.naturalWidth, height: img.naturalHeight } : null);
    img.onerror = () => resolve(null);
    img.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}

interface ImageDecoderLike {
  tracks: { ready: Promise<void>; selectedTrack: { animated: boolean; frameCount: number } | null };
  close(): void;
}
type ImageDecoderCtor = (new (init: { data: ReadableStream<Uint8Array>; type: string }) => ImageDecoderLike) & {
  isTypeSupported(type: string): Promise<boolean>;
};

/** Whether the file holds an animation (GIF, APNG, animated WebP), where the browser can tell. */
async function isAnimated(file: File): Promise<boolean> {
  const Decoder = (globalThis as { ImageDecoder?: ImageDecoderCtor }).ImageDecoder;
  if (!Decoder || !/^image\/(gif|png|apng|webp)$/.test(file.type)) return false;
  try {
    if (!(await Decoder.isTypeSupported(file.type))) return false;
    const decoder = new Decoder({ data: file.stream(), type: file.type });
    try {
      await decoder.tracks.ready;
      const track = decoder.tracks.selectedTrack;
      return !!track && (track.animated || track.frameCount > 1);
    } finally {
      decoder.close();
    }
  } catch {
    return false;
  }
}

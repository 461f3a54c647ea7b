// Fetches the classifier and its sidecar, reports download progress, and refuses a model whose bytes
// do not match the sha256 the export step recorded (a truncated or swapped file must never run).
import { validateSidecar, type ModelSidecar } from '../src/classify/protocol';

export class ModelLoadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

/** The file's name for messages: its last path segment, without the `?v=` content version. */
export const fileName = (url: string) => {
  const path = url.split(/[?#]/)[0] ?? url;
  return path.slice(path.lastIndexOf('/') + 1);
};

export async function loadSidecar(url: string): Promise<ModelSidecar> {
  const name = fileName(url);
  let res: Response;
  try {
    res = await fetch(url);
  } catch {
    throw new ModelLoadError(name, `${name} could not be downloaded (network error).`);
  }
  if (!res.ok) throw new ModelLoadError(name, `${name} could not be downloaded (HTTP ${res.status}).`);
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new ModelLoadError(name, `${name} is not valid JSON.`);
  }
  const problem = validateSidecar(json);
  if (problem) throw new ModelLoadError(name, `${name} is invalid: ${problem}.`);
  return json as ModelSidecar;
}

/**
 * Downloads the model and checks it against `expectedSha256`, which may still be on its way (the sidecar is
 * fetched beside the model, not before it).
 */
export async function loadModelBytes(
  url: string,
  expectedSha256: string | Promise<string>,
  onProgress: (loaded: number, total: number | null) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  const name = fileName(url);
  let res: Response;
  try {
    res = await fetch(url);
  } catch {
    throw new ModelLoadError(name, `${name} could not be downloaded (network error). Check the connection and retry.`);
  }
  if (!res.ok || !res.body) throw new ModelLoadError(name, `${name} could not be downloaded (HTTP ${res.status}).`);
  const lengthHeader = res.headers.get('Content-Length');
  const total = lengthHeader ? Number(lengthHeader) : null;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      onProgress(loaded, total);
    }
  } catch {
    throw new ModelLoadError(
      name,
      `${name} download was interrupted after ${loaded} bytes. Check the connection and retry.`,
    );
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  const [actual, expected] = await Promise.all([sha256Hex(bytes), expectedSha256]);
  if (actual !== expected) {
    throw new ModelLoadError(
      name,
      `${name} is damaged or not the expected model: sha256 ${actual.slice(0, 12)}… does not match ${expected.slice(0, 12)}… (${loaded} bytes).`,
    );
  }
  return bytes;
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

// What the last start found when it asked for a WebGPU adapter, kept in localStorage for the next start
// (the classifier worker starts the plain WASM runtime at once when it found none: protocol.ts lastAdapter).
import type { AdapterFound } from './protocol';

const KEY = 'maskgate.webgpuAdapter';

export function readLastAdapter(): AdapterFound | undefined {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'found' || v === 'none' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function rememberAdapter(found: AdapterFound | null): void {
  if (found === null) return;
  try {
    localStorage.setItem(KEY, found);
  } catch {
    // Storage full or blocked: the next start asks before it starts, as a first start does.
  }
}

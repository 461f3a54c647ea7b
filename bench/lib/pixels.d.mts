// Types for pixels.mjs, which the bench page's worker (type-checked with workers/tsconfig.json) imports.
export function pixels(count: number): Float32Array;

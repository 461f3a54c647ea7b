/**
 * Adds the TFLite Support metadata that MediaPipe Tasks needs to a BlazeFace
 * .tflite model (the files in @mediapipe/face_detection ship without it, and
 * the FaceDetector refuses float inputs without NormalizationOptions).
 *
 * Schemas: TFLite `tensorflow/lite/schema/schema.fbs` (file identifier "TFL3",
 * Model/SubGraph/Tensor/Buffer/Metadata tables) and TFLite Support
 * `tensorflow_lite_support/metadata/metadata_schema.fbs` v1.1.0 (file
 * identifier "M001"). Field slots below are the declaration order in those
 * schemas; no generated code is needed for the few tables touched.
 *
 * Rewrite strategy: the original bytes are kept verbatim and a new prefix is
 * put in front of them that holds a new root Model table. FlatBuffers offsets
 * are relative, so every old table stays valid when the old bytes move by a
 * multiple of their alignment; the new Model reuses the old subgraphs,
 * operator codes and buffers and only gets new `buffers`/`metadata` vectors.
 * Re-serialising the whole model would need the full schema and risks the
 * 16-byte alignment TFLite expects for weight buffers.
 */
import { Builder, ByteBuffer } from 'flatbuffers';

export interface FaceDetectorMetadataOptions {
  /** ModelMetadata.name, e.g. "BlazeFace short-range". */
  name: string;
  description?: string;
  /** Input normalisation (x - mean) / std; BlazeFace expects [-1, 1]. */
  mean?: number;
  std?: number;
}

export interface FaceDetectorMetadata {
  name: string;
  mean: number[];
  std: number[];
  colorSpace: 'UNKNOWN' | 'RGB' | 'GRAYSCALE';
  width: number;
  height: number;
}

/** Metadata for the BlazeFace files of @mediapipe/face_detection, keyed by file name. */
export const BLAZEFACE_METADATA = {
  'face_detection_short_range.tflite': {
    name: 'BlazeFace short-range',
    description: 'BlazeFace short-range (128x128, 896 anchors), faces within ~2 m of the camera.',
  },
  'face_detection_short_range_tuned.tflite': {
    name: 'BlazeFace short-range, fine-tuned',
    description:
      'BlazeFace short-range (128x128, 896 anchors) with weights fine-tuned by MaskGate on masked faces, for photos.',
  },
  'face_detection_full_range.tflite': {
    name: 'BlazeFace full-range',
    description: 'BlazeFace full-range (192x192, 2304 anchors), faces within ~5 m of the camera.',
  },
} as const satisfies Record<string, FaceDetectorMetadataOptions>;

export const METADATA_NAME = 'TFLITE_METADATA';
const TFLITE_ID = 'TFL3';
const METADATA_ID = 'M001';
/** Shift of the old bytes; a multiple of every alignment used in TFLite files. */
const ALIGN = 16;

// tflite.Model field slots.
const MODEL_VERSION = 0;
const MODEL_OPERATOR_CODES = 1;
export const MODEL_SUBGRAPHS = 2;
const MODEL_DESCRIPTION = 3;
export const MODEL_BUFFERS = 4;
const MODEL_METADATA_BUFFER = 5;
const MODEL_METADATA = 6;
const MODEL_SIGNATURE_DEFS = 7;
const MODEL_FIELD_COUNT = 8;
const MODEL_OFFSET_FIELDS = [
  MODEL_OPERATOR_CODES,
  MODEL_SUBGRAPHS,
  MODEL_DESCRIPTION,
  MODEL_METADATA_BUFFER,
  MODEL_SIGNATURE_DEFS,
];

// tflite.TensorType
const TENSOR_FLOAT32 = 0;
// tflite (metadata) unions and enums
const CONTENT_IMAGE_PROPERTIES = 2;
const PROCESS_UNIT_NORMALIZATION = 1;
const COLOR_SPACES = ['UNKNOWN', 'RGB', 'GRAYSCALE'] as const;
const COLOR_RGB = 1;

export class TfliteFormatError extends Error {
  override name = 'TfliteFormatError';
}

/** Bounds-checked table access on top of flatbuffers' ByteBuffer. */
export class Reader {
  readonly bb: ByteBuffer;
  constructor(readonly bytes: Uint8Array) {
    this.bb = new ByteBuffer(bytes);
  }
  private check(pos: number, len: number): void {
    if (!Number.isInteger(pos) || pos < 0 || pos + len > this.bytes.length) {
      throw new TfliteFormatError(`corrupt flatbuffer: offset ${pos} out of range`);
    }
  }
  u8(pos: number): number {
    this.check(pos, 1);
    return this.bb.readUint8(pos);
  }
  u32(pos: number): number {
    this.check(pos, 4);
    return this.bb.readUint32(pos);
  }
  i32(pos: number): number {
    this.check(pos, 4);
    return this.bb.readInt32(pos);
  }
  f32(pos: number): number {
    this.check(pos, 4);
    return this.bb.readFloat32(pos);
  }
  root(): number {
    return this.u32(0);
  }
  /** Absolute position of the vtable of the table at `table`. */
  vtable(table: number): number {
    const vt = table - this.i32(table);
    this.check(vt, 4);
    return vt;
  }
  fieldCount(table: number): number {
    const vt = this.vtable(table);
    return Math.max(0, (this.bb.readUint16(vt) - 4) >> 1);
  }
  /** Absolute position of a field, or 0 when absent. */
  field(table: number, slot: number): number {
    const vt = this.vtable(table);
    const vtSize = this.bb.readUint16(vt);
    const at = 4 + 2 * slot;
    if (at >= vtSize) return 0;
    this.check(vt + at, 2);
    const rel = this.bb.readUint16(vt + at);
    return rel === 0 ? 0 : table + rel;
  }
  /** Follows the uoffset stored at `pos`. */
  deref(pos: number): number {
    const target = pos + this.u32(pos);
    this.check(target, 4);
    return target;
  }
  table(table: number, slot: number): number {
    const f = this.field(table, slot);
    return f === 0 ? 0 : this.deref(f);
  }
  /** Start position and length of a vector field (absent: length 0). */
  vector(table: number, slot: number, elemSize: number): { start: number; length: number } {
    const f = this.field(table, slot);
    if (f === 0) return { start: 0, length: 0 };
    const v = this.deref(f);
    const length = this.u32(v);
    this.check(v + 4, length * elemSize);
    return { start: v + 4, length };
  }
  /** Table referenced by element `i` of a vector of tables. */
  vectorTable(vec: { start: number }, i: number): number {
    return this.deref(vec.start + 4 * i);
  }
  string(table: number, slot: number): string | null {
    const { start, length } = this.vector(table, slot, 1);
    if (start === 0) return null;
    return new TextDecoder().decode(this.bytes.subarray(start, start + length));
  }
  floats(table: number, slot: number): number[] {
    const { start, length } = this.vector(table, slot, 4);
    return Array.from({ length }, (_, i) => this.f32(start + 4 * i));
  }
  ints(table: number, slot: number): number[] {
    const { start, length } = this.vector(table, slot, 4);
    return Array.from({ length }, (_, i) => this.i32(start + 4 * i));
  }
}

export function openModel(model: Uint8Array): { r: Reader; root: number } {
  if (!(model instanceof Uint8Array) || model.length < 16) {
    throw new TfliteFormatError('not a TFLite model: input is empty or too short');
  }
  const id = String.fromCharCode(...model.subarray(4, 8));
  if (id !== TFLITE_ID) {
    throw new TfliteFormatError(`not a TFLite model: file identifier is "${id}", expected "${TFLITE_ID}"`);
  }
  const r = new Reader(model);
  const root = r.root();
  r.vtable(root);
  return { r, root };
}

interface TensorInfo {
  name: string;
  shape: number[];
  type: number;
}

function subgraphIo(r: Reader, root: number): { inputs: TensorInfo[]; outputs: TensorInfo[] } {
  const subgraphs = r.vector(root, MODEL_SUBGRAPHS, 4);
  if (subgraphs.length < 1) throw new TfliteFormatError('TFLite model has no subgraph');
  const sg = r.vectorTable(subgraphs, 0);
  const tensors = r.vector(sg, 0, 4);
  const tensor = (index: number): TensorInfo => {
    if (index < 0 || index >= tensors.length) throw new TfliteFormatError(`tensor index ${index} out of range`);
    const t = r.vectorTable(tensors, index);
    const typeField = r.field(t, 1);
    return { shape: r.ints(t, 0), type: typeField === 0 ? 0 : r.u8(typeField), name: r.string(t, 3) ?? '' };
  };
  return { inputs: r.ints(sg, 1).map(tensor), outputs: r.ints(sg, 2).map(tensor) };
}

function metadataEntries(r: Reader, root: number): { name: string | null; buffer: number }[] {
  const vec = r.vector(root, MODEL_METADATA, 4);
  return Array.from({ length: vec.length }, (_, i) => {
    const m = r.vectorTable(vec, i);
    const b = r.field(m, 1);
    return { name: r.string(m, 0), buffer: b === 0 ? 0 : r.u32(b) };
  });
}

function buildMetadata(
  opts: FaceDetectorMetadataOptions,
  io: { inputs: TensorInfo[]; outputs: TensorInfo[] },
): Uint8Array {
  const input = io.inputs[0]!;
  const [, height = 0, width = 0] = input.shape;
  const b = new Builder(1024);
  const floats = (values: number[]): number => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]!);
    return b.endVector();
  };
  const offsets = (values: number[]): number => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addOffset(values[i]!);
    return b.endVector();
  };

  // NormalizationOptions { mean, std }
  const meanValue = opts.mean ?? 127.5;
  const stdValue = opts.std ?? 127.5;
  const mean = floats([meanValue]);
  const std = floats([stdValue]);
  b.startObject(2);
  b.addFieldOffset(0, mean, 0);
  b.addFieldOffset(1, std, 0);
  const normalization = b.endObject();
  // ProcessUnit { options: NormalizationOptions }
  b.startObject(2);
  b.addFieldInt8(0, PROCESS_UNIT_NORMALIZATION, 0);
  b.addFieldOffset(1, normalization, 0);
  const processUnit = b.endObject();
  // ImageSize { width, height }
  b.startObject(2);
  b.addFieldInt32(0, width, 0);
  b.addFieldInt32(1, height, 0);
  const imageSize = b.endObject();
  // ImageProperties { color_space, default_size }
  b.startObject(2);
  b.addFieldInt8(0, COLOR_RGB, 0);
  b.addFieldOffset(1, imageSize, 0);
  const imageProperties = b.endObject();
  // Content { content_properties: ImageProperties }
  b.startObject(3);
  b.addFieldInt8(0, CONTENT_IMAGE_PROPERTIES, 0);
  b.addFieldOffset(1, imageProperties, 0);
  const content = b.endObject();
  // Stats { max, min } of the normalised input.
  const statsMax = floats([(255 - meanValue) / stdValue]);
  const statsMin = floats([(0 - meanValue) / stdValue]);
  b.startObject(2);
  b.addFieldOffset(0, statsMax, 0);
  b.addFieldOffset(1, statsMin, 0);
  const stats = b.endObject();

  const tensorMeta = (tensor: TensorInfo, withImage: boolean): number => {
    const name = b.createString(tensor.name);
    const units = withImage ? offsets([processUnit]) : 0;
    b.startObject(7);
    b.addFieldOffset(0, name, 0);
    if (withImage) {
      b.addFieldOffset(3, content, 0);
      b.addFieldOffset(4, units, 0);
      b.addFieldOffset(5, stats, 0);
    }
    return b.endObject();
  };
  const inputs = offsets([tensorMeta(input, true)]);
  const outputs = offsets(io.outputs.map((t) => tensorMeta(t, false)));
  // SubGraphMetadata { name, description, input_tensor_metadata, output_tensor_metadata }
  const sgName = b.createString(opts.name);
  b.startObject(10);
  b.addFieldOffset(0, sgName, 0);
  b.addFieldOffset(2, inputs, 0);
  b.addFieldOffset(3, outputs, 0);
  const subgraph = b.endObject();
  const subgraphs = offsets([subgraph]);
  // ModelMetadata { name, description, subgraph_metadata, license, min_parser_version }
  const name = b.createString(opts.name);
  const description = opts.description === undefined ? 0 : b.createString(opts.description);
  const license = b.createString('Apache-2.0');
  const minParser = b.createString('1.0.0');
  b.startObject(8);
  b.addFieldOffset(0, name, 0);
  if (description !== 0) b.addFieldOffset(1, description, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(5, license, 0);
  b.addFieldOffset(7, minParser, 0);
  b.finish(b.endObject(), METADATA_ID);
  return b.asUint8Array();
}

/** Little-endian writer for the prefix; `pos` is the allocation cursor, offsets always point to higher addresses. */
class PrefixWriter {
  private readonly view: DataView;
  pos = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  align(n: number): void {
    this.pos = Math.ceil(this.pos / n) * n;
  }
  u32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }
  /** Writes a uoffset at `at` that points to absolute position `target`. */
  ref(at: number, target: number): void {
    if (target <= at) throw new Error('internal: flatbuffer offsets must point forward');
    this.u32(at, target - at);
  }
  /** vtable + table with `slots` 4-byte fields; returns table and field positions. */
  table(present: boolean[]): { table: number; fields: number[] } {
    this.align(4);
    const n = present.length;
    const vtable = this.pos;
    const vtSize = 4 + 2 * n + (n % 2 === 1 ? 2 : 0);
    const count = present.filter(Boolean).length;
    const tableSize = 4 + 4 * count;
    this.view.setUint16(vtable, 4 + 2 * n, true);
    this.view.setUint16(vtable + 2, tableSize, true);
    const table = vtable + vtSize;
    const fields: number[] = [];
    let next = table + 4;
    present.forEach((p, slot) => {
      const at = p ? next : 0;
      if (p) next += 4;
      fields.push(at);
      this.view.setUint16(vtable + 4 + 2 * slot, p ? at - table : 0, true);
    });
    this.view.setInt32(table, table - vtable, true);
    this.pos = table + tableSize;
    return { table, fields };
  }
}

/**
 * Returns a copy of `model` with MediaPipe-compatible TFLite metadata for a
 * BlazeFace detector: RGB image input normalised with (x - mean) / std
 * (default 127.5 / 127.5 = range [-1, 1]). Deterministic: the same input and
 * options always give the same bytes. Throws TfliteFormatError for input that
 * is not a TFLite model, a model that already has TFLITE_METADATA, or a model
 * whose input is not a float32 [1, H, W, 3] image.
 */
export function addFaceDetectorMetadata(model: Uint8Array, opts: FaceDetectorMetadataOptions): Uint8Array {
  const { r, root } = openModel(model);
  if (r.fieldCount(root) > MODEL_FIELD_COUNT) {
    throw new TfliteFormatError('TFLite model uses Model fields newer than this tool knows');
  }
  if (metadataEntries(r, root).some((m) => m.name === METADATA_NAME)) {
    throw new TfliteFormatError(`TFLite model already has ${METADATA_NAME} metadata`);
  }
  const io = subgraphIo(r, root);
  const input = io.inputs[0];
  if (
    io.inputs.length !== 1 ||
    !input ||
    input.type !== TENSOR_FLOAT32 ||
    input.shape.length !== 4 ||
    input.shape[3] !== 3
  ) {
    throw new TfliteFormatError('expected a single float32 [1, H, W, 3] image input');
  }
  const buffers = r.vector(root, MODEL_BUFFERS, 4);
  for (let i = 0; i < buffers.length; i++) {
    // Buffer.offset (slot 1) addresses data outside the flatbuffer by absolute file position, which the shift would break.
    if (r.field(r.vectorTable(buffers, i), 1) !== 0) {
      throw new TfliteFormatError('TFLite models with external buffer data (>2 GB format) are not supported');
    }
  }
  const oldMetadata = r.vector(root, MODEL_METADATA, 4);
  const meta = buildMetadata(opts, io);
  const nameBytes = new TextEncoder().encode(METADATA_NAME);

  // Upper bound of the prefix size; the exact size is rounded to ALIGN below.
  const bound =
    64 +
    4 * MODEL_FIELD_COUNT * 2 +
    4 * (buffers.length + oldMetadata.length + 4) +
    64 +
    nameBytes.length +
    meta.length +
    2 * ALIGN;
  const w = new PrefixWriter(new Uint8Array(bound));
  w.pos = 8; // root uoffset + file identifier

  const present = Array.from(
    { length: MODEL_FIELD_COUNT },
    (_, slot) => slot === MODEL_BUFFERS || slot === MODEL_METADATA || r.field(root, slot) !== 0,
  );
  const modelTable = w.table(present);
  w.align(4);
  const buffersVec = w.pos;
  w.pos += 4 + 4 * (buffers.length + 1);
  const metadataVec = w.pos;
  w.pos += 4 + 4 * (oldMetadata.length + 1);
  const bufferTable = w.table([true]); // Buffer { data }
  const metadataTable = w.table([true, true]); // Metadata { name, buffer }
  const nameString = w.pos;
  w.pos += 4 + nameBytes.length + 1;
  // Buffer data is 16-byte aligned (schema force_align) so MediaPipe can verify the metadata in place.
  w.pos = Math.ceil((w.pos + 4) / ALIGN) * ALIGN - 4;
  const dataVec = w.pos;
  w.pos += 4 + meta.length;
  w.align(ALIGN);
  const shift = w.pos;
  const prefix = w.bytes;

  // Old positions move by `shift`; everything the new tables point to lies after them.
  const moved = (oldPos: number): number => oldPos + shift;
  w.ref(0, modelTable.table);
  prefix.set(new TextEncoder().encode(TFLITE_ID), 4);
  for (const slot of MODEL_OFFSET_FIELDS) {
    const at = modelTable.fields[slot]!;
    if (at !== 0) w.ref(at, moved(r.deref(r.field(root, slot))));
  }
  const versionAt = modelTable.fields[MODEL_VERSION]!;
  if (versionAt !== 0) w.u32(versionAt, r.u32(r.field(root, MODEL_VERSION)));
  w.ref(modelTable.fields[MODEL_BUFFERS]!, buffersVec);
  w.ref(modelTable.fields[MODEL_METADATA]!, metadataVec);

  w.u32(buffersVec, buffers.length + 1);
  for (let i = 0; i < buffers.length; i++) {
    w.ref(buffersVec + 4 + 4 * i, moved(r.vectorTable(buffers, i)));
  }
  w.ref(buffersVec + 4 + 4 * buffers.length, bufferTable.table);

  w.u32(metadataVec, oldMetadata.length + 1);
  for (let i = 0; i < oldMetadata.length; i++) {
    w.ref(metadataVec + 4 + 4 * i, moved(r.vectorTable(oldMetadata, i)));
  }
  w.ref(metadataVec + 4 + 4 * oldMetadata.length, metadataTable.table);

  w.ref(bufferTable.fields[0]!, dataVec);
  w.ref(metadataTable.fields[0]!, nameString);
  w.u32(metadataTable.fields[1]!, buffers.length);
  w.u32(nameString, nameBytes.length);
  prefix.set(nameBytes, nameString + 4);
  w.u32(dataVec, meta.length);
  prefix.set(meta, dataVec + 4);

  const out = new Uint8Array(shift + model.length);
  out.set(prefix.subarray(0, shift), 0);
  out.set(model, shift);
  return out;
}

/** Reads back the face detector metadata written by addFaceDetectorMetadata (or any M001 metadata with an image input). */
export function readFaceDetectorMetadata(model: Uint8Array): FaceDetectorMetadata {
  const { r, root } = openModel(model);
  const entry = metadataEntries(r, root).find((m) => m.name === METADATA_NAME);
  if (!entry) throw new TfliteFormatError(`TFLite model has no ${METADATA_NAME} metadata`);
  const buffers = r.vector(root, MODEL_BUFFERS, 4);
  if (entry.buffer >= buffers.length) throw new TfliteFormatError('metadata buffer index out of range');
  const data = r.vector(r.vectorTable(buffers, entry.buffer), 0, 1);
  const bytes = model.subarray(data.start, data.start + data.length);
  if (String.fromCharCode(...bytes.subarray(4, 8)) !== METADATA_ID) {
    throw new TfliteFormatError(`metadata buffer lacks file identifier "${METADATA_ID}"`);
  }
  const m = new Reader(bytes);
  const mm = m.root();
  const sg = m.vectorTable(m.vector(mm, 3, 4), 0);
  const tm = m.vectorTable(m.vector(sg, 2, 4), 0);
  const content = m.table(tm, 3);
  const props = content === 0 || m.u8(m.field(content, 0)) !== CONTENT_IMAGE_PROPERTIES ? 0 : m.table(content, 1);
  const colorField = props === 0 ? 0 : m.field(props, 0);
  const size = props === 0 ? 0 : m.table(props, 1);
  const sizeField = (slot: number): number => {
    const f = size === 0 ? 0 : m.field(size, slot);
    return f === 0 ? 0 : m.u32(f);
  };
  const units = m.vector(tm, 4, 4);
  let mean: number[] = [];
  let std: number[] = [];
  for (let i = 0; i < units.length; i++) {
    const pu = m.vectorTable(units, i);
    const typeField = m.field(pu, 0);
    if (typeField !== 0 && m.u8(typeField) === PROCESS_UNIT_NORMALIZATION) {
      const norm = m.table(pu, 1);
      mean = m.floats(norm, 0);
      std = m.floats(norm, 1);
    }
  }
  return {
    name: m.string(mm, 0) ?? '',
    mean,
    std,
    colorSpace: COLOR_SPACES[colorField === 0 ? 0 : m.u8(colorField)] ?? 'UNKNOWN',
    width: sizeField(0),
    height: sizeField(1),
  };
}

/// <reference lib="webworker" />
// The classifier worker: owns the ONNX session so inference never blocks the page. It speaks only the
// protocol in src/classify/protocol.ts.
import {
  initFromWorkerName,
  isToWorker,
  type AdapterFound,
  type ClassifyRequest,
  type FromWorker,
  type InitRequest,
  type ModelSidecar,
  type ModelTier,
} from '../src/classify/protocol';
import { decideAfterProbe, planModel, probeDone } from '../src/classify/modelChoice';
import { rgbaToNchw } from '../src/classify/preprocess';
import { fileName, loadModelBytes, loadSidecar, ModelLoadError } from './modelLoader';
import {
  configureWasm,
  createSession,
  createWasmSession,
  inputTensor,
  startWasmRuntime,
  webGpuUnavailableReason,
  type BackendSession,
} from './session';
import { errorText } from '../src/errorText';

declare const self: DedicatedWorkerGlobalScope;

const post = (msg: FromWorker, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

let current: BackendSession | null = null;
let sidecar: ModelSidecar | null = null;
let modelBytes: Uint8Array | null = null;
// Requests run one at a time: a WebGPU-to-WASM switch must not race a run on the old session.
let queue: Promise<void> = Promise.resolve();

interface Loaded {
  tier: ModelTier;
  sidecar: ModelSidecar;
  bytes: Uint8Array;
  session: BackendSession;
  /** The session has run once already (the WebGPU probe's timed runs): no warm-up needed. */
  ran?: boolean;
}

// onnxruntime's wasm, started by init beside the first model's download (startWasmRuntime).
let runtime: Promise<unknown> = Promise.resolve(null);

// Each tier's files, downloaded at most once per worker (download).
const downloads = new Map<ModelTier, Promise<{ sidecar: ModelSidecar; bytes: Uint8Array }>>();

/** One tier's sidecar and its sha256-checked model, fetched side by side (the sidecar only names the hash). */
function download(req: InitRequest, tier: ModelTier): Promise<{ sidecar: ModelSidecar; bytes: Uint8Array }> {
  let d = downloads.get(tier);
  if (!d) {
    const urls = req.models[tier];
    const meta = loadSidecar(urls.sidecarUrl);
    const sha256 = meta.then((m) => m.sha256);
    const file = fileName(urls.modelUrl);
    const bytes = loadModelBytes(urls.modelUrl, sha256, (loaded, total) =>
      post({ type: 'progress', stage: 'download', file, loaded, total }),
    );
    // A bad sidecar is the error to report, not the model's wait for its hash. The others are settled here
    // so that a failure nobody awaits (a download that failed first, a tier not used) is never "unhandled".
    d = meta.then(async (m) => ({ sidecar: m, bytes: await bytes }));
    for (const p of [sha256, bytes, d]) p.catch(() => undefined);
    downloads.set(tier, d);
  }
  return d;
}

/** Downloads (sha256-checked) one tier's model and makes its session: on WASM when `noGpu` says why. */
async function load(req: InitRequest, tier: ModelTier, noGpu: string | null, threads: number): Promise<Loaded> {
  const files = await download(req, tier);
  sidecar = files.sidecar;
  const bytes = files.bytes;
  post({ type: 'progress', stage: 'compile', file: sidecar.file, loaded: 0, total: null });
  const runtimeFailure = await runtime;
  if (runtimeFailure) throw runtimeFailure;
  return { tier, sidecar, bytes, session: await createSession(bytes, noGpu, threads) };
}

/**
 * Times the model on one blank face: one untimed run (it compiles the shaders), then up to WARMUP_RUNS
 * timed runs, stopping early once the outcome is settled (probeDone). Returns the first run's ms and the
 * timed runs' ms.
 */
/** One blank face in the model's input layout. */
function blankFeeds(l: Loaded) {
  const size = l.sidecar.input.shape[2];
  return { [l.sidecar.input.name]: inputTensor(new Float32Array(3 * size * size), 1, size) };
}

async function timeRuns(l: Loaded): Promise<{ first: number; runs: number[] }> {
  const feeds = () => blankFeeds(l);
  const t0 = performance.now();
  await l.session.session.run(feeds());
  const first = performance.now() - t0;
  l.ran = true;
  const runs: number[] = [];
  while (!probeDone(first, runs)) {
    const t = performance.now();
    await l.session.session.run(feeds());
    runs.push(performance.now() - t);
  }
  return { first, runs };
}

/**
 * One run on a blank face before the worker says it is ready: the first run of a session compiles the wasm
 * functions of its kernels on first call (V8 compiles wasm lazily) or, on WebGPU, its shaders. Paid here, while
 * the page is still loading the face detector, rather than by the first face in view.
 */
async function warmUp(l: Loaded): Promise<void> {
  if (!l.ran) await l.session.session.run(blankFeeds(l));
}

/** Auto mode with a WebGPU adapter: keeps the accurate model if WebGPU runs it fast enough. */
async function probeAccurate(req: InitRequest, threads: number): Promise<{ loaded: Loaded; reason: string }> {
  let why: string;
  try {
    const accurate = await load(req, 'accurate', null, threads);
    if (accurate.session.backend === 'webgpu') {
      const { first, runs } = await timeRuns(accurate);
      const decision = decideAfterProbe(runs, first);
      if (decision.tier === 'accurate') return { loaded: accurate, reason: decision.reason };
      why = decision.reason;
    } else {
      why = `auto: ${accurate.session.fallbackReason ?? 'the accurate model did not run on WebGPU'}`;
    }
    await accurate.session.session.release();
  } catch (e) {
    why = `auto: the accurate model could not be used (${errorText(e)})`;
  }
  return { loaded: await load(req, 'fast', null, threads), reason: why };
}

interface Runtime {
  threads: number;
  /** Why WebGPU is not used this start, or null when it is. */
  noGpu: string | null;
  adapter: AdapterFound | null;
}

/**
 * Starts onnxruntime's wasm runtime (into `runtime`) for the backend this start uses. Without WebGPU the plain
 * WASM build: half the size of the JSEP one, half the compile (src/servedFiles.ts); a WebGPU device keeps the
 * JSEP build, whose WASM provider takes over if the GPU is lost. After a start that found no adapter, the
 * plain build starts while the adapter is asked for again: the request took 200–260 ms of a warm start's
 * critical path on this machine (2026-11-30). An adapter found after all is used from the next start.
 */
async function startRuntime(req: InitRequest): Promise<Runtime> {
  const begin = (build: 'webgpu' | 'wasm') => {
    const threads = configureWasm(req.wasmPaths[build], req.numThreads);
    runtime = startWasmRuntime();
    return threads;
  };
  if (!req.preferWebGpu) return { threads: begin('wasm'), noGpu: 'WebGPU turned off in settings', adapter: null };
  if (req.lastAdapter === 'none') {
    const threads = begin('wasm');
    const reason = await webGpuUnavailableReason();
    if (reason !== null) return { threads, noGpu: reason, adapter: 'none' };
    return {
      threads,
      noGpu: 'a WebGPU adapter was found after start-up; it is used from the next start',
      adapter: 'found',
    };
  }
  const reason = await webGpuUnavailableReason();
  return {
    threads: begin(reason === null ? 'webgpu' : 'wasm'),
    noGpu: reason,
    adapter: reason === null ? 'found' : 'none',
  };
}

async function init(req: InitRequest): Promise<void> {
  try {
    // The fast tier is what auto loads without WebGPU (most devices): its download starts while the adapter
    // answers (0.03–0.2 s here). Were the VGG16 picked instead, the file is one the precache fetches anyway.
    if (req.choice !== 'accurate') void download(req, 'fast');
    const { threads, noGpu, adapter } = await startRuntime(req);
    const plan = planModel(req.choice, noGpu);
    const { loaded, reason } =
      plan.kind === 'probe-accurate'
        ? await probeAccurate(req, threads)
        : { loaded: await load(req, plan.tier, noGpu, threads), reason: plan.reason };
    await warmUp(loaded);
    // The kept model's bytes live on in modelBytes; a probed VGG16 that was not kept must not stay in memory.
    downloads.clear();
    sidecar = loaded.sidecar;
    modelBytes = loaded.bytes;
    current = loaded.session;
    watchDeviceLoss(current);
    post({
      type: 'ready',
      backend: current.backend,
      fallbackReason: current.fallbackReason,
      model: { id: sidecar.id, version: sidecar.version, inputSize: sidecar.input.shape[2], tier: loaded.tier },
      modelReason: reason,
      threads: current.threads,
      adapter,
    });
  } catch (e) {
    const file = e instanceof ModelLoadError ? e.file : (sidecar?.file ?? null);
    const message = errorText(e);
    post({ type: 'error', stage: 'load', file, message, requestId: null });
  }
}

function watchDeviceLoss(s: BackendSession): void {
  void s.lost.then((reason) => {
    if (current !== s) return;
    queue = queue.then(() => switchToWasm(reason));
  });
}

async function switchToWasm(reason: string): Promise<void> {
  if (!modelBytes || current?.backend === 'wasm') return;
  const threads = current?.threads ?? 1;
  current = await createWasmSession(modelBytes, threads, reason);
  post({ type: 'backend', backend: 'wasm', reason });
}

async function run(req: ClassifyRequest): Promise<Float32Array> {
  if (!current || !sidecar) throw new Error('classifier is not loaded');
  const input = inputTensor(rgbaToNchw(new Uint8Array(req.rgba), req.size, req.count), req.count, req.size);
  const out = await current.session.run({ [sidecar.input.name]: input });
  const probs = out[sidecar.output.name];
  if (!probs) throw new Error(`model has no output named ${sidecar.output.name}`);
  return new Float32Array(probs.data as Float32Array);
}

async function classify(req: ClassifyRequest): Promise<void> {
  const t0 = performance.now();
  try {
    let probs: Float32Array;
    try {
      probs = await run(req);
    } catch (e) {
      // A failing WebGPU run (e.g. device lost mid-frame) is retried once on WASM.
      if (current?.backend !== 'webgpu') throw e;
      await switchToWasm(`WebGPU run failed: ${errorText(e)}`);
      probs = await run(req);
    }
    post({ type: 'result', id: req.id, probs, ms: performance.now() - t0, backend: current!.backend }, [probs.buffer]);
  } catch (e) {
    post({ type: 'error', stage: 'classify', file: null, message: errorText(e), requestId: req.id });
  }
}

// The page's ClassifierClient puts the init request in the worker's name (protocol.ts workerName); a caller
// that does not (the e2e WebGPU parity test) posts it.
const initial = initFromWorkerName(self.name);
if (initial) queue = queue.then(() => init(initial));

self.onmessage = (event: MessageEvent<unknown>) => {
  const msg = event.data;
  if (!isToWorker(msg)) {
    post({
      type: 'error',
      stage: 'classify',
      file: null,
      message: 'malformed message to classifier worker',
      requestId: null,
    });
    return;
  }
  queue = queue.then(() => (msg.type === 'init' ? init(msg) : classify(msg)));
};

// The two models (face detector, mask classifier), loaded once per page, and how far along they are.
// Screens never load models themselves, so switching screens costs nothing and a failed model is
// reported once.
import { ClassifierClient, ClassifierLoadError } from '../classify/classifierClient';
import type { Backend, ModelChoice, ModelTier, ReadyMessage } from '../classify/protocol';
import {
  addPhotoCompanion,
  createLiveFaceFinder,
  PHOTO_COMPANION_TUNING,
  TUNED_SHORT_MIN_SCORE,
  TUNED_SHORT_TUNING,
  type DetectorModel,
  type FaceDetectorOptions,
  type FaceFinder,
  type TiledFaceFinder,
} from '../detect/faceDetector';
import { APP_DETECTOR_MODELS, DETECTOR_MODELS, MEDIAPIPE_WASM_DIR, servedUrl } from '../servedFiles';
import { errorText } from '../errorText';

export interface LoadProgress {
  file: string;
  stage: 'download' | 'compile';
  loaded: number;
  total: number | null;
}

export interface ModelsState {
  classifier: 'loading' | 'ready' | 'error';
  detector: 'loading' | 'ready' | 'error';
  progress: LoadProgress | null;
  backend: Backend | null;
  backendNote: string | null;
  threads: number;
  modelId: string | null;
  modelVersion: string | null;
  /** The tier of the loaded classifier, and why it was picked (settings, or what auto measured). */
  modelTier: ModelTier | null;
  modelReason: string | null;
  /** The user's setting: auto, accurate or fast. */
  modelChoice: ModelChoice;
  inputSize: number;
  /** Worker time of the latest classified batch, ms; null before the first. */
  classifyMs: number | null;
  /** Why the classifier worker is being restarted, while it is. */
  restarting: string | null;
  /** What failed to load (or stopped for good), naming the file and why. */
  errors: string[];
}

type Listener = (s: ModelsState) => void;

export class Models {
  state: ModelsState = {
    classifier: 'loading',
    detector: 'loading',
    progress: null,
    backend: null,
    backendNote: null,
    threads: 1,
    modelId: null,
    modelVersion: null,
    modelTier: null,
    modelReason: null,
    modelChoice: 'auto',
    inputSize: 224,
    classifyMs: null,
    restarting: null,
    errors: [],
  };
  readonly classifier: ClassifierClient;
  private readonly listeners = new Set<Listener>();
  private finders = new Map<DetectorModel, Promise<TiledFaceFinder>>();
  private photoFinders = new Map<DetectorModel, Promise<FaceFinder>>();
  private detectorModel: DetectorModel;

  constructor(options: { preferWebGpu: boolean; detectorModel: DetectorModel; classifierChoice: ModelChoice }) {
    this.detectorModel = options.detectorModel;
    this.state.modelChoice = options.classifierChoice;
    this.classifier = new ClassifierClient(
      {
        onProgress: (stage, file, loaded, total) => this.set({ progress: { stage, file, loaded, total } }),
        onBackendChange: (backend, reason) => this.set({ backend, backendNote: reason }),
        onResult: (ms, backend) => this.set({ classifyMs: ms, backend }),
        onStopped: (reason, restarting) =>
          restarting
            ? this.set({ restarting: reason })
            : this.set({
                classifier: 'error',
                restarting: null,
                errors: [...this.state.errors, `${reason} Press Retry to reload the page and start it again.`],
              }),
        onRestarted: () => this.set({ restarting: null, progress: null }),
        onLoaded: (r) => this.loaded(r),
      },
      { preferWebGpu: options.preferWebGpu, choice: options.classifierChoice },
    );
    this.watchFirstLoad();
    void this.faceFinder().catch(() => undefined);
  }

  /** Settles once the first classifier and the live face finder have loaded or failed: their files are fetched. */
  settled(): Promise<void> {
    return Promise.allSettled([this.classifier.ready, this.faceFinder()]).then(() => undefined);
  }

  /** Loads the classifier the user chose (auto, accurate, fast) in place of the current one. */
  setClassifierChoice(choice: ModelChoice): void {
    const errors = this.state.errors.filter((e) => !/classifier/i.test(e));
    const wasError = this.state.classifier === 'error';
    this.set({ modelChoice: choice, classifier: 'loading', classifyMs: null, restarting: null, errors });
    void this.classifier.setChoice(choice).catch(() => undefined);
    if (wasError) this.watchFirstLoad();
  }

  private loaded(r: ReadyMessage): void {
    this.set({
      classifier: 'ready',
      progress: null,
      backend: r.backend,
      backendNote: r.fallbackReason,
      threads: r.threads,
      modelId: r.model.id,
      modelVersion: r.model.version,
      modelTier: r.model.tier,
      modelReason: r.modelReason,
      inputSize: r.model.inputSize,
    });
  }

  private watchFirstLoad(): void {
    this.classifier.ready.then(
      () => undefined,
      (e: unknown) => {
        const text =
          e instanceof ClassifierLoadError && e.file
            ? `Classifier model ${e.file} failed to load: ${e.message}`
            : `Classifier failed to load: ${errorText(e)}`;
        this.set({ classifier: 'error', progress: null, errors: [...this.state.errors, text] });
      },
    );
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    l(this.state);
    return () => this.listeners.delete(l);
  }

  setDetectorModel(model: DetectorModel): void {
    this.detectorModel = model;
    void this.faceFinder().catch(() => undefined);
  }

  /** The face finder for the chosen model, created on first use: live video and everything but photos. */
  faceFinder(): Promise<FaceFinder> {
    return this.liveFinder(this.detectorModel);
  }

  /**
   * Photos: the live finder plus, with short range, one full-range pass over the whole photo, which finds faces
   * short range misses (tests/detect-eval/RESULTS.md, data/detect's held-out tenth: 95.8 -> 96.6 % of faces
   * >= 40 px found). The full-range model loads on the first photo (or when the Photos screen opens), not at
   * start: live never uses it, and loading it at start made the app ready ~2× later.
   */
  photoFaceFinder(): Promise<FaceFinder> {
    const model = this.detectorModel;
    let p = this.photoFinders.get(model);
    if (!p) {
      const options = this.finderOptions(model);
      p = this.liveFinder(model).then((finder) =>
        addPhotoCompanion(finder, options).catch((e: unknown) => {
          const message = `Face detector model ${fileName(DETECTOR_MODELS.full)} failed to load: ${loadFailure(e)}`;
          this.set({ errors: [...this.state.errors, message] });
          throw new Error(message);
        }),
      );
      p.catch(() => {
        // A failure is not kept: the next photo tries again (the live finder's own failure is reported by it).
        this.photoFinders.delete(model);
      });
      this.photoFinders.set(model, p);
    }
    return p;
  }

  private finderOptions(model: DetectorModel): FaceDetectorOptions {
    const base = document.baseURI;
    return {
      model,
      wasmBaseUrl: new URL(MEDIAPIPE_WASM_DIR, base).href,
      wasmUrl: (file) => servedUrl(`${MEDIAPIPE_WASM_DIR}/${file}`, base),
      modelUrl: servedUrl(APP_DETECTOR_MODELS[model], base),
      ...(model === 'short'
        ? {
            minScore: TUNED_SHORT_MIN_SCORE,
            tuning: TUNED_SHORT_TUNING,
            photoCompanion: {
              model: 'full',
              modelUrl: servedUrl(DETECTOR_MODELS.full, base),
              tuning: PHOTO_COMPANION_TUNING,
            },
          }
        : {}),
    };
  }

  private liveFinder(model: DetectorModel): Promise<TiledFaceFinder> {
    let p = this.finders.get(model);
    if (!p) {
      const file = fileName(APP_DETECTOR_MODELS[model]);
      this.set({ detector: 'loading' });
      p = createLiveFaceFinder(this.finderOptions(model));
      p.then(
        () => this.set({ detector: 'ready' }),
        (e: unknown) => {
          this.finders.delete(model);
          this.set({
            detector: 'error',
            errors: [...this.state.errors, `Face detector model ${file} failed to load: ${loadFailure(e)}`],
          });
        },
      );
      this.finders.set(model, p);
    }
    return p;
  }

  private set(patch: Partial<ModelsState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }
}

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** MediaPipe reports a failed script download as the bare error Event of its <script> tag. */
function loadFailure(e: unknown): string {
  return e instanceof Error
    ? e.message
    : e instanceof Event
      ? 'a file it needs could not be downloaded (network error). Check the connection and retry.'
      : String(e);
}

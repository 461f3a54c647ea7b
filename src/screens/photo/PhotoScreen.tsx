// Photo mode: choose or drop one or many images; each gets the live pipeline, an annotated picture,
// a list of its faces and a PNG download.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Models, ModelsState } from '../../pipeline/models';
import { downloadBlob } from '../common/download';
import { drawFaces } from '../common/drawFaces';
import { FaceList } from '../common/FaceList';
import type { ShownFace } from '../../pipeline/shownFace';
import { analysePhoto } from '../../pipeline/analysePhoto';
import { decodePhoto, PhotoError, type DecodedPhoto } from '../../pipeline/decodePhoto';
import { errorText } from '../../errorText';

interface PhotoResult {
  id: number;
  name: string;
  status: 'working' | 'done' | 'error';
  message?: string;
  photo?: DecodedPhoto;
  faces: ShownFace[];
}

let nextId = 1;

export function PhotoScreen({ models, state }: { models: Models; state: ModelsState }) {
  const [results, setResults] = useState<PhotoResult[]>([]);
  const [dragging, setDragging] = useState(false);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const blocked = state.classifier === 'error' || state.detector === 'error';
  // The photo-only detector model starts loading when this screen opens, before the first photo is chosen.
  useEffect(() => {
    void models.photoFaceFinder().catch(() => undefined);
  }, [models]);

  const update = (id: number, patch: Partial<PhotoResult>) =>
    setResults((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));

  const addFiles = (files: FileList | File[]) => {
    const list = Array.from(files);
    if (list.length === 0) return;
    const entries = list.map((f) => ({ id: nextId++, name: f.name, status: 'working' as const, faces: [] }));
    setResults((rs) => [...entries, ...rs]);
    // One photo at a time: the classifier worker is shared with the live screen.
    list.forEach((file, i) => {
      const id = entries[i]!.id;
      queue.current = queue.current.then(() => processFile(file, id));
    });
  };

  const processFile = async (file: File, id: number) => {
    try {
      const photo = await decodePhoto(file);
      update(id, { photo });
      const [finder, ready] = await Promise.all([models.photoFaceFinder(), models.classifier.ready]);
      const faces = await analysePhoto(photo, finder, models.classifier, ready.model.inputSize);
      update(id, { status: 'done', faces });
    } catch (e) {
      const message = e instanceof PhotoError ? e.message : `${file.name}: analysis failed — ${errorText(e)}`;
      update(id, { status: 'error', message });
    }
  };

  return (
    <section class="screen photo-screen" aria-labelledby="photo-title">
      <h2 id="photo-title">Check photos</h2>
      {blocked && (
        <p class="notice error" role="alert">
          Photos cannot be analysed until the models load. {state.errors.join(' ')}
        </p>
      )}
      <label
        class={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (e.dataTransfer?.files) addFiles(e.dataTransfer.files);
        }}
      >
        <span>Drop photos here, or choose them</span>
        <input
          type="file"
          accept="image/*"
          multiple
          data-testid="photo-input"
          onChange={(e) => {
            const input = e.currentTarget;
            if (input.files) addFiles(input.files);
            input.value = '';
          }}
        />
      </label>
      {results.length > 0 && (
        <button type="button" class="link-button" onClick={() => setResults([])}>
          Clear results
        </button>
      )}
      <div class="photo-results">
        {results.map((r) => (
          <PhotoCard key={r.id} result={r} />
        ))}
      </div>
    </section>
  );
}

function PhotoCard({ result }: { result: PhotoResult }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { photo, faces } = result;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !photo) return;
    canvas.width = photo.canvas.width;
    canvas.height = photo.canvas.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.drawImage(photo.canvas, 0, 0);
    drawFaces(ctx, faces, photo.scale);
  }, [photo, faces]);

  const download = () => {
    canvasRef.current?.toBlob((blob) => {
      if (blob) downloadBlob(blob, `${result.name.replace(/\.[^.]+$/, '')}-maskgate.png`);
    }, 'image/png');
  };

  return (
    <article class="photo-card" data-testid="photo-result" data-status={result.status} data-name={result.name}>
      <h3>{result.name}</h3>
      {result.status === 'error' && (
        <p class="notice error" role="alert">
          {result.message}
        </p>
      )}
      {photo?.note && (
        <p class="notice info" role="status" data-testid="photo-note">
          {photo.note}
        </p>
      )}
      {photo && <canvas ref={canvasRef} class="photo-canvas" aria-label={`${result.name} with face boxes`} />}
      {result.status === 'working' && <p class="muted">Analysing…</p>}
      {result.status === 'done' && (
        <>
          <FaceList faces={faces} label={`Faces in ${result.name}`} emptyText="No face found in this photo." />
          <button type="button" onClick={download} data-testid="download-png">
            Download annotated PNG
          </button>
        </>
      )}
    </article>
  );
}

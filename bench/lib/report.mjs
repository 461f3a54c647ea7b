// Markdown tables of a results object (bench/results/latest.json).
const ms = (v) => (v === null || v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const mb = (b) => (b === null || b === undefined ? '—' : (b / 2 ** 20).toFixed(1));
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

export function markdown(r) {
  const out = [`# MaskGate bench — ${r.env.date}`, ''];
  const e = r.env;
  out.push(
    `Machine: ${e.cpu}, ${e.cores} cores, ${mb(e.memBytes)} MiB RAM, ${e.os}. Load average at start ${e.loadStart.join(' / ')}, at end ${e.loadEnd?.join(' / ') ?? '—'}.`,
    `Browser: ${e.browser}. Node ${e.node}. onnxruntime-web ${e.versions.ortWeb}, onnxruntime-node ${e.versions.ortNode}, @mediapipe/tasks-vision ${e.versions.mediapipe}.`,
    `Options: ${JSON.stringify(r.options)}. Wall time ${ms(r.wallS)} s.`,
    '',
  );
  if (r.classifier) {
    out.push('## 1. Classifier (VGG16, 224×224) — ms per run and per face', '');
    const rows = r.classifier.cells.map((c) => [
      c.model,
      c.label,
      String(c.batch),
      String(c.n),
      ms(c.median),
      ms(c.p90),
      ms(c.median && c.median / c.batch),
      c.ratio ? `${c.ratio.toFixed(2)}×` : '—',
      ms(c.firstMs),
      ms(c.createMs),
    ]);
    out.push(
      table(
        [
          'model',
          'runtime',
          'batch',
          'n',
          'median ms',
          'p90 ms',
          'ms/face',
          'vs native',
          'first run ms',
          'session create ms',
        ],
        rows,
      ),
      '',
    );
    for (const n of r.classifier.notes) out.push(`- ${n}`);
    out.push('');
  }
  if (r.detection) {
    out.push('## 2. Face detection, 640×480 frame (detectVideo, default video tuning)', '');
    const rows = r.detection.map((d) => [
      d.model,
      String(d.times.n),
      ms(d.times.median),
      ms(d.times.p90),
      (1000 / d.times.mean).toFixed(1),
      d.faces.median ?? '—',
      ms(d.createMs),
    ]);
    out.push(
      table(['model', 'frames', 'median ms', 'p90 ms', 'fps (1000/mean)', 'faces found (median)', 'create ms'], rows),
      '',
    );
  }
  if (r.live) {
    out.push('## 3. Live loop in the app (fake camera, 30 fps clip)', '');
    const rows = r.live.map((l) => [
      String(l.faces),
      `${l.model ?? '—'}, ${l.backend}`,
      l.fps.toFixed(1),
      ms(l.frameMs.median),
      ms(l.frameMs.p90),
      ms(l.detectMsStatus.median),
      ms(l.classifyMsStatus.median),
      l.labelLatencyMs?.n
        ? `${ms(l.labelLatencyMs.median)} / ${ms(l.labelLatencyMs.p90)} (${l.labelLatencyMs.n})`
        : '—',
      ms(l.longtaskMsPerS),
      ms(l.longtaskMaxMs),
      String(l.facesShown.median ?? '—'),
    ]);
    out.push(
      table(
        [
          'faces in clip',
          'classifier',
          'loop fps',
          'frame work ms median',
          'frame work ms p90',
          'detect ms (status)',
          'classify ms (status)',
          'first label ms median / p90 (faces)',
          'long tasks ms/s',
          'longest task ms',
          'faces shown',
        ],
        rows,
      ),
      '',
      "- loop fps: frames analysed per second. Frame work: the main thread's work per analysed frame, its copy in the camera's frame callback plus its analysis task (measured by the app, `maskgate:frame-work`); the rotating tiles run in tasks of their own. Long tasks: every main-thread task over 50 ms while the loop ran.",
      '',
    );
  }
  if (r.startup) {
    out.push('## 4. Start-up (live mode, 1-face clip)', '');
    const rows = r.startup.map((s) => [
      s.kind,
      s.backend,
      ms(s.modelsMs),
      ms(s.firstResultMs),
      ms(s.totalMs),
      mb(s.bytes),
      s.uniqueBytes ? mb(s.uniqueBytes) : '—',
      s.uniqueBytes ? `${(s.bytes / s.uniqueBytes).toFixed(2)}×` : '—',
      String(s.requests),
    ]);
    out.push(
      table(
        [
          'visit',
          'classifier',
          'load → models ready ms',
          'start → first label ms',
          'total ms',
          'MiB from server',
          'MiB of files (each once)',
          'sent / files',
          'requests',
        ],
        rows,
      ),
      '',
    );
    const twice = r.startup.flatMap((s) => s.downloadedTwice ?? []);
    out.push(
      `- Files whose body was sent more than once: ${twice.length ? twice.join(', ') : 'none'}. Target: first visit ≤ 1.05× the files.`,
      '',
    );
  }
  if (r.memory) {
    const s = r.memory.samples;
    const first = s[0];
    const last = s.at(-1);
    out.push(
      `## 5. Memory, ${r.memory.minutes} min of live running (3-face clip, ${s.length} samples, after a forced GC each)`,
      '',
    );
    const line = (name, k) => [
      name,
      mb(first[k]),
      mb(last[k]),
      mb(last[k] !== null && first[k] !== null ? last[k] - first[k] : null),
      mb(s.some((x) => x[k] !== null) ? Math.max(...s.map((x) => x[k] ?? 0)) : null),
    ];
    out.push(
      table(
        ['MiB', 'start', 'end', 'growth', 'max'],
        [
          line('JS heap used (page)', 'jsHeapUsed'),
          line('JS heap total (page)', 'jsHeapTotal'),
          line('wasm memory (page: MediaPipe)', 'mainWasm'),
          line('measureUserAgentSpecificMemory (page + worker)', 'uaMemory'),
          line('renderer processes RSS', 'rendererRss'),
        ],
      ),
      '',
    );
  }
  if (r.errors?.length) out.push('## Errors', '', ...r.errors.map((e) => `- ${e}`), '');
  return out.join('\n');
}

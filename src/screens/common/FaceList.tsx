// The faces now shown, as accessible text. data-label / data-score / data-box are stable hooks for tests
// and assistive tools; data-box is x,y,w,h in source-image pixels.
import { CLASS_TEXT } from '../../classify/classes';
import type { ShownFace } from '../../pipeline/shownFace';

export function FaceList({ faces, emptyText, label }: { faces: ShownFace[]; emptyText: string; label: string }) {
  if (faces.length === 0) return <p class="face-list-empty">{emptyText}</p>;
  return (
    <ul role="list" class="face-list" aria-label={label} aria-live="polite">
      {faces.map((f, i) => (
        <li
          key={f.key}
          class={`face-item face-${f.label ?? 'pending'}`}
          data-label={f.label ?? ''}
          data-score={f.label ? f.score.toFixed(4) : ''}
          data-box={`${Math.round(f.box.x)},${Math.round(f.box.y)},${Math.round(f.box.w)},${Math.round(f.box.h)}`}
        >
          <span class="face-dot" aria-hidden="true" />
          Face {i + 1}: {f.label ? `${CLASS_TEXT[f.label]}, ${Math.round(f.score * 100)} % confidence` : 'classifying…'}
        </li>
      ))}
    </ul>
  );
}

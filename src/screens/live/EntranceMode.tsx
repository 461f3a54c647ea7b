// Entrance mode: full screen, big counters of the people seen since the camera started, a flash (and an
// optional sound) when someone is logged without a mask or wearing it wrongly, the screen kept awake.
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CLASS_NAMES, CLASS_SHORT, type MaskClass } from '../../classify/classes';
import type { TrackEvent } from '../../track/tracker';
import { AlertThrottle, keepScreenAwake, playAlertTone } from './alerts';

const FLASH_MS = 700;
const ZERO_COUNTS: Record<MaskClass, number> = { correct: 0, incorrect: 0, none: 0 };

export function useEntranceMode(screenRef: RefObject<HTMLElement>, running: boolean, soundAlerts: boolean) {
  const [active, setActive] = useState(false);
  const [counts, setCounts] = useState(ZERO_COUNTS);
  const [flash, setFlash] = useState(false);
  const throttle = useRef(new AlertThrottle());
  // Events arrive from the frame loop, which outlives renders: read the latest values through a ref.
  const latest = useRef({ active, soundAlerts });
  latest.current = { active, soundAlerts };

  useEffect(() => (active && running ? keepScreenAwake() : undefined), [active, running]);
  useEffect(() => {
    const onFullscreenExit = () => {
      if (!document.fullscreenElement) setActive(false);
    };
    document.addEventListener('fullscreenchange', onFullscreenExit);
    return () => document.removeEventListener('fullscreenchange', onFullscreenExit);
  }, []);

  const toggle = async () => {
    if (active) {
      setActive(false);
      if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
      return;
    }
    setActive(true);
    // Full screen needs this click's user activation; without it the CSS kiosk layout still fills the window.
    await screenRef.current?.requestFullscreen?.().catch(() => undefined);
  };

  const onEvents = (events: readonly TrackEvent[]) => {
    setCounts((c) => {
      const next = { ...c };
      for (const e of events) next[e.label]++;
      return next;
    });
    const alarming = events.some((e) => e.label !== 'correct');
    if (alarming && latest.current.active && throttle.current.allow(performance.now())) {
      setFlash(true);
      setTimeout(() => setFlash(false), FLASH_MS);
      if (latest.current.soundAlerts) playAlertTone();
    }
  };

  return { active, counts, flash, toggle, onEvents, resetCounts: () => setCounts(ZERO_COUNTS) };
}

export function EntranceCounters({ counts }: { counts: Record<MaskClass, number> }) {
  return (
    <div class="entrance-counters" role="status" aria-label="People since start" data-testid="entrance-counters">
      {CLASS_NAMES.map((k) => (
        <div key={k} class={`counter counter-${k}`} data-label={k} data-count={counts[k]}>
          <span class="counter-value">{counts[k]}</span>
          <span class="counter-name">{CLASS_SHORT[k]}</span>
        </div>
      ))}
    </div>
  );
}

// What entrance mode needs from the platform: a screen that stays on, and a short sound.

/** Keeps the screen awake until the returned function is called; re-acquires the lock when the page becomes visible again. */
export function keepScreenAwake(): () => void {
  let lock: WakeLockSentinel | null = null;
  let released = false;
  const acquire = async () => {
    if (released || document.visibilityState !== 'visible' || !('wakeLock' in navigator)) return;
    try {
      lock = await navigator.wakeLock.request('screen');
    } catch {
      // Denied (battery saver, iframe policy): entrance mode works, the screen may dim.
    }
  };
  const onVisible = () => void acquire();
  document.addEventListener('visibilitychange', onVisible);
  void acquire();
  return () => {
    released = true;
    document.removeEventListener('visibilitychange', onVisible);
    void lock?.release().catch(() => undefined);
  };
}

let audio: AudioContext | null = null;

/** Two short tones, made on the spot (no sound file to download or cache). */
export function playAlertTone(): void {
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    for (const [offset, freq] of [
      [0, 880],
      [0.18, 660],
    ] as const) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.25, t + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, t + offset + 0.16);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + offset);
      osc.stop(t + offset + 0.17);
    }
  } catch {
    // No audio output: the screen flash still shows the alert.
  }
}

/** Lets one alert through per `intervalMs`, so a crowd without masks does not become a siren. */
export class AlertThrottle {
  private last = -Infinity;
  constructor(private readonly intervalMs = 3000) {}
  allow(now: number): boolean {
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}

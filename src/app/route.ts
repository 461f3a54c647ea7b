// Which screen the page shows, kept in the address's #fragment: a reviewer can bookmark or share
// …/#history, the browser's Back button returns to the previous screen, and a reload stays on it.
import { useEffect, useState } from 'preact/hooks';

export type Screen = 'live' | 'photo' | 'history' | 'settings';

export const SCREENS: readonly { id: Screen; title: string }[] = [
  { id: 'live', title: 'Live' },
  { id: 'photo', title: 'Photos' },
  { id: 'history', title: 'History' },
  { id: 'settings', title: 'Settings' },
];

/** The screen a #fragment names ('#history', '#/history'); Live for none or one it does not know. */
export function screenOf(hash: string): Screen {
  const id = hash.replace(/^#\/?/, '').toLowerCase();
  return SCREENS.find((s) => s.id === id)?.id ?? 'live';
}

/** The fragment for a screen: none for Live, the start screen, so the installed app's start URL stays plain. */
export function hashOf(screen: Screen): string {
  return screen === 'live' ? '' : `#${screen}`;
}

/** Only Live and Photos use the face detector and the classifier. */
export const needsModels = (screen: Screen): boolean => screen === 'live' || screen === 'photo';

/** The current screen and a function that goes to another (a new history entry, so Back works). */
export function useScreen(): [Screen, (s: Screen) => void] {
  const [screen, setScreen] = useState<Screen>(() => screenOf(location.hash));
  useEffect(() => {
    const onHashChange = () => setScreen(screenOf(location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  const go = (s: Screen) => {
    if (s === screenOf(location.hash)) return;
    const hash = hashOf(s);
    // Live has no fragment: pushState, since assigning location.hash = '' would leave a bare '#'.
    if (hash) location.hash = hash;
    else history.pushState(null, '', location.pathname + location.search);
    setScreen(s);
  };
  return [screen, go];
}

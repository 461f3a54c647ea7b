/**
 * Wraps a task so that it never runs twice at once: a call while it runs makes it run once more afterwards
 * (so nothing asked for is missed), and returns the promise of that run.
 */
export function serial(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await task();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}

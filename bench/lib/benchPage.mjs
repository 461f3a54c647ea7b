// The bench page (bench/page) on its own Vite dev server, with COOP/COEP so WASM threads are available.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const CONFIG = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

export async function serveBenchPage() {
  const server = await createServer({ configFile: CONFIG, server: { host: '127.0.0.1', port: 0 } });
  await server.listen();
  const address = server.httpServer.address();
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

/** Opens the bench page in `browser` and waits until window.bench is there and the page is isolated. */
export async function openBenchPage(browser, url) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`  bench page error: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.bench?.ready, null, { timeout: 120_000 });
  if (!(await page.evaluate(() => self.crossOriginIsolated)))
    throw new Error('bench page is not cross-origin isolated');
  return page;
}

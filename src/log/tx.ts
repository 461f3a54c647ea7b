/**
 * Issues one request per item in a single transaction and waits for the commit.
 * All-or-nothing: if any request fails — including a synchronous throw, which
 * IndexedDB would otherwise follow by committing the earlier requests — the
 * transaction is aborted and the error rethrown.
 */
export async function allOrNothing<I, T>(
  tx: { done: Promise<void>; abort(): void },
  items: readonly I[],
  request: (item: I) => Promise<T>,
): Promise<T[]> {
  const requests: Promise<T>[] = [];
  try {
    for (const item of items) requests.push(request(item));
  } catch (error) {
    tx.abort();
    await Promise.allSettled([...requests, tx.done]);
    throw error;
  }
  const [results] = await Promise.all([Promise.all(requests), tx.done]);
  return results;
}

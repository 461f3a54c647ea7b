// Small bookkeeping records (`_local/...` documents: never replicated) in the sync's PouchDB database.

export interface LocalDocs {
  get(id: string): Promise<object>;
  put(doc: { _id: string; _rev?: string }): Promise<unknown>;
}

/** Reads `_local/<name>`, or `fallback` when it does not exist yet. */
export async function readMark<T extends object>(
  db: LocalDocs,
  name: string,
  fallback: T,
): Promise<T & { _rev?: string }> {
  try {
    return { ...fallback, ...(await db.get(`_local/${name}`)) };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return fallback;
    throw error;
  }
}

/** Writes `_local/<name>` over the revision read by readMark. */
export async function writeMark<T extends object>(db: LocalDocs, name: string, previous: { _rev?: string }, value: T) {
  const response = (await db.put({
    ...value,
    _id: `_local/${name}`,
    ...(previous._rev ? { _rev: previous._rev } : {}),
  })) as {
    rev: string;
  };
  return { ...value, _rev: response.rev };
}

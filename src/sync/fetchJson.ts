// PouchDB reads every answer of the server as JSON. A proxy in front of CouchDB answers 502 with an empty or
// HTML body when CouchDB is down (vite's proxy and nginx do), and an unproxied path gets the app's own
// index.html: PouchDB's parse then fails outside any catch (an uncaught error in the page, seen in the e2e
// test). This fetch turns such answers into CouchDB-style JSON errors, with their status kept.

/** The error name of an address that answers with a web page instead of the database. */
export const NOT_COUCHDB = 'not_couchdb';

export function jsonErrorsFetch(base: typeof fetch = (...args) => fetch(...args)): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    const type = response.headers.get('Content-Type') ?? '';
    if (response.ok && !type.includes('text/html')) return response; // JSON, or an attachment (image/jpeg)
    if (response.ok)
      return jsonResponse(502, response.statusText, {
        error: NOT_COUCHDB,
        reason: 'the address answers with a web page, not the database',
      });
    // CouchDB's errors are JSON whatever the Content-Type says (it is text/plain when the request did not
    // ask for JSON): keep those, replace anything else.
    const text = await response.text();
    return jsonResponse(
      response.status,
      response.statusText,
      parseError(text) ?? {
        error: 'unavailable',
        reason: `${response.status} ${response.statusText}`.trim(),
      },
    );
  };
}

function parseError(text: string): { error: string; reason?: unknown } | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'string'
      ? (value as { error: string })
      : null;
  } catch {
    return null;
  }
}

function jsonResponse(status: number, statusText: string, body: object): Response {
  return new Response(JSON.stringify(body), { status, statusText, headers: { 'Content-Type': 'application/json' } });
}

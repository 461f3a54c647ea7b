/** A parsed CouchDB answer ({} when empty): the fields the tests read. */
export interface CouchBody {
  rows?: { id: string; doc: Record<string, unknown> }[];
  [key: string]: unknown;
}
export interface Couch {
  url: string;
  port: number;
  dir: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startCouch(options?: { dir?: string; port?: number }): Promise<Couch>;
export function couch(
  url: string,
  path: string,
  options?: { method?: string; auth?: [string, string]; body?: unknown },
): Promise<{ status: number; body: CouchBody }>;
export function setUpSites(
  url: string,
  admin: [string, string],
  sites: Record<string, Record<string, string>>,
): Promise<void>;

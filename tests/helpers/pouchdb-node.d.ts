// The Node build of PouchDB the unit tests and the benchmark use (no types of their own); callers cast the
// constructor to src/sync/engine.ts's PouchStatic.
declare module 'pouchdb-core' {
  interface PouchPlugins {
    plugin(plugin: unknown): PouchPlugins;
  }
  const PouchDB: PouchPlugins;
  export default PouchDB;
}
declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}

// pouchdb-browser has no types of its own; src/sync/engine.ts types the part the app uses (PouchStatic).
declare module 'pouchdb-browser' {
  const PouchDB: unknown;
  export default PouchDB;
}

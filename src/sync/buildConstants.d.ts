/** The one extra origin the build's CSP lets sync connect to ('' = none: same-origin proxy only). vite.config.ts. */
declare const __SYNC_ORIGIN__: string;

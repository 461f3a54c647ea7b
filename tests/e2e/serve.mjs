#!/usr/bin/env node
// Serves dist/ as the e2e tests do (harness.mjs serveBuild: vite preview, the production headers) until killed,
// and prints its origin on the first line: scripts/test.sh starts it once and hands the origin to every test
// file as MASKGATE_E2E_APP_URL.
import { serveBuild } from './harness.mjs';

delete process.env.MASKGATE_E2E_APP_URL;
const server = await serveBuild();
console.log(server.url);
const stop = () => server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

/** The package's entry point: starting a Toxiproxy-compatible server (its HTTP API and its proxies). */
export { startToxiproxyServer, type ToxiproxyServer, type ToxiproxyServerOptions } from './server.ts';

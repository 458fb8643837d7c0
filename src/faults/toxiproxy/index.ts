export { startToxiproxyServer, type ToxiproxyServer, type ToxiproxyServerOptions } from './server.ts';

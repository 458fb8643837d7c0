/** Addresses as the suite writes them, `host:port`: split into their parts. */

/** `127.0.0.1:8080` → { host: '127.0.0.1', port: 8080 } (the port is what follows the last colon). */
export const hostPort = (address: string): { host: string; port: number } => {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
};

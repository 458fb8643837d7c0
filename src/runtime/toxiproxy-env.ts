/**
 * Set to 1, our server dials as a cluster needs rather than as the real server does: each client's upstream
 * at once (the real one dials one client at a time), a dial abandoned when its client leaves (the real one
 * dials on and delivers what the client sent), and every client whose dial fails reset (the real one resets
 * only one that had sent something). An environment variable, so that the real server's image, which knows
 * no such flag, takes the same command. The suite's clusters set it (see Connection).
 */
export const CLUSTER_DIALS_ENV = 'SESSION_CHAOS_CLUSTER_DIALS';

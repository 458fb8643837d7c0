/**
 * Set to 1, our server resets every client whose upstream dial fails (the real server resets only one that
 * had sent something): an environment variable, so that the real server's image, which knows no such flag,
 * takes the same command. The suite's clusters set it, for Tomcat's replication (see Connection).
 */
export const RESET_FAILED_DIALS_ENV = 'SESSION_CHAOS_RESET_FAILED_DIALS';

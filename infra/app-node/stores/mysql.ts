/** Sessions in MariaDB/MySQL through express-mysql-session (on mysql2). */
import { createRequire } from 'node:module';
import session from 'express-session';
import mysql from 'mysql2/promise';
import type { Config } from '../config.ts';
import type { Log, OpenedStore } from './common.ts';
import { shown, within } from './common.ts';

type MySQLStoreClass = new (
  options: Record<string, unknown>,
) => session.Store & {
  onReady(): Promise<void>;
  close(): Promise<void>;
};

const require = createRequire(import.meta.url);
const MySQLStore = (require('express-mysql-session') as (s: typeof session) => MySQLStoreClass)(session);

/**
 * `mysql://user@host:port/database`: the database is created if missing, then express-mysql-session creates
 * its table. A pool of a few connections; every query fails after the store timeout.
 */
export async function openMysql(url: string, config: Config, log: Log): Promise<OpenedStore> {
  const parsed = new URL(url);
  const database = parsed.pathname.slice(1) || 'sessions';
  const connection = {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    connectTimeout: 1000,
  };
  await within(
    (async () => {
      const admin = await mysql.createConnection(connection);
      await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database.replaceAll('`', '')}\``);
      await admin.end();
    })(),
    `mysql at ${parsed.host}`,
    config.storeWaitMs,
  );
  const store = new MySQLStore({
    ...connection,
    database,
    connectionLimit: 4,
    clearExpired: false,
    disableTouch: true,
  });
  await within(store.onReady(), `the session table in ${shown(url)}`, config.storeWaitMs);
  log(`mysql ${parsed.host}/${database}: session table ready`);
  return { inner: store, close: () => store.close() };
}

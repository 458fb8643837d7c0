/** What a run starts is the runner's alone: Redis, Sentinel and MariaDB want the case password, which no
 * command line or file shows; HAProxy's admin socket and MariaDB's files are private. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import mysql from 'mysql2/promise';
import { hostPort } from '../../src/runtime/host.ts';
import type { Cluster } from '../../src/runtime/runtime.ts';
import type { ServiceCluster } from '../../src/runtime/service-cluster.ts';
import { startCluster } from '../helpers/cluster.ts';

/** The first line a RESP server answers to `request`, from a connection with no password. */
function firstAnswer(address: string, request: string): Promise<string> {
  const { host, port } = hostPort(address);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.write(request));
    socket.setTimeout(2000, () => socket.destroy(new Error('no answer')));
    socket.on('error', reject);
    socket.once('data', (data) => {
      resolve(data.toString().split('\r\n')[0] ?? '');
      socket.destroy();
    });
  });
}

/** Every file under a folder, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );

/** Command lines of every process on this machine: what any local user can read. */
const commandLines = (): string[] =>
  readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        return [readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ')];
      } catch {
        return [];
      }
    });

describe('only the runner can reach what it starts', function () {
  this.timeout(120_000);

  describe('Redis behind Sentinel', () => {
    let cluster: Cluster;
    before(async () => {
      cluster = await startCluster('redis-replicated', { appNodes: 1 });
    });
    after(() => cluster?.stop());

    it('Redis and the Sentinels refuse a client without the case password', async () => {
      for (const id of ['redis-1', 'redis-2', 'sentinel-1'])
        expect(await firstAnswer(cluster.endpoint(id, 'store'), 'PING\r\n'), id).to.match(/^-NOAUTH/);
      expect(await firstAnswer(cluster.endpoint('redis-1', 'store'), 'AUTH guess\r\n')).to.match(
        /^-WRONGPASS/,
      );
    });

    it('the password is on no command line and in no file of the case folder', () => {
      const { secret, dir } = cluster as ServiceCluster;
      expect(commandLines().filter((line) => line.includes(secret))).to.deep.equal([]);
      const holding = filesUnder(dir).filter((file) => readFileSync(file, 'latin1').includes(secret));
      expect(holding, 'files of the case folder holding the password').to.deep.equal([]);
    });

    it("HAProxy's admin socket is its owner's alone: mode 0600 in a folder only its owner can enter", async function () {
      const socket = (cluster as ServiceCluster).adminSocket('lb');
      expect((statSync(socket).mode & 0o777).toString(8)).to.equal('600');
      expect((statSync(dirname(socket)).mode & 0o777).toString(8)).to.equal('700');
      if (process.getuid?.() !== 0) this.skip(); // another user is needed to try it
      const script = `require('net').connect(${JSON.stringify(socket)}).on('error', (e) => { console.log(e.code); process.exit(0); }).on('connect', () => { console.log('connected'); process.exit(0); })`;
      const other = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
      expect(other.stdout.trim(), 'nobody connecting to the admin socket').to.equal('EACCES');
    });
  });

  describe('MariaDB', () => {
    let cluster: Cluster;
    before(async () => {
      cluster = await startCluster('mysql', { appNodes: 1 });
    });
    after(() => cluster?.stop());

    it('refuses root without the case password, and confines files SQL may touch to a folder of its own', async () => {
      const { host, port } = hostPort(cluster.endpoint('mariadb', 'store'));
      const as = (password: string) => mysql.createConnection({ host, port, user: 'root', password });
      for (const password of ['', 'guess'])
        await as(password).then(
          () => expect.fail(`root got in with ${JSON.stringify(password)}`),
          (error: { code?: string }) => expect(error.code).to.equal('ER_ACCESS_DENIED_ERROR'),
        );
      const root = await as((cluster as ServiceCluster).secret);
      try {
        const [rows] = await root.query('SELECT @@secure_file_priv AS folder');
        const folder = (rows as { folder: string }[])[0]?.folder ?? '';
        expect(folder).to.match(/\/mariadb\/files\/?$/);
        expect(statSync(folder).uid, 'its files folder is its own').to.equal(
          process.getuid?.() === 0 ? mysqlUid() : process.getuid?.(),
        );
        await root.query("SELECT 1 INTO OUTFILE '/tmp/session-chaos-outfile'").then(
          () => expect.fail('wrote outside its folder'),
          (error: { code?: string }) => expect(error.code).to.equal('ER_OPTION_PREVENTS_STATEMENT'),
        );
      } finally {
        await root.end();
      }
    });

    it('runs as the mysql account when the runner is root, in a home that account alone can enter', function () {
      if (process.getuid?.() !== 0) this.skip(); // not root: it runs as the runner's own user already
      const pid = cluster.watch.pid('mariadb') ?? 0;
      const uid = /^Uid:\s+\d+\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      expect(Number(uid), 'effective uid of mariadbd').to.equal(mysqlUid());
      const datadir = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .find((a) => a.startsWith('--datadir='));
      const home = dirname(datadir?.slice('--datadir='.length) ?? '/');
      const [mode, owner] = [statSync(home).mode & 0o777, statSync(home).uid];
      expect([mode.toString(8), owner]).to.deep.equal(['700', mysqlUid()]);
      expect(
        (statSync(dirname(home)).mode & 0o777).toString(8),
        'its parent: crossed, never listed',
      ).to.equal('711');
    });
  });
});

/** The mysql account's uid (Debian's mariadb-server makes it). */
function mysqlUid(): number {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('mysql:'));
  return Number(line?.split(':')[2]);
}

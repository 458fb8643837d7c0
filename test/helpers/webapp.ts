/** Test helpers: the shop fixture webapp built as a user would, as a folder and as a .war. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { crc32 } from 'node:zlib';
import { DEFAULT_CATALINA_HOME, DEFAULT_JSP_COMPILER_JAR } from '../../infra/app-tomcat/config.ts';
import { scratchDir } from './scratch.ts';

const FIXTURE = 'test/fixtures/shop-webapp';

/** Every file under a folder, relative paths with slashes. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());

/** A zip archive of a folder, entries stored (not compressed): what `jar cf0` would make. */
export function zipFolder(dir: string): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of filesUnder(dir).sort()) {
    const name = Buffer.from(relative(dir, join(dir, file)).split('\\').join('/'));
    const data = readFileSync(join(dir, file));
    const header = (size: number): Buffer => Buffer.alloc(size);
    const local = header(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = header(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * The shop webapp of test/fixtures/shop-webapp built as a user would: its servlet compiled (by the JDT
 * compiler Tomcat already uses), as a folder and as a .war; `distributable: false` drops `<distributable/>`.
 */
export function buildShopWebapp(distributable = true): { dir: string; war: string } {
  const root = scratchDir('webapp');
  const dir = join(root, 'shop');
  mkdirSync(join(dir, 'WEB-INF', 'classes'), { recursive: true });
  const webXml = readFileSync(join(FIXTURE, 'web.xml'), 'utf8');
  writeFileSync(
    join(dir, 'WEB-INF', 'web.xml'),
    distributable ? webXml : webXml.replace('<distributable/>', ''),
  );
  const servletApi = join(DEFAULT_CATALINA_HOME, 'lib', 'servlet-api.jar');
  const compiler = ['-cp', DEFAULT_JSP_COMPILER_JAR, 'org.eclipse.jdt.internal.compiler.batch.Main'];
  const options = ['-17', '-nowarn', '-proc:none', '-encoding', 'UTF-8', '-cp', servletApi];
  execFileSync('java', [
    ...compiler,
    ...options,
    '-d',
    join(dir, 'WEB-INF', 'classes'),
    join(FIXTURE, 'ShopServlet.java'),
  ]);
  const war = join(root, 'shop.war');
  writeFileSync(war, zipFolder(dir));
  return { dir, war };
}

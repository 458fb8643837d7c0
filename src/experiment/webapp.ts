/** A user's Java webapp (a folder or a .war), looked at before anything starts: is it one, may it be replicated? */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { STRATEGY_NAMES, strategyNamed } from '../strategies/strategies.ts';

/** What the suite needs to know of a webapp before deploying it. */
export interface WebappFacts {
  /** Its deployment descriptor, when it has one (an app configured by annotations only may not). */
  webXml: string | null;
  /** Marked `<distributable/>`: its sessions may be replicated (Tomcat replicates no other app's). */
  distributable: boolean;
}

const WEB_XML = 'WEB-INF/web.xml';

/** One file of a zip archive (a .war), or null when it has none: read from the central directory. */
export function zipEntry(archive: Buffer, name: string): Buffer | null {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  for (let i = 0; i < count; i += 1) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error('a damaged zip archive (central directory)');
    const method = archive.readUInt16LE(at + 10);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    if (archive.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
      const data = archive.subarray(start, start + size);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(
        `${name} is compressed with method ${method}, which only stored and deflated archives use`,
      );
    }
    at += 46 + nameLength + extra;
  }
  return null;
}

/** Reads a webapp's facts; throws with what is wrong when the path is not a webapp folder or .war. */
export function webappFacts(path: string): WebappFacts {
  if (!existsSync(path)) throw new Error('no such file or folder');
  let webXml: string | null;
  if (statSync(path).isDirectory()) {
    if (!existsSync(join(path, 'WEB-INF')))
      throw new Error('a webapp folder holds WEB-INF/ (an exploded .war); this one does not');
    webXml = existsSync(join(path, WEB_XML)) ? readFileSync(join(path, WEB_XML), 'utf8') : null;
  } else {
    if (!path.endsWith('.war')) throw new Error('give a webapp folder or a .war file');
    webXml = zipEntry(readFileSync(path), WEB_XML)?.toString('utf8') ?? null;
  }
  const withoutComments = webXml?.replace(/<!--[\s\S]*?-->/g, '') ?? '';
  return { webXml, distributable: /<distributable\s*\/?>/.test(withoutComments) };
}

/** The strategies that run Tomcat, from the strategy table. */
const TOMCAT_STRATEGIES = STRATEGY_NAMES.filter((name) => strategyNamed(name)?.app === 'tomcat');

/**
 * Why a webapp cannot run in these strategies, or null: it is not a webapp; a strategy has no Tomcat; or it
 * is not `<distributable/>` where sessions are replicated (Tomcat would keep them on one node, and the
 * replicating strategies would measure sticky sessions under another name).
 */
export function webappProblem(path: string, strategies: readonly string[]): string | null {
  let facts: WebappFacts;
  try {
    facts = webappFacts(path);
  } catch (error) {
    return `${path}: ${(error as Error).message}`;
  }
  const noTomcat = strategies.filter((s) => strategyNamed(s)?.app !== 'tomcat');
  if (noTomcat.length > 0)
    return `a webapp is deployed into Tomcat, and ${noTomcat.join(', ')} run(s) none; choose among ${TOMCAT_STRATEGIES.join(', ')} (--strategy)`;
  const replicating = strategies.filter((s) => strategyNamed(s)?.sessions.in === 'replication');
  if (replicating.length > 0 && !facts.distributable)
    return `${path} is not marked <distributable/> in ${facts.webXml === null ? 'a WEB-INF/web.xml (it has none)' : 'its WEB-INF/web.xml'}, so Tomcat would not replicate its sessions and ${replicating.join(', ')} would measure nothing but sticky sessions; add <distributable/> to its web.xml, or run only sticky-tomcat`;
  return null;
}

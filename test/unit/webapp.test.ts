/** A user's webapp checked before it is deployed: <distributable/> found in a folder or a .war (deflated
 * too), and clear errors for what cannot be deployed as asked. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { expect } from 'chai';
import { webappFacts, webappProblem, zipEntry } from '../../src/experiment/webapp.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { zipFolder } from '../helpers/webapp.ts';

/** A webapp folder with this web.xml (none when null), and the same as a .war. */
function webapp(webXml: string | null): { dir: string; war: string } {
  const root = scratchDir('webapp-facts');
  const dir = join(root, 'app');
  mkdirSync(join(dir, 'WEB-INF'), { recursive: true });
  if (webXml !== null) writeFileSync(join(dir, 'WEB-INF', 'web.xml'), webXml);
  writeFileSync(join(dir, 'index.html'), '<p>hi</p>');
  const war = join(root, 'app.war');
  writeFileSync(war, zipFolder(dir));
  return { dir, war };
}

const MARKED = '<web-app><distributable/></web-app>';

describe("a user's webapp, looked at before it is deployed", () => {
  it('finds <distributable/> in a folder and in a .war, not in a comment', () => {
    for (const { dir, war } of [webapp(MARKED), webapp('<web-app><distributable></distributable></web-app>')])
      for (const path of [dir, war]) expect(webappFacts(path).distributable, path).to.equal(true);
    const commented = webapp('<web-app><!-- <distributable/> --></web-app>');
    expect(webappFacts(commented.war).distributable).to.equal(false);
    expect(webappFacts(webapp(null).dir)).to.deep.equal({ webXml: null, distributable: false });
  });

  it('reads a deflated entry of a zip archive too', () => {
    const text = Buffer.from(MARKED.repeat(20));
    const data = deflateRawSync(text);
    const name = Buffer.from('WEB-INF/web.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(30 + name.length + data.length, 16);
    const archive = Buffer.concat([local, name, data, central, name, end]);
    expect(zipEntry(archive, 'WEB-INF/web.xml')?.toString()).to.equal(text.toString());
    expect(zipEntry(archive, 'WEB-INF/other.xml')).to.equal(null);
  });

  it('says what is wrong: not a webapp, no Tomcat, not distributable where sessions are replicated', () => {
    const plain = scratchDir('not-webapp');
    expect(webappProblem(plain, ['sticky-tomcat'])).to.equal(
      `${plain}: a webapp folder holds WEB-INF/ (an exploded .war); this one does not`,
    );
    expect(webappProblem(join(plain, 'app.zip'), ['sticky-tomcat'])).to.equal(
      `${join(plain, 'app.zip')}: no such file or folder`,
    );
    const { war } = webapp(null);
    expect(webappProblem(war, ['sticky-tomcat']), 'no replication: no need').to.equal(null);
    expect(webappProblem(war, ['redis', 'sticky-tomcat'])).to.match(
      /^a webapp is deployed into Tomcat, and redis run\(s\) none; choose among sticky-tomcat, all-to-all, primary-secondary/,
    );
    expect(webappProblem(war, ['sticky-tomcat', 'all-to-all:sync'])).to.equal(
      `${war} is not marked <distributable/> in a WEB-INF/web.xml (it has none), so Tomcat would not replicate its sessions and all-to-all:sync would measure nothing but sticky sessions; add <distributable/> to its web.xml, or run only sticky-tomcat`,
    );
    expect(webappProblem(webapp(MARKED).war, ['all-to-all', 'primary-secondary'])).to.equal(null);
  });
});

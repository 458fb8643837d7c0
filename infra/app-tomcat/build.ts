/**
 * The Tomcat reference app built: app/*.java compiled (by the Eclipse JDT compiler Tomcat's Jasper already
 * uses) with app/web.xml beside, once per content hash, into `.session-chaos/compiled/app-tomcat-<hash>/`,
 * the folder every node of every run then serves. Built aside and renamed, so runners building at once
 * never see half a folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CATALINA_HOME, DEFAULT_JSP_COMPILER_JAR } from './config.ts';

const APP = fileURLToPath(new URL('./app/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The app's sources, in a stable order: what its hash is taken over. */
const sources = (): string[] =>
  readdirSync(APP)
    .sort()
    .map((name) => join(APP, name));

/** The built app's folder (a webapp: WEB-INF/web.xml and WEB-INF/classes), building it when not yet built. */
export function builtReferenceApp(
  catalinaHome = DEFAULT_CATALINA_HOME,
  compilerJar = DEFAULT_JSP_COMPILER_JAR,
): string {
  const hash = createHash('sha256');
  for (const file of sources()) hash.update(file).update(readFileSync(file));
  const dir = join(ROOT, '.session-chaos', 'compiled', `app-tomcat-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(dir)) return dir;
  const partial = `${dir}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'WEB-INF', 'classes'), { recursive: true });
  copyFileSync(join(APP, 'web.xml'), join(partial, 'WEB-INF', 'web.xml'));
  execFileSync('java', [
    ...['-cp', compilerJar, 'org.eclipse.jdt.internal.compiler.batch.Main'],
    ...['-17', '-nowarn', '-proc:none', '-encoding', 'UTF-8'],
    ...['-cp', join(catalinaHome, 'lib', 'servlet-api.jar'), '-d', join(partial, 'WEB-INF', 'classes')],
    ...sources().filter((file) => file.endsWith('.java')),
  ]);
  try {
    renameSync(partial, dir);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another runner renamed its build first
  }
  return dir;
}

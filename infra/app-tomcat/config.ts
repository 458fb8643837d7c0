/**
 * One Tomcat 10.1 node of the reference app: the files of its CATALINA_BASE and the java command that starts it.
 * Pure: no I/O; it imports only the shared helpers of lib/. Bad input throws a TomcatConfigError with a
 * one-line message.
 *
 * The webapp is not copied: the generated server.xml declares the ROOT context with its docBase pointing at
 * the built reference app (build.ts) or the user's webapp; Tomcat's work dir stays inside the CATALINA_BASE.
 */

import { fnv1a } from '../../lib/fnv1a.ts';
import { xmlEscape } from '../../lib/xml.ts';

/** How sessions survive: StandardManager (in memory, not replicated), DeltaManager (all-to-all), BackupManager. */
export type TomcatManager = 'standard' | 'delta' | 'backup';

/** Tribes send options: 8 = asynchronous, 6 = synchronous with an acknowledgement (ACK | SYNC). */
export type ChannelSendOptions = 6 | 8;

export interface TomcatPeer {
  nodeId: string;
  host: string;
  /**
   * delta: the address through which THIS node reaches the peer's receiver (a TCP proxy may sit there).
   * backup: the peer's real receiver port (BackupManager learns real addresses from its peers and would bypass a proxy).
   */
  port: number;
}

export interface TomcatNodeOptions {
  nodeId: string;
  httpPort: number;
  host: string;
  manager: TomcatManager;
  channelSendOptions: ChannelSendOptions;
  /** The port this node's cluster receiver listens on (ignored for 'standard'). */
  receiverPort: number;
  /** The other nodes of the cluster (ignored for 'standard'). */
  peers: readonly TomcatPeer[];
  /**
   * A user's webapp (absolute path of its folder or .war) deployed as the ROOT context instead of the
   * reference app, with Tomcat's usual defaults (JSPs at *.jsp, jars scanned), and beside it the probe
   * context (probe/) that reports the cluster members its channel sees.
   */
  webapp?: string;
  /** The built reference app (build.ts: builtReferenceApp()), served when there is no `webapp`. */
  referenceApp?: string;
  /** Where Tomcat is installed (CATALINA_HOME); defaults to Debian's /usr/share/tomcat10. */
  catalinaHome?: string;
  /** The Eclipse JDT compiler Jasper compiles the JSPs with; defaults to Debian's path. */
  jspCompilerJar?: string;
  /**
   * Where Jasper puts the compiled JSPs; defaults to the node's own work dir. Give every node of a run the same
   * directory to compile the pages once (the next nodes start in about half the time), but then start the nodes one
   * after another: two JVMs compiling into one directory at the same moment can read each other's half-written files.
   */
  jspScratchDir?: string;
}

export interface TomcatCommandOptions {
  nodeId: string;
  /** Absolute path of the node's CATALINA_BASE (where the files of tomcatBaseFiles were written). */
  baseDir: string;
  catalinaHome?: string;
  /** The java executable; defaults to `java` on PATH. */
  java?: string;
  /** Extra JVM flags, placed before the main class (e.g. a different -Xmx). */
  jvmFlags?: readonly string[];
}

export interface TomcatCommand {
  command: string;
  args: string[];
  /** Environment to add to the parent's: the app reads its node id from NODE_ID. */
  env: Record<string, string>;
}

export class TomcatConfigError extends Error {
  override name = 'TomcatConfigError';
}

export const DEFAULT_CATALINA_HOME = '/usr/share/tomcat10';
/** Shipped by the Debian package libeclipse-jdt-core-java. */
export const DEFAULT_JSP_COMPILER_JAR = '/usr/share/java/eclipse-jdt-core.jar';
/** Tribes domain shared by every node of a cluster. */
export const CLUSTER_DOMAIN = 'session-chaos';

/** Flags for a small machine (2 cores, several nodes): small heap, serial GC, C1 only. */
export const JVM_FLAGS: readonly string[] = [
  '-Xms64m',
  '-Xmx128m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-Djava.net.preferIPv4Stack=true',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED',
];

const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** One IPv4 address (127.0.0.1 locally, the container's own in a container network): members announce it. */
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function fail(message: string): never {
  throw new TomcatConfigError(message);
}

function checkNodeId(what: string, id: string): void {
  if (!NODE_ID_PATTERN.test(id)) {
    fail(
      `${what} "${id}" is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
}

function checkPort(what: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(`${what} ${String(port)} is invalid: use an integer from 1 to 65535`);
  }
}

function checkHost(what: string, host: string): void {
  if (!IPV4.test(host) || host === '0.0.0.0')
    fail(`${what} "${host}" is not one IPv4 address: use the node's own, e.g. 127.0.0.1`);
}

function checkPath(what: string, path: string): void {
  if (!path.startsWith('/')) fail(`${what} "${path}" must be an absolute path`);
}

function validate(options: TomcatNodeOptions): void {
  checkNodeId('nodeId', options.nodeId);
  checkPort('httpPort', options.httpPort);
  checkHost('host', options.host);
  if (!['standard', 'delta', 'backup'].includes(options.manager)) {
    fail(`manager "${String(options.manager)}" is not supported: use standard, delta or backup`);
  }
  if (options.channelSendOptions !== 6 && options.channelSendOptions !== 8) {
    fail(
      `channelSendOptions ${String(options.channelSendOptions)} is not supported: use 8 (async) or 6 (sync)`,
    );
  }
  if (options.webapp !== undefined) checkPath('webapp', options.webapp);
  if (options.referenceApp !== undefined) checkPath('referenceApp', options.referenceApp);
  if (options.catalinaHome !== undefined) checkPath('catalinaHome', options.catalinaHome);
  if (options.jspCompilerJar !== undefined) checkPath('jspCompilerJar', options.jspCompilerJar);
  if (options.jspScratchDir !== undefined) checkPath('jspScratchDir', options.jspScratchDir);
  if (options.manager === 'standard') return;
  checkPort('receiverPort', options.receiverPort);
  if (options.receiverPort === options.httpPort) fail('receiverPort must differ from httpPort');
  const ids = new Set<string>([options.nodeId]);
  for (const [i, peer] of options.peers.entries()) {
    checkNodeId(`peers[${i}].nodeId`, peer.nodeId);
    checkHost(`peers[${i}].host`, peer.host);
    checkPort(`peers[${i}].port`, peer.port);
    if (ids.has(peer.nodeId)) fail(`peers[${i}].nodeId "${peer.nodeId}" appears twice (or is this node)`);
    ids.add(peer.nodeId);
  }
}

/** Escapes a value for a java.util.Properties file (backslashes; the paths here have no other specials). */
function propertiesEscape(text: string): string {
  return text.replace(/\\/g, '\\\\');
}

/**
 * The Tribes uniqueId of a node: 16 bytes derived from its id (FNV-1a, 4 rounds), written as Tomcat wants it,
 * e.g. "{12,-3,...}". Stable across restarts, distinct per node id.
 */
export function uniqueIdOf(nodeId: string): string {
  const bytes: number[] = [];
  for (let round = 0; round < 4; round++) {
    const hash = fnv1a(Buffer.from(`${round}:${nodeId}`));
    for (let shift = 24; shift >= 0; shift -= 8) {
      const byte = (hash >>> shift) & 0xff;
      bytes.push(byte > 127 ? byte - 256 : byte);
    }
  }
  return `{${bytes.join(',')}}`;
}

/** A folder next to this file: the probe context (probe/). */
function ownFolder(name: 'probe'): string {
  const url = new URL(`./${name}`, import.meta.url);
  if (url.protocol !== 'file:')
    fail('config.ts must be loaded from a file: its webapps are folders next to it');
  return decodeURIComponent(url.pathname);
}

/** The ROOT context: the reference app, tuned for a fast start, or a user's webapp as Tomcat would run it. */
function rootContext(options: TomcatNodeOptions, standardManager: string): string {
  const cookies =
    '<CookieProcessor className="org.apache.tomcat.util.http.Rfc6265CookieProcessor" sameSiteCookies="lax"/>';
  if (options.webapp !== undefined)
    return `<Context path="" ${attrs({ docBase: options.webapp })} unpackWAR="false" reloadable="false">
          ${cookies}
          <!-- Its own jars are scanned; Debian's Tomcat's manifests name jars it does not ship. -->
          <JarScanner scanManifest="false"/>${standardManager}
        </Context>
        <!-- The suite's probe: how many cluster members this node's channel sees (readiness). -->
        <Context path="/session-chaos-probe" ${attrs({ docBase: ownFolder('probe') })} reloadable="false">
          <JarScanner scanClassPath="false" scanManifest="false"/>
        </Context>`;
  if (options.referenceApp === undefined)
    fail('referenceApp: give the built reference app (build.ts), or a webapp');
  return `<Context path="" ${attrs({ docBase: options.referenceApp })} reloadable="false">
          ${cookies}
          <JarScanner scanClassPath="false" scanManifest="false"/>${standardManager}
        </Context>`;
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${xmlEscape(String(v))}"`)
    .join(' ');
}

function staticMember(peer: TomcatPeer, indent: string): string {
  const values = {
    className: 'org.apache.catalina.tribes.membership.StaticMember',
    host: peer.host,
    port: peer.port,
    securePort: -1,
    domain: CLUSTER_DOMAIN,
    uniqueId: uniqueIdOf(peer.nodeId),
  };
  return `${indent}<!-- ${xmlEscape(peer.nodeId)} -->\n${indent}<Member ${attrs(values)}/>`;
}

function receiver(options: TomcatNodeOptions): string {
  const values = {
    className: 'org.apache.catalina.tribes.transport.nio.NioReceiver',
    address: options.host,
    port: options.receiverPort,
    autoBind: 0,
    selectorTimeout: 100,
    minThreads: 2,
    maxThreads: 6,
  };
  return `        <Receiver ${attrs(values)}/>`;
}

const SENDER = `        <Sender className="org.apache.catalina.tribes.transport.ReplicationTransmitter">
          <Transport className="org.apache.catalina.tribes.transport.nio.PooledParallelSender" timeout="3000"/>
        </Sender>`;

const PING =
  '        <Interceptor className="org.apache.catalina.tribes.group.interceptors.TcpPingInterceptor" staticOnly="true" interval="1000" useThread="true"/>';
const FAILURE_DETECTOR =
  '        <Interceptor className="org.apache.catalina.tribes.group.interceptors.TcpFailureDetector" connectTimeout="500" performReadTest="true" readTestTimeout="2000"/>';
const DISPATCHER =
  '        <Interceptor className="org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor"/>';

/**
 * DeltaManager: membership is only the static list of peers at the addresses given (TCP proxies), with the
 * membership service not started (channelStartOptions="3" = sender + receiver only). This is the setup in which
 * session deltas really travel through those addresses. (State-transfer answers go to the requester's real
 * receiver, the address it puts in its messages.)
 */
function deltaChannel(options: TomcatNodeOptions): string {
  const members = options.peers.map((p) => staticMember(p, '          ')).join('\n');
  return `      <Channel className="org.apache.catalina.tribes.group.GroupChannel" heartbeatSleeptime="1000">
${receiver(options)}
${SENDER}
${PING}
${FAILURE_DETECTOR}
        <Interceptor className="org.apache.catalina.tribes.group.interceptors.StaticMembershipInterceptor">
${members}
        </Interceptor>
${DISPATCHER}
      </Channel>`;
}

/**
 * BackupManager: StaticMembershipService (TCP pings, no multicast). Every node declares itself (LocalMember, same
 * uniqueId the peers use for it) and its peers at their real receiver ports.
 */
function backupChannel(options: TomcatNodeOptions): string {
  const local = {
    className: 'org.apache.catalina.tribes.membership.StaticMember',
    domain: CLUSTER_DOMAIN,
    uniqueId: uniqueIdOf(options.nodeId),
  };
  const members = options.peers.map((p) => staticMember(p, '          ')).join('\n');
  return `      <Channel className="org.apache.catalina.tribes.group.GroupChannel">
        <Membership className="org.apache.catalina.tribes.membership.StaticMembershipService"
                    connectTimeout="500" expirationTime="5000" pingInterval="1000" rpcTimeout="3000">
          <LocalMember ${attrs(local)}/>
${members}
        </Membership>
${receiver(options)}
${SENDER}
${FAILURE_DETECTOR}
${DISPATCHER}
      </Channel>`;
}

function cluster(options: TomcatNodeOptions): string {
  const send = options.channelSendOptions;
  const delta = options.manager === 'delta';
  const manager = delta
    ? `<Manager className="org.apache.catalina.ha.session.DeltaManager" stateTransferTimeout="5"
               expireSessionsOnShutdown="false" notifyListenersOnReplication="true"/>`
    : `<Manager className="org.apache.catalina.ha.session.BackupManager" mapSendOptions="${send}"
               notifyListenersOnReplication="true"/>`;
  const startOptions = delta ? ' channelStartOptions="3"' : '';
  return `
    <!-- ${delta ? 'all-to-all replication (DeltaManager)' : 'primary-secondary replication (BackupManager)'} -->
    <Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster" channelSendOptions="${send}"${startOptions}>
      ${manager}
${delta ? deltaChannel(options) : backupChannel(options)}
      <Valve className="org.apache.catalina.ha.tcp.ReplicationValve" filter=""/>
      <ClusterListener className="org.apache.catalina.ha.session.ClusterSessionListener"/>
    </Cluster>
`;
}

function serverXml(options: TomcatNodeOptions): string {
  const standardManager =
    options.manager === 'standard'
      ? '\n        <Manager className="org.apache.catalina.session.StandardManager" pathname=""/>'
      : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by infra/app-tomcat/config.ts for node ${xmlEscape(options.nodeId)} (${options.manager}). -->
<Server port="-1" shutdown="SHUTDOWN">
  <Listener className="org.apache.catalina.startup.VersionLoggerListener" logArgs="false" logEnv="false" logProps="false"/>
  <Service name="Catalina">
    <Connector ${attrs({ address: options.host, port: options.httpPort })} protocol="HTTP/1.1"
               connectionTimeout="20000" maxThreads="50" minSpareThreads="4" server="session-chaos"
               encodedSolidusHandling="passthrough" encodedReverseSolidusHandling="passthrough"/>
    <Engine name="Catalina" defaultHost="localhost">${options.manager === 'standard' ? '\n' : cluster(options)}
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" deployOnStartup="false">
        ${rootContext(options, standardManager)}
      </Host>
    </Engine>
  </Service>
</Server>
`;
}

function initParam(name: string, value: string): string {
  return `    <init-param><param-name>${name}</param-name><param-value>${xmlEscape(value)}</param-value></init-param>`;
}

/** For a user's webapp and the probe context: Jasper, compiling with JDT, at Tomcat's usual *.jsp mapping. */
function jspServlet(scratchDir: string | undefined): string {
  const scratch = scratchDir === undefined ? '' : `\n${initParam('scratchdir', scratchDir)}`;
  return `
  <servlet>
    <servlet-name>jsp</servlet-name>
    <servlet-class>org.apache.jasper.servlet.JspServlet</servlet-class>
    <init-param><param-name>compilerClassName</param-name><param-value>org.apache.jasper.compiler.JDTCompiler</param-value></init-param>
    <init-param><param-name>development</param-name><param-value>false</param-value></init-param>
    <init-param><param-name>checkInterval</param-name><param-value>0</param-value></init-param>
    <init-param><param-name>fork</param-name><param-value>false</param-value></init-param>
    <init-param><param-name>xpoweredBy</param-name><param-value>false</param-value></init-param>
    <init-param><param-name>trimSpaces</param-name><param-value>true</param-value></init-param>${scratch}
    <load-on-startup>3</load-on-startup>
  </servlet>
  <servlet-mapping>
    <servlet-name>jsp</servlet-name>
    <url-pattern>*.jsp</url-pattern>
    <url-pattern>*.jspx</url-pattern>
  </servlet-mapping>`;
}

/**
 * The container defaults every webapp inherits: the default servlet, and Jasper for a user's webapp (the
 * reference app is one servlet of its own: no JSP to compile).
 */
function webXml(options: TomcatNodeOptions): string {
  const jsp = options.webapp === undefined ? '' : jspServlet(options.jspScratchDir);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by infra/app-tomcat/config.ts: container defaults (Debian's tomcat10-common ships no conf/). -->
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
         version="6.0">
  <servlet>
    <servlet-name>default</servlet-name>
    <servlet-class>org.apache.catalina.servlets.DefaultServlet</servlet-class>
    <init-param><param-name>listings</param-name><param-value>false</param-value></init-param>
    <load-on-startup>1</load-on-startup>
  </servlet>
  <servlet-mapping>
    <servlet-name>default</servlet-name>
    <url-pattern>/</url-pattern>
  </servlet-mapping>${jsp}
  <session-config>
    <session-timeout>30</session-timeout>
  </session-config>
</web-app>
`;
}

/** Everything to stderr (the caller redirects it), one line per record; cluster and session logs at INFO. */
const LOGGING_PROPERTIES = `# Generated by infra/app-tomcat/config.ts
handlers = java.util.logging.ConsoleHandler
.handlers = java.util.logging.ConsoleHandler
.level = INFO
java.util.logging.ConsoleHandler.level = FINE
java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
java.util.logging.ConsoleHandler.encoding = UTF-8
org.apache.catalina.ha.level = INFO
org.apache.catalina.tribes.level = INFO
`;

/** The reference app has no jars and no tag libraries: scan nothing (faster start). A user's webapp's jars
 * may hold what it needs (TLDs, web fragments, initializers): scanned as Tomcat scans them. */
const SCAN_NOTHING = `# The app has no jars and no tag libraries: scan nothing (faster start).
tomcat.util.scan.StandardJarScanFilter.jarsToSkip=*.jar
tomcat.util.scan.StandardJarScanFilter.jarsToScan=
`;

function catalinaProperties(options: TomcatNodeOptions): string {
  const jar = propertiesEscape(options.jspCompilerJar ?? DEFAULT_JSP_COMPILER_JAR);
  return `# Generated by infra/app-tomcat/config.ts: the JSP compiler joins the common class loader.
package.access=sun.,org.apache.catalina.,org.apache.coyote.,org.apache.jasper.,org.apache.tomcat.
package.definition=sun.,java.,org.apache.catalina.,org.apache.coyote.,org.apache.jasper.,org.apache.naming.,org.apache.tomcat.
common.loader="\${catalina.base}/lib","\${catalina.base}/lib/*.jar","\${catalina.home}/lib","\${catalina.home}/lib/*.jar","${jar}"
server.loader=
shared.loader=
${options.webapp === undefined ? SCAN_NOTHING : ''}`;
}

/**
 * The files of one node's CATALINA_BASE, keyed by path relative to it. Write them, then start the node with
 * tomcatCommand(); Tomcat creates work/ (compiled JSPs) and webapps/ itself.
 */
export function tomcatBaseFiles(options: TomcatNodeOptions): Record<string, string> {
  validate(options);
  return {
    'conf/server.xml': serverXml(options),
    'conf/web.xml': webXml(options),
    'conf/logging.properties': LOGGING_PROPERTIES,
    'conf/catalina.properties': catalinaProperties(options),
  };
}

/** The JVM arguments that start one node (everything after the `java` executable). */
export function tomcatJavaArgs(options: TomcatCommandOptions): string[] {
  checkNodeId('nodeId', options.nodeId);
  checkPath('baseDir', options.baseDir);
  const home = options.catalinaHome ?? DEFAULT_CATALINA_HOME;
  checkPath('catalinaHome', home);
  const base = options.baseDir.replace(/\/+$/, '');
  return [
    ...JVM_FLAGS,
    ...(options.jvmFlags ?? []),
    // A port already in use (or any other init failure) ends the JVM instead of leaving a Tomcat without a connector.
    '-Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true',
    '-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager',
    `-Djava.util.logging.config.file=${base}/conf/logging.properties`,
    `-Dcatalina.home=${home}`,
    `-Dcatalina.base=${base}`,
    `-DNODE_ID=${options.nodeId}`,
    '-classpath',
    `${home}/bin/bootstrap.jar:${home}/bin/tomcat-juli.jar`,
    'org.apache.catalina.startup.Bootstrap',
    'start',
  ];
}

/** The whole command: executable, arguments and the environment entries to add. */
export function tomcatCommand(options: TomcatCommandOptions): TomcatCommand {
  return { command: options.java ?? 'java', args: tomcatJavaArgs(options), env: { NODE_ID: options.nodeId } };
}

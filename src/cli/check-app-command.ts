import { checkApp } from '../workload/check-app.ts';
import { parse, UsageError } from './args.ts';
import { EXIT } from './exit-codes.ts';

/** `session-chaos check-app URL`: names every deviation from the app contract with its request; exit 1 if any. */
export async function checkAppCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse('check-app', argv, { json: { type: 'boolean' } }, true);
  const [url] = positionals;
  if (!url || positionals.length > 1 || !/^https?:\/\/[^/]+/.test(url))
    throw new UsageError(
      'check-app: give the URL of one running app node, e.g. session-chaos check-app http://127.0.0.1:8081',
    );
  const report = await checkApp(url);
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    for (const d of report.deviations) process.stdout.write(`✗ ${d.request}: ${d.problem}\n`);
    if (!report.namesItsNode)
      process.stdout.write(
        'note: no answer says which node it is (X-Node); behind the load balancer the suite learns it from HAProxy\n',
      );
    const cookies = report.sessionCookies.join(', ') || 'none';
    process.stdout.write(
      `${report.url}: ${report.checks} checks, ${report.deviations.length} deviation(s) from the app contract; session cookie(s): ${cookies}\n`,
    );
  }
  return report.deviations.length === 0 ? EXIT.ok : EXIT.failed;
}

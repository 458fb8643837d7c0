/** A run as JUnit XML, so CI dashboards show each strategy's expectations as tests. */
import { xmlEscape } from '../../lib/xml.ts';
import type { RunSummary } from '../model/run.ts';

/** XML text: markup escaped, and the control characters XML 1.0 cannot hold at all dropped. */
const escapeXml = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to drop
  xmlEscape(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));

const testcase = (classname: string, name: string, timeS: number, body: string): string =>
  `    <testcase classname="${escapeXml(classname)}" name="${escapeXml(name)}" time="${timeS}">${body}</testcase>`;

/** A failure for false, an error for undecided (null), nothing for a pass. */
function outcome(ok: boolean | null, detail: string, type?: string): string {
  if (ok === true) return '';
  const tag = ok === false ? 'failure' : 'error';
  const text = escapeXml(detail);
  return `<${tag}${type ? ` type="${type}"` : ''} message="${text}">${text}</${tag}>`;
}

/**
 * A strategy repeated N times gets one more testcase, its verdict over all repeats; FLAKY when the repeats
 * ended differently, as a failure of type "flaky" (a dashboard must not show it green).
 */
function repeatCases(summary: RunSummary, experiment: string): string[] {
  return (summary.aggregates ?? [])
    .filter((a) => a.experiment === experiment && a.repeats > 1)
    .map((a) => {
      const label = `${a.strategy}${a.appNodes === undefined ? '' : ` ×${a.appNodes}`}`;
      const verdicts = `repeats ended ${a.verdicts.join(', ')}`;
      const body = a.flaky
        ? outcome(false, `FLAKY: ${verdicts}`, 'flaky')
        : outcome(a.verdict === 'pass' ? true : a.verdict === 'fail' ? false : null, verdicts);
      return testcase(experiment, `${label}: over ${a.repeats} repeats${a.flaky ? ' (FLAKY)' : ''}`, 0, body);
    });
}

/**
 * JUnit XML: one suite per experiment, one testcase per strategy × expectation (unknown is an error), and
 * per repeated strategy its verdict over the repeats.
 */
export function junitXml(summary: RunSummary): string {
  const experiments = [...new Set(summary.results.map((r) => r.experiment))];
  const suites = experiments.map((experiment) => {
    const cases = summary.results
      .filter((r) => r.experiment === experiment)
      .flatMap((r) =>
        r.expectations.map((e) =>
          testcase(
            experiment,
            `${r.strategy}${r.repeat > 0 ? ` #${r.repeat}` : ''}: ${e.name}`,
            r.durationS,
            outcome(e.ok, e.detail),
          ),
        ),
      )
      .concat(repeatCases(summary, experiment));
    const count = (test: (line: string) => boolean): number => cases.filter(test).length;
    return [
      `  <testsuite name="${escapeXml(experiment)}" tests="${cases.length}" failures="${count((c) => c.includes('<failure'))}" errors="${count((c) => c.includes('<error'))}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="session-chaos">',
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

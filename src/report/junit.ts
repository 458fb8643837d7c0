import type { RunSummary } from '../model/run.ts';

/** XML text: markup escaped, and the control characters XML 1.0 cannot hold at all dropped. */
const escapeXml = (text: string): string =>
  text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to drop
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(
      /[<>&"']/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
    );

/** JUnit XML: one suite per experiment, one testcase per strategy × expectation; unknown is an error. */
export function junitXml(summary: RunSummary): string {
  const experiments = [...new Set(summary.results.map((r) => r.experiment))];
  const suites = experiments.map((experiment) => {
    const cases = summary.results
      .filter((r) => r.experiment === experiment)
      .flatMap((r) =>
        r.expectations.map((e) => {
          const name = escapeXml(`${r.strategy}${r.repeat > 0 ? ` #${r.repeat}` : ''}: ${e.name}`);
          const detail = escapeXml(e.detail);
          const body =
            e.ok === true
              ? ''
              : e.ok === false
                ? `<failure message="${detail}">${detail}</failure>`
                : `<error message="${detail}">${detail}</error>`;
          return `    <testcase classname="${escapeXml(experiment)}" name="${name}" time="${r.durationS}">${body}</testcase>`;
        }),
      );
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

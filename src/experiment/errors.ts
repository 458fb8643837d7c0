/** Bad experiment input: names the file, the field path, what was wrong and how to fix it. */
export class ExperimentError extends Error {
  constructor(
    readonly source: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${source}: ${path || '(experiment)'}: ${problem}`);
    this.name = 'ExperimentError';
  }
}

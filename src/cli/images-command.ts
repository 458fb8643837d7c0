/** The `images` command: builds the container images of the service kinds. */
import { findEngine, HOW_TO_GET_AN_ENGINE } from '../runtime/docker/engine.ts';
import { ensureImages, IMAGES, imageTag } from '../runtime/docker/images.ts';
import { InfrastructureError } from '../runtime/runtime.ts';
import { parse, UsageError } from './args.ts';

/**
 * `session-chaos images build [--base IMAGE] [--no-pull]`: builds the image of every service kind
 * (infra/containers/) whose inputs changed, on the engine `--runtime docker` uses; first tries to pull the
 * real Toxiproxy image.
 */
export async function imagesCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse(
    'images',
    argv,
    { base: { type: 'string' }, 'no-pull': { type: 'boolean' } },
    true,
  );
  if (positionals.length !== 1 || positionals[0] !== 'build')
    throw new UsageError('images: the one subcommand is build, e.g. session-chaos images build');
  const engine = await findEngine();
  if ('missing' in engine) throw new InfrastructureError(`${engine.missing}: ${HOW_TO_GET_AN_ENGINE}`);
  process.stderr.write(`engine: ${engine.product} at ${engine.address}\n`);
  const built = await ensureImages(engine.docker, {
    ...(values.base ? { base: values.base } : {}),
    pull: !values['no-pull'],
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const kept = IMAGES.filter((image) => !built.includes(image));
  process.stdout.write(
    `built: ${built.map(imageTag).join(', ') || 'none'}; up to date: ${kept.map(imageTag).join(', ') || 'none'}\n`,
  );
  return 0;
}

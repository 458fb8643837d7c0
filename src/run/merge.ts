/** Merging the shards of a matrix into one run folder, refusing shards that do not make one whole run. */
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type MatrixInfo, RUN_FILES, type RunInfo } from '../model/run.ts';
import { checkRun, type RunReport } from './check-run.ts';
import { readCaseRecords, readRunInfo, writeJson } from './run-folder.ts';

/** Shards that cannot make one run: they belong to different matrices, or one lacks its record. */
export class MergeRefused extends Error {
  override name = 'MergeRefused';
}

export interface ShardFolder {
  dir: string;
  info: RunInfo;
  /** The case folders it holds. */
  cases: string[];
}

const MATRIX_FIELDS: (keyof MatrixInfo)[] = [
  'seed',
  'profile',
  'runtime',
  'experiments',
  'strategies',
  'repeats',
  'app',
  'cases',
];

/** How many shards the matrix was cut into (1 for a run that was not sharded). */
const shardCount = (s: ShardFolder): number => s.info.shard?.count ?? 1;

/** The matrix every shard shares, or MergeRefused naming the first field that differs. */
function sharedMatrix(shards: ShardFolder[]): MatrixInfo {
  const [first, ...rest] = shards;
  if (!first) throw new MergeRefused('merge: give at least one run folder');
  const matrixOf = (s: ShardFolder): MatrixInfo => {
    if (s.info.matrix) return s.info.matrix;
    throw new MergeRefused(
      `${s.dir}: its run.json records no matrix (a run from before shards); run it again`,
    );
  };
  const matrix = matrixOf(first);
  for (const shard of rest) {
    const other = matrixOf(shard);
    const field = MATRIX_FIELDS.find((f) => JSON.stringify(other[f]) !== JSON.stringify(matrix[f]));
    if (field)
      throw new MergeRefused(
        `${shard.dir}: ${field} is ${JSON.stringify(other[field]).slice(0, 200)} but ${first.dir} has ${JSON.stringify(matrix[field]).slice(0, 200)}; shards of different matrices cannot be merged`,
      );
    if (shardCount(shard) !== shardCount(first))
      throw new MergeRefused(
        `${shard.dir}: shard of ${shardCount(shard)}, but ${first.dir} is a shard of ${shardCount(first)}`,
      );
  }
  return matrix;
}

/** Why the shards given are not the whole matrix: a shard missing or given twice, a case in two shards. */
export function mergeProblems(shards: ShardFolder[]): string[] {
  const count = shards[0] ? shardCount(shards[0]) : 1;
  const indexes = shards.map((s) => s.info.shard?.index ?? 1);
  const problems: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const given = indexes.filter((n) => n === i).length;
    if (given === 0) problems.push(`shard ${i} of ${count} is missing`);
    if (given > 1) problems.push(`shard ${i} of ${count} was given ${given} times`);
  }
  const seen = new Set<string>();
  const twice = shards.flatMap((s) => s.cases).filter((dir) => seen.has(dir) || !seen.add(dir));
  if (twice.length > 0)
    problems.push(
      `${twice.length} case(s) ran in more than one shard folder, the first kept: ${twice.slice(0, 5).join(', ')}`,
    );
  return problems;
}

/** The merged run.json: the whole matrix planned, the earliest start, the last end (null if a shard never ended). */
export function mergedInfo(shards: ShardFolder[], command: string): RunInfo {
  const matrix = sharedMatrix(shards);
  const infos = shards.map((s) => s.info);
  const ends = infos.map((i) => i.finishedAt);
  const problems = mergeProblems(shards);
  return {
    schema: 1,
    runtime: matrix.runtime,
    startedAt: infos.map((i) => i.startedAt).sort()[0] ?? '',
    finishedAt: ends.includes(null) ? null : ([...ends].sort().at(-1) ?? null),
    seed: matrix.seed,
    profile: matrix.profile,
    command,
    planned: matrix.cases,
    matrix,
    ...(infos.some((i) => i.interrupted) ? { interrupted: true } : {}),
    ...(problems.length > 0 ? { mergeProblems: problems } : {}),
  };
}

/** Reads a shard's run folder: its run.json and the case folders it holds. */
export function readShard(dir: string): ShardFolder {
  return { dir, info: readRunInfo(dir), cases: readCaseRecords(dir).map((r) => r.dir) };
}

/**
 * Builds one run folder `out` from shard run folders: their case folders copied in (the first of a case
 * given twice), run.json for the whole matrix, then the reports checked afresh from the histories.
 */
export async function mergeRuns(
  dirs: string[],
  out: string,
  extra: Pick<RunInfo, 'baseline' | 'history'>,
): Promise<RunReport> {
  const shards = dirs.map(readShard);
  const info = { ...mergedInfo(shards, `session-chaos merge ${dirs.join(' ')}`), ...extra };
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new MergeRefused(`--out ${out}: the folder is not empty; give a new folder for the merged run`);
  mkdirSync(out, { recursive: true });
  const copied = new Set<string>();
  for (const shard of shards)
    for (const dir of shard.cases.filter((d) => !copied.has(d))) {
      cpSync(join(shard.dir, dir), join(out, dir), { recursive: true });
      copied.add(dir);
    }
  writeJson(join(out, RUN_FILES.info), info);
  return checkRun(out);
}

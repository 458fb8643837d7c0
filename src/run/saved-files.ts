/**
 * Checks of the JSON files a run folder keeps, read back by `session-chaos report DIR`: they come from disk
 * and may be torn, edited or foreign. Each check throws a one-line reason; the value is returned as its
 * type only when the fields every reader relies on are there and sane.
 */
import { isAbsolute, normalize } from 'node:path';
import type { CaseRecord, CostRecord } from '../model/case.ts';
import type { RunInfo, RunSummary } from '../model/run.ts';

type Json = Record<string, unknown>;

/** No case runs for a week: a larger duration would only size arrays for nothing. */
const MAX_DURATION_S = 7 * 24 * 3600;

const object = (value: unknown, what: string): Json => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${what} is not an object`);
  return value as Json;
};

function field(json: Json, name: string, type: 'string' | 'number' | 'boolean'): void {
  if (typeof json[name] !== type)
    throw new Error(`${name} must be a ${type}, got ${JSON.stringify(json[name])}`);
}

export function checkCaseRecord(value: unknown): CaseRecord {
  const json = object(value, 'the case record');
  for (const name of ['experiment', 'strategy', 'dir', 'startedAt']) field(json, name, 'string');
  for (const name of ['repeat', 'durationS']) field(json, name, 'number');
  const durationS = json.durationS as number;
  if (!(durationS > 0 && durationS <= MAX_DURATION_S))
    throw new Error(`durationS must be between 0 and ${MAX_DURATION_S} s, got ${durationS}`);
  const dir = json.dir as string;
  if (isAbsolute(dir) || normalize(dir).split(/[\\/]/).includes('..'))
    throw new Error(`dir must be a folder inside the run folder, got ${JSON.stringify(dir)}`);
  if (!Array.isArray(json.nodes) || !json.nodes.every((n) => typeof n === 'string'))
    throw new Error('nodes must be a list of node ids');
  if (!Array.isArray(json.expectations)) throw new Error('expectations must be a list');
  if (json.timing !== undefined) checkTiming(json.timing);
  return json as unknown as CaseRecord;
}

const numbersIn = (json: Json): boolean => Object.values(json).every((v) => typeof v === 'number');

function checkTiming(value: unknown): void {
  const timing = object(value, 'timing');
  const lags = Object.values(object(timing.eventLoopLagMs, 'timing.eventLoopLagMs'));
  if (!numbersIn(object(timing.phasesS, 'timing.phasesS')) || !lags.every((l) => numbersIn(object(l, 'lag'))))
    throw new Error("timing must hold seconds per phase and each thread's event-loop lag in ms");
}

export function checkRunInfo(value: unknown): RunInfo {
  const json = object(value, 'the run record');
  for (const name of ['runtime', 'startedAt', 'profile', 'command']) field(json, name, 'string');
  field(json, 'seed', 'number');
  if (json.finishedAt !== null && typeof json.finishedAt !== 'string')
    throw new Error(`finishedAt must be a time or null, got ${JSON.stringify(json.finishedAt)}`);
  if (json.planned !== undefined) {
    const planned = json.planned;
    if (!Array.isArray(planned) || !planned.every((p) => typeof object(p, 'a planned case').dir === 'string'))
      throw new Error('planned must be a list of cases, each with its folder (dir)');
  }
  return json as unknown as RunInfo;
}

export function checkCostRecord(value: unknown): CostRecord {
  const json = object(value, 'the cost record');
  if (json.links !== null) object(json.links, 'links');
  const memory = object(json.memoryMb, 'memoryMb');
  for (const samples of Object.values(memory))
    if (!Array.isArray(samples) || !samples.every((s) => typeof s === 'number'))
      throw new Error('memoryMb must map each node to a list of numbers');
  return json as unknown as CostRecord;
}

/** An earlier run's summary.json, as a baseline or a trend point: its cases and their aggregates. */
export function checkRunSummary(value: unknown): RunSummary {
  const json = object(value, 'the run summary');
  field(json, 'startedAt', 'string');
  if (!Array.isArray(json.results) || !Array.isArray(json.aggregates))
    throw new Error('results and aggregates must be lists (is it a summary.json of session-chaos?)');
  for (const a of json.aggregates) {
    const aggregate = object(a, 'an aggregate');
    for (const name of ['experiment', 'strategy', 'verdict']) field(aggregate, name, 'string');
    object(aggregate.metrics, "an aggregate's metrics");
  }
  return json as unknown as RunSummary;
}

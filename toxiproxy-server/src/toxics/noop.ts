/** The `noop` toxic: a stream left as it is. */
import { NoopStage, type ToxicKind } from './stage.ts';

/** Does nothing to the data: the real server registers it too (a toxic to test a client with). */
export const noop: ToxicKind = {
  goName: 'NoopToxic',
  goInt: 'int64',
  attributes: [],
  closesOnRemove: false,
  create: (_attrs, _state, next, ctx) => new NoopStage(next, ctx),
};

/**
 * Outer limits for waiting on events. Tests wait for the event they need and
 * the limit only ends a wait that will never succeed, so it is generous: the
 * shared CI machine can be several times slower than a quiet one. Scaled by
 * TEST_WAIT_FACTOR (default 4); vitest's test timeout is set to match.
 */
const FACTOR = Number(process.env.TEST_WAIT_FACTOR) > 0 ? Number(process.env.TEST_WAIT_FACTOR) : 4;

export const outerLimit = (ms: number) => Math.round(ms * FACTOR);

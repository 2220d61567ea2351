// Errors the lab runtime shows to learners. Each message names the offending option, metric or
// threshold, so the learner can fix the script without reading a stack trace.

/** A script `options` value that k6 itself would refuse (or that the simulator cannot run). */
export class K6OptionError extends Error {
  override readonly name = 'K6OptionError';
}

/** A custom metric definition or sample that k6 would refuse. */
export class K6MetricError extends Error {
  override readonly name = 'K6MetricError';
}

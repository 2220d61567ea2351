// The PromQL engine's public contract: what the TSDB stores, what a query returns, how it fails.
// Every other part of the SLO lab (promqltest runner, rules, quality gates, graders, workbench, exam
// items) codes against these types; the engine's modules implement them.

/** A series' identity: label name → value, `__name__` included. Never empty values. */
export type Labels = Readonly<Record<string, string>>;

/** One value of an instant vector: the series' labels and a sample at `t` (ms since the epoch). */
export interface VectorSample {
  metric: Labels;
  t: number;
  v: number;
}

/** One series of a range vector or of a range query: timestamps (ms) and values, same length. */
export interface MatrixSeries {
  metric: Labels;
  t: number[];
  v: number[];
}

/** The value of a query, in the shape of Prometheus's HTTP API (`resultType`), timestamps in ms. */
export type QueryValue =
  | { resultType: 'vector'; result: VectorSample[] }
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'scalar'; t: number; v: number }
  | { resultType: 'string'; t: number; v: string };

export type PromQLErrorKind =
  /** The text does not parse (line and column point at the problem). */
  | 'parse'
  /** It parses but is not a valid query (type errors, bad arguments, invalid regex…). */
  | 'bad_data'
  /** Evaluation failed (e.g. many-to-many matching, duplicate series). */
  | 'execution'
  /** The query would load more samples than `maxSamples`. */
  | 'too_many_samples'
  /** The query ran past its deadline. */
  | 'timeout'
  /** A feature declared out of scope (native histograms). */
  | 'unsupported';

export interface PromQLError {
  kind: PromQLErrorKind;
  /** Prometheus-like wording, e.g. `parse error: unexpected right parenthesis ')'`. */
  message: string;
  /** 1-based position in the query text, when the error has one. */
  line?: number;
  column?: number;
}

export interface QueryStats {
  /** Samples loaded from the TSDB while evaluating (what `maxSamples` bounds). */
  samples: number;
}

export type QueryResult = { ok: true; value: QueryValue; stats: QueryStats } | { ok: false; error: PromQLError };

export interface QueryOptions {
  /** Default 5 minutes, as Prometheus's `--query.lookback-delta`. */
  lookbackDeltaMs?: number;
  /** Default 50,000,000, as Prometheus's `--query.max-samples`. */
  maxSamples?: number;
  /** Wall-clock budget in ms (default 10,000); checked while evaluating. */
  timeoutMs?: number;
  /** Clock for the deadline; injectable for tests. Default `performance.now`. */
  now?: () => number;
}

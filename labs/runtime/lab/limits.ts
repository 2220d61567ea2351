// Bounds on what a learner's query may cost in a lab, like Prometheus's --query.max-samples
// (50 M by default) and --query.timeout: smaller here, since the lab runs in a browser tab.

/** Samples one query may load. */
export const LAB_MAX_SAMPLES = 20_000_000;
/** Wall-clock budget of one query, ms. */
export const LAB_QUERY_TIMEOUT_MS = 10_000;

/**
 * Samples one rule may load over a whole rules evaluation: the rule runs as one range query over
 * the telemetry (43,200 steps for 30 days at 1m), where Prometheus bounds each evaluation alone.
 * The deadline still bounds the time.
 */
export const LAB_RULE_MAX_SAMPLES = 200_000_000;

/** Wall-clock budget of one rule's 30-day range query (a slower server must not time out first). */
export const LAB_RULE_TIMEOUT_MS = 30_000;

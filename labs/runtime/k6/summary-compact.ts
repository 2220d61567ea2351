// k6's current end-of-test summary layout (`--summary-mode compact`, k6's default since v1.0,
// and `full`): a THRESHOLDS section, then TOTAL RESULTS with the checks as checks_total /
// checks_succeeded / checks_failed and the metrics grouped as CUSTOM, HTTP, EXECUTION and
// NETWORK. Compact shows the main metrics of each group; full shows them all.
import { humanizeValue, type SummaryCheck, type SummaryData, type SummaryGroup, type SummaryMetric } from './summary.ts';

const SUCCESS = '✓';
const FAIL = '✗';
const HTTP_COMPACT = ['http_req_duration', 'http_req_failed', 'http_reqs'];
const EXECUTION = ['dropped_iterations', 'iteration_duration', 'iterations', 'vus', 'vus_max'];
const NETWORK = ['data_received', 'data_sent'];

type Line = { name: string; metric: SummaryMetric; sub: boolean };

function parentOf(name: string): string {
  return name.split('{', 1)[0] ?? name;
}

function flattenChecks(group: SummaryGroup): SummaryCheck[] {
  return [...group.checks, ...group.groups.flatMap(flattenChecks)];
}

function rateText(metric: SummaryMetric): string {
  return humanizeValue(metric.values['rate'] ?? 0, metric);
}

function valueColumns(metric: SummaryMetric, stats: readonly string[], timeUnit: string, seconds: number): string[] {
  const v = metric.values;
  switch (metric.type) {
    case 'trend':
      return stats.map((stat) => `${stat}=${stat === 'count' ? String(v[stat] ?? 0) : humanizeValue(v[stat] ?? 0, metric, timeUnit)}`);
    case 'rate': {
      const passes = v['passes'] ?? 0;
      const total = passes + (v['fails'] ?? 0);
      return [rateText(metric), `${passes} out of ${total}`];
    }
    case 'counter':
      return [
        humanizeValue(v['count'] ?? 0, metric, timeUnit),
        `${humanizeValue(seconds > 0 ? (v['count'] ?? 0) / seconds : 0, metric, timeUnit)}/s`,
      ];
    case 'gauge':
      return [
        humanizeValue(v['value'] ?? 0, metric, timeUnit),
        `min=${humanizeValue(v['min'] ?? 0, metric, timeUnit)}`,
        `max=${humanizeValue(v['max'] ?? 0, metric, timeUnit)}`,
      ];
  }
}

function renderLines(lines: Line[], data: SummaryData, width: number): string[] {
  const seconds = data.state.testRunDurationMs / 1000;
  const columns = lines.map((line) => valueColumns(line.metric, data.options.summaryTrendStats, data.options.summaryTimeUnit, seconds));
  const widths: number[] = [];
  columns.forEach((cols, i) => {
    if (lines[i]?.metric.type === 'trend') return;
    cols.forEach((col, c) => {
      widths[c] = Math.max(widths[c] ?? 0, [...col].length);
    });
  });
  const trendWidths: number[] = [];
  columns.forEach((cols, i) => {
    if (lines[i]?.metric.type !== 'trend') return;
    cols.forEach((col, c) => {
      trendWidths[c] = Math.max(trendWidths[c] ?? 0, [...col].length);
    });
  });
  return lines.map((line, i) => {
    const shown = line.sub ? `  { ${line.name.slice(parentOf(line.name).length + 1, -1)} }` : line.name;
    const dots = '.'.repeat(Math.max(1, width - [...shown].length + 3));
    const cols = columns[i] ?? [];
    const pads = line.metric.type === 'trend' ? trendWidths : widths;
    const data = cols.map((col, c) => (c === cols.length - 1 ? col : col + ' '.repeat((pads[c] ?? 0) - [...col].length))).join(' ');
    return `    ${shown}${dots}: ${data}`;
  });
}

/** The text k6 prints at the end of a run in the compact (default) or full summary mode. */
export function compactSummary(data: SummaryData, mode: 'compact' | 'full' = 'compact'): string {
  const out: string[] = [''];
  const names = Object.keys(data.metrics).sort();
  const withThresholds = names.filter((name) => Object.keys(data.metrics[name]?.thresholds ?? {}).length > 0);
  if (withThresholds.length > 0) {
    out.push('  █ THRESHOLDS ', '');
    for (const name of withThresholds) {
      const metric = data.metrics[name] as SummaryMetric;
      const sub = name.includes('{') && data.metrics[parentOf(name)] !== undefined && withThresholds.includes(parentOf(name));
      const indent = sub ? '      ' : '    ';
      out.push(`${indent}${sub ? name.slice(parentOf(name).length) : name}`);
      for (const [source, result] of Object.entries(metric.thresholds ?? {})) {
        const aggregate = source.split(/[=><!]/)[0]?.trim() ?? '';
        const value =
          metric.type === 'trend'
            ? humanizeValue(metric.values[aggregate] ?? 0, metric, data.options.summaryTimeUnit)
            : metric.type === 'counter' && aggregate === 'rate'
              ? `${humanizeValue((metric.values['count'] ?? 0) / Math.max(1e-9, data.state.testRunDurationMs / 1000), metric)}/s`
              : metric.type === 'rate'
                ? rateText(metric)
                : humanizeValue(metric.values[aggregate === 'count' ? 'count' : 'value'] ?? 0, metric, data.options.summaryTimeUnit);
        out.push(`${indent}${result.ok ? SUCCESS : FAIL} '${source}' ${aggregate}=${value}`);
      }
      out.push('');
    }
    out.push('');
  }

  out.push('  █ TOTAL RESULTS ', '');
  const checks = flattenChecks(data.root_group);
  const sections: [string, Line[]][] = [];
  const lineFor = (name: string): Line => ({ name, metric: data.metrics[name] as SummaryMetric, sub: name.includes('{') });
  const inSection = (filter: (parent: string) => boolean) =>
    names
      .filter(
        (name) =>
          filter(parentOf(name)) &&
          (mode === 'full' || !name.includes('{') || withThresholds.includes(name) || name === 'http_req_duration{expected_response:true}'),
      )
      .map(lineFor);
  const builtin = new Set([...EXECUTION, ...NETWORK, 'checks']);
  sections.push(['CUSTOM', inSection((p) => !p.startsWith('http_req') && p !== 'http_reqs' && !builtin.has(p) && p !== 'group_duration')]);
  sections.push(['HTTP', inSection((p) => (mode === 'full' ? p.startsWith('http_req') || p === 'http_reqs' : HTTP_COMPACT.includes(p)))]);
  sections.push(['EXECUTION', inSection((p) => EXECUTION.includes(p) || (mode === 'full' && p === 'group_duration'))]);
  sections.push(['NETWORK', inSection((p) => NETWORK.includes(p))]);

  let checkLines: Line[] = [];
  if (checks.length > 0) {
    const passes = checks.reduce((sum, c) => sum + c.passes, 0);
    const fails = checks.reduce((sum, c) => sum + c.fails, 0);
    const total = passes + fails;
    const rate = (value: number): SummaryMetric => ({
      type: 'rate',
      contains: 'default',
      values: { rate: total > 0 ? value / total : 0, passes: value, fails: total - value },
    });
    checkLines = [
      { name: 'checks_total', metric: { type: 'counter', contains: 'default', values: { count: total } }, sub: false },
      { name: 'checks_succeeded', metric: rate(passes), sub: false },
      { name: 'checks_failed', metric: rate(fails), sub: false },
    ];
  }
  const all = [...checkLines, ...sections.flatMap(([, lines]) => lines)];
  const width = Math.max(
    0,
    ...all.map((line) => [...(line.sub ? `  { ${line.name.slice(parentOf(line.name).length + 1, -1)} }` : line.name)].length),
  );
  if (checks.length > 0) {
    out.push(...renderLines(checkLines, data, width), '');
    for (const check of checks) {
      if (check.fails === 0) out.push(`    ${SUCCESS} ${check.name}`);
      else {
        const percent = Math.floor((100 * check.passes) / (check.passes + check.fails));
        out.push(`    ${FAIL} ${check.name}`, `      ↳  ${percent}% — ${SUCCESS} ${check.passes} / ${FAIL} ${check.fails}`);
      }
    }
    out.push('');
  }
  for (const [title, lines] of sections) {
    if (lines.length === 0) continue;
    out.push(`    ${title}`, ...renderLines(lines, data, width), '');
  }
  return `${out.join('\n')}\n`;
}

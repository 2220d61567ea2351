import { describe, expect, it } from 'vitest';
import { checkAlertTemplate, parseAlertTemplate, type TemplateData } from './template.ts';

const data = (value: number, labels: Record<string, string> = { __name__: 'x', job: 'api' }): TemplateData => ({
  labels,
  externalLabels: { cluster: 'eu1' },
  externalURL: 'http://prom.example',
  value,
});

const expand = (text: string, value: number) => parseAlertTemplate(text, 'A').expand(data(value));

// Expected strings below were printed by promtool 2.42 for the same templates and values.
const FUNCTIONS =
  '{{ $value }}|{{ humanize $value }}|{{ humanize1024 $value }}|{{ humanizePercentage $value }}|{{ humanizeDuration $value }}|{{ printf "%.2f" $value }}|{{ .Value }}|{{ $labels.job }}|{{ .Labels.job }}|{{ $externalLabels.cluster }}|{{ $externalURL }}|{{ $value | humanize }}';
const MORE =
  '{{ humanizeDuration 3661 }}|{{ humanizeTimestamp $value }}|{{ $labels }}|{{ toUpper "ab" }}|{{ title "hello world" }}|{{ if gt $value 10.0 }}big{{ else }}small{{ end }}|{{ printf "%d" 3 }}|{{ printf "%s=%v" "a" $value }}|{{ $labels.__name__ }}';

describe('alert templates', () => {
  it('formats values and humanizes them exactly as Prometheus 2.42 does', () => {
    expect(expand(FUNCTIONS, 1234567.891)).toBe(
      '1.234567891e+06|1.235M|1.177Mi|1.235e+08%|14d 6h 56m 7s|1234567.89|1.234567891e+06|api|api|eu1|http://prom.example|1.235M',
    );
    expect(expand(FUNCTIONS, 0.0123)).toBe('0.0123|12.3m|0.0123|1.23%|12.3ms|0.01|0.0123|api|api|eu1|http://prom.example|12.3m');
    expect(expand(FUNCTIONS, 1e-7)).toBe('1e-07|100n|1e-07|1e-05%|100ns|0.00|1e-07|api|api|eu1|http://prom.example|100n');
    expect(expand(FUNCTIONS, Number.POSITIVE_INFINITY)).toBe('+Inf|+Inf|+Inf|+Inf%|+Inf|+Inf|+Inf|api|api|eu1|http://prom.example|+Inf');
    expect(expand(FUNCTIONS, 86400.5)).toBe(
      '86400.5|86.4k|84.38ki|8.64e+06%|1d 0h 0m 0s|86400.50|86400.5|api|api|eu1|http://prom.example|86.4k',
    );
  });

  it('runs conditionals, maps, timestamps and printf verbs like Go', () => {
    expect(expand(MORE, 1234567.891)).toBe(
      '1h 1m 1s|1970-01-15 06:56:07.891 +0000 UTC|map[__name__:x job:api]|AB|Hello World|big|3|a=1.234567891e+06|x',
    );
    expect(expand(MORE, 0.0123)).toBe(
      '1h 1m 1s|1970-01-01 00:00:00.012 +0000 UTC|map[__name__:x job:api]|AB|Hello World|small|3|a=0.0123|x',
    );
  });

  it('prints an empty string for a missing label and ranges over labels in key order', () => {
    const text =
      '{{ $labels.nope }}|{{ .Labels.nope }}|{{ index $labels "job" }}{{ with $labels.job }}W{{ . }}{{ end }}{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}';
    expect(expand(text, 1)).toBe('||apiWapi__name__=x;job=api;');
  });

  it('reports an execution error inside the value, with the column Prometheus reports', () => {
    expect(expand('{{ gt $value 10 }}', 1)).toBe(
      '<error expanding template: error executing template __alert_A: template: __alert_A:1:115: executing "__alert_A" at <gt $value 10>: error calling gt: incompatible types for comparison>',
    );
  });

  it('trims spaces around {{- and -}} and skips comments', () => {
    expect(expand('a  {{- "b" -}}  c{{/* note */}}', 0)).toBe('abc');
  });

  it('supports else if chains, variables and parenthesised pipelines', () => {
    const t =
      '{{ $v := $value }}{{ if lt $v 1.0 }}low{{ else if lt $v 10.0 }}mid{{ else }}high{{ end }} {{ (printf "%.1f" $v) | toUpper }}';
    expect(expand(t, 0.5)).toBe('low 0.5');
    expect(expand(t, 5)).toBe('mid 5.0');
    expect(expand(t, 50)).toBe('high 50.0');
  });

  it('rejects syntax errors with the message promtool check rules prints', () => {
    expect(checkAlertTemplate('{{ gt $value 10 ', 'A')).toBe('template: __alert_A:1: unclosed action');
    expect(checkAlertTemplate('{{ if true }}x', 'A')).toMatch(/unexpected EOF/);
    expect(checkAlertTemplate('{{ nosuch 1 }}', 'A')).toBe('template: __alert_A:1: function "nosuch" not defined');
  });

  it('names the constructs it does not support instead of mis-evaluating them', () => {
    expect(checkAlertTemplate('{{ query "up" }}', 'A')).toMatch(/function "query" is not supported .*PromQL/);
    expect(checkAlertTemplate('{{ define "x" }}y{{ end }}', 'A')).toMatch(/\{\{define\}\} is not supported/);
  });

  it('runs the string, time and regex helpers as Prometheus 2.42 does', () => {
    const t =
      '{{ toTime 1.5 }}|{{ parseDuration "1m30s" }}|{{ stripDomain "a.b.c:9090" }}|{{ stripDomain "host" }}|{{ stripPort "h:1" }}|{{ reReplaceAll "(a+)" "<$1>" "baab" }}|{{ match "^b" "bc" }}|{{ humanize "1234" }}|{{ toTime $value }}';
    expect(expand(t, 1)).toBe('1970-01-01 00:00:01.5 +0000 UTC|90|a:9090|host|h|b<aa>b|true|1.234k|1970-01-01 00:00:01 +0000 UTC');
  });

  it("reproduces Go's quirks: strings.Title after an apostrophe, -0, byte length, print spacing", () => {
    const t =
      '{{ title "don\'t stop-me now_x é" }}|{{ printf "%5.1f|%-6s|%x|%q|%t|%e|%g|%v" 3.14159 "ab" 255 "q" true 1234.5678 0.000012345 -0.0 }}|{{ humanize -1500 }}|{{ humanizePercentage 0.5 }}|{{ len "héllo" }}|{{ print 1 2 "a" 3 }}';
    expect(expand(t, 0)).toBe('Don\'T Stop-Me Now_x É|  3.1|ab    |ff|"q"|true|1.234568e+03|1.2345e-05|-0|-1.5k|50%|6|1 2a3');
  });

  it('passes plain text through untouched', () => {
    expect(expand('page', 1)).toBe('page');
  });
});

// The engine's typed AST, produced from lezer-promql's syntax tree by parse.ts. `from`/`to` are
// offsets into the query text, for error positions.

import type { CompiledRegex } from './regex.ts';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** `@` modifier: a timestamp in ms, or the query's start/end. */
export type AtModifier = number | 'start' | 'end' | null;

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
  regex: CompiledRegex | null;
}

interface Node {
  from: number;
  to: number;
}

export interface NumberLiteral extends Node {
  kind: 'number';
  value: number;
}

export interface StringLiteral extends Node {
  kind: 'string';
  value: string;
}

export interface VectorSelector extends Node {
  kind: 'vector_selector';
  /** The metric name written before the braces, if any (also present as a matcher). */
  name: string | null;
  matchers: LabelMatcher[];
  offsetMs: number;
  at: AtModifier;
}

export interface MatrixSelector extends Node {
  kind: 'matrix_selector';
  selector: VectorSelector;
  rangeMs: number;
}

export interface Subquery extends Node {
  kind: 'subquery';
  expr: Expr;
  rangeMs: number;
  /** null: the default (the range query's step, or the 1 m evaluation interval). */
  stepMs: number | null;
  offsetMs: number;
  at: AtModifier;
}

export interface Call extends Node {
  kind: 'call';
  func: string;
  args: Expr[];
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';

export interface Aggregate extends Node {
  kind: 'aggregate';
  op: AggregateOp;
  param: Expr | null;
  expr: Expr;
  grouping: string[];
  without: boolean;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface VectorMatching {
  card: Cardinality;
  /** true: `on(labels)`; false: `ignoring(labels)` (or no clause, labels empty). */
  on: boolean;
  labels: string[];
  /** Labels named in `group_left(…)`/`group_right(…)`. */
  include: string[];
}

export interface Binary extends Node {
  kind: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  bool: boolean;
  /** Set when both sides are instant vectors. */
  matching: VectorMatching | null;
}

export interface Unary extends Node {
  kind: 'unary';
  op: '-' | '+';
  expr: Expr;
}

export interface Paren extends Node {
  kind: 'paren';
  expr: Expr;
}

export type Expr = NumberLiteral | StringLiteral | VectorSelector | MatrixSelector | Subquery | Call | Aggregate | Binary | Unary | Paren;

export function isComparison(op: BinaryOp): op is ComparisonOp {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

export function isSetOp(op: BinaryOp): op is SetOp {
  return op === 'and' || op === 'or' || op === 'unless';
}

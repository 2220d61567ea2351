// Errors raised inside the engine. Everything public returns `{ ok: false, error }`; internally the
// evaluator throws `QueryError` so that deep recursion can stop at once, and the entry points turn it
// (and anything unexpected) into a `PromQLError`.

import type { PromQLError, PromQLErrorKind } from './types.ts';

export class QueryError extends Error {
  readonly kind: PromQLErrorKind;
  /** Offset into the query text (0-based), when the error has a position. */
  readonly offset: number | undefined;

  constructor(kind: PromQLErrorKind, message: string, offset?: number) {
    super(message);
    this.name = 'QueryError';
    this.kind = kind;
    this.offset = offset;
  }
}

/** 1-based line and column of a 0-based offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Turns whatever was thrown while parsing or evaluating `text` into a public error. */
export function toPromQLError(text: string, thrown: unknown): PromQLError {
  if (thrown instanceof QueryError) {
    const error: PromQLError = { kind: thrown.kind, message: thrown.message };
    if (thrown.offset !== undefined) Object.assign(error, lineColumn(text, thrown.offset));
    return error;
  }
  if (thrown instanceof RangeError) {
    // Stack overflow or an array too large to allocate: the query is too big for this engine.
    return { kind: 'execution', message: `query too complex to evaluate: ${thrown.message}` };
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { kind: 'execution', message: `internal error: ${message}` };
}

export function parseError(message: string, offset: number): QueryError {
  return new QueryError('parse', `parse error: ${message}`, offset);
}

export function badData(message: string, offset?: number): QueryError {
  return new QueryError('bad_data', message, offset);
}

export function executionError(message: string): QueryError {
  return new QueryError('execution', message);
}

// Label-matcher regexes with Prometheus's semantics: RE2 syntax (linear time, so no regex bombs),
// fully anchored, and `.` matching `\n` as in Prometheus 3 (`(?s)`).

import { RE2JS } from 're2js';
import { badData } from './errors.ts';

export interface CompiledRegex {
  source: string;
  test(value: string): boolean;
}

const cache = new Map<string, CompiledRegex>();
const CACHE_LIMIT = 500;

/** Compiles `source` as Prometheus compiles a matcher regex, or throws a bad_data error. */
export function compileAnchoredRegex(source: string, offset?: number): CompiledRegex {
  const cached = cache.get(source);
  if (cached) return cached;
  let re: RE2JS;
  try {
    // Compiled alone first so that RE2's message quotes the learner's text, not our anchoring.
    RE2JS.compile(source);
    re = RE2JS.compile(`^(?s:${source})$`);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw badData(`invalid regular expression ${JSON.stringify(source)}: ${detail}`, offset);
  }
  const literal = /^[A-Za-z0-9_:\- ]*$/.test(source) ? source : null;
  const compiled: CompiledRegex = {
    source,
    test: literal !== null ? (value) => value === literal : (value) => re.matches(value),
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

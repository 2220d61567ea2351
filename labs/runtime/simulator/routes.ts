// Matches a request's method and URL to an endpoint, the way a typical web framework routes:
// exact paths first, then `:param` patterns in the order the service lists them.
import type { Endpoint } from './service.ts';

interface Pattern {
  /** Literal segments, with null where a `:param` matches any non-empty segment. */
  segments: (string | null)[];
  index: number;
}

const SLASH = 47;
const QUESTION = 63;
const HASH = 35;

/**
 * The path of a URL, absolute (`http://shop.test/api/x?y=1`) or not (`/api/x`), without query or
 * fragment, and without one trailing slash (frameworks route `/a/` like `/a` by default).
 */
export function extractPath(url: string): string {
  let start = 0;
  if (url.charCodeAt(0) !== SLASH) {
    const scheme = url.indexOf('://');
    if (scheme >= 0) {
      start = url.length;
      for (let i = scheme + 3; i < url.length; i++) {
        const code = url.charCodeAt(i);
        if (code === SLASH || code === QUESTION || code === HASH) {
          start = i;
          break;
        }
      }
      if (start === url.length || url.charCodeAt(start) !== SLASH) return '/';
    }
  }
  let end = url.length;
  for (let i = start; i < end; i++) {
    const code = url.charCodeAt(i);
    if (code === QUESTION || code === HASH) end = i;
  }
  if (end - start > 1 && url.charCodeAt(end - 1) === SLASH) end--;
  return start === 0 && end === url.length ? url : url.slice(start, end);
}

export class Router {
  // Keyed by method, so lookups never depend on object key order.
  readonly #exact = new Map<string, Map<string, number>>();
  readonly #patterns = new Map<string, Pattern[]>();

  constructor(endpoints: readonly Endpoint[]) {
    endpoints.forEach((endpoint, index) => {
      if (endpoint.path.includes('/:')) {
        const segments = endpoint.path
          .slice(1)
          .split('/')
          .map((segment) => (segment.startsWith(':') ? null : segment));
        const patterns = this.#patterns.get(endpoint.method) ?? [];
        patterns.push({ segments, index });
        this.#patterns.set(endpoint.method, patterns);
      } else {
        const paths = this.#exact.get(endpoint.method) ?? new Map<string, number>();
        paths.set(endpoint.path, index);
        this.#exact.set(endpoint.method, paths);
      }
    });
  }

  /** The index of the matching endpoint, or -1. Methods are compared case-insensitively. */
  match(method: string, url: string): number {
    const upper = this.#exact.has(method) || this.#patterns.has(method) ? method : method.toUpperCase();
    const path = extractPath(url);
    const exact = this.#exact.get(upper)?.get(path);
    if (exact !== undefined) return exact;
    const patterns = this.#patterns.get(upper);
    if (patterns === undefined || path.length < 2) return -1;
    const segments = path.slice(1).split('/');
    for (const pattern of patterns) {
      if (matchesSegments(pattern.segments, segments)) return pattern.index;
    }
    return -1;
  }
}

function matchesSegments(pattern: readonly (string | null)[], segments: readonly string[]): boolean {
  if (pattern.length !== segments.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const literal = pattern[i];
    const segment = segments[i];
    if (segment === undefined || segment === '') return false;
    if (literal !== null && literal !== segment) return false;
  }
  return true;
}

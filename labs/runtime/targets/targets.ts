// Built-in targets addressed by host name, as k6 scripts address real services (service model 2,
// ADR 017). Each target is a simulated service with its own worker pool and queue; a host that no
// target serves does not resolve, and the request fails the way k6 reports a DNS failure.
import type { Responder } from '../http/message.ts';
import { createRandom, type Random } from '../simulator/random.ts';
import type { Service } from '../simulator/service.ts';
import { ServiceSimulator } from '../simulator/simulator.ts';

export interface Target {
  /** Host names it answers, lower case, optionally with a port (`localhost:8080`). */
  hosts: readonly string[];
  service: Service;
  /** Answers with content (status, headers, body); without one the service answers by path as in model 1. */
  responder?: Responder;
}

export interface RoutedTarget {
  simulator: ServiceSimulator;
  responder: Responder | null;
  /** The responder's own draws (ids, tokens, choices), separate from the simulator's. */
  random: Random;
}

/** k6's error code and message for a host that does not resolve (lib/netext/httpext). */
export const DNS_NO_SUCH_HOST = { code: 1101, message: 'lookup: no such host' } as const;
/**
 * Time a failed lookup blocks the VU: an NXDOMAIN answer from the local resolver. k6 reports it
 * as http_req_blocked; nothing is sent, so the request's duration is 0.
 */
export const DNS_FAILURE_MS = 2;

const SLASH = 47;
const QUESTION = 63;
const HASH = 35;

/** The authority of an absolute URL in lower case (`Shop.test:80` → `shop.test:80`), or '' if there is none. */
export function hostOf(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme < 0) return '';
  let end = url.length;
  for (let i = scheme + 3; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code === SLASH || code === QUESTION || code === HASH) {
      end = i;
      break;
    }
  }
  const authority = url.slice(scheme + 3, end);
  const at = authority.lastIndexOf('@');
  return (at >= 0 ? authority.slice(at + 1) : authority).toLowerCase();
}

/** Finds the simulator serving a URL's host: `host:port` first, then the host name alone. */
export class TargetRouter {
  readonly #byHost = new Map<string, RoutedTarget>();
  readonly #lastHost = { host: '', routed: null as RoutedTarget | null };

  /** A host listed by two targets belongs to the first; the first target keeps `seed` itself. */
  constructor(targets: readonly Target[], seed: number) {
    targets.forEach((target, index) => {
      const simulator = new ServiceSimulator(target.service, index === 0 ? seed : (seed ^ (0x9e3779b9 * (index + 1))) >>> 0);
      const routed = { simulator, responder: target.responder ?? null, random: createRandom((seed ^ (0x85ebca6b * (index + 7))) >>> 0) };
      for (const host of target.hosts) if (!this.#byHost.has(host.toLowerCase())) this.#byHost.set(host.toLowerCase(), routed);
    });
  }

  route(url: string): RoutedTarget | null {
    const host = hostOf(url);
    // Scripts mostly hit one host over and over.
    if (host === this.#lastHost.host) return this.#lastHost.routed;
    let routed = this.#byHost.get(host) ?? null;
    if (routed === null) {
      const colon = host.lastIndexOf(':');
      if (colon > 0 && !host.endsWith(']')) routed = this.#byHost.get(host.slice(0, colon)) ?? null;
    }
    this.#lastHost.host = host;
    this.#lastHost.routed = routed;
    return routed;
  }
}

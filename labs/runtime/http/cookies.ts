// A VU's cookie jar, as k6 keeps one per VU and clears it when each iteration starts: cookies
// from Set-Cookie headers (RFC 6265 domain and path matching, Max-Age and Expires against the
// virtual clock), sent back in a Cookie header to matching requests.

export interface Cookie {
  name: string;
  value: string;
  /** Lower case, without a leading dot. */
  domain: string;
  /** Only the exact host when the cookie had no Domain attribute. */
  hostOnly: boolean;
  path: string;
  /** Virtual ms at which the cookie expires; Infinity for a session cookie. */
  expires: number;
  secure: boolean;
  httpOnly: boolean;
}

/** The shape of a cookie in k6's `res.cookies[name]` list. */
export interface ResponseCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  http_only: boolean;
  secure: boolean;
  max_age: number;
  expires: number;
}

export interface UrlParts {
  scheme: string;
  host: string;
  path: string;
}

/** Scheme, host name (no port, lower case) and path of an absolute URL. */
export function urlParts(url: string): UrlParts {
  const scheme = url.slice(0, Math.max(0, url.indexOf('://'))).toLowerCase();
  const rest = url.slice(scheme.length + 3);
  const cut = rest.search(/[/?#]/);
  const authority = cut < 0 ? rest : rest.slice(0, cut);
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : (hostPort.split(':')[0] ?? '');
  let path = cut < 0 || rest[cut] !== '/' ? '/' : rest.slice(cut);
  path = path.split(/[?#]/)[0] ?? '/';
  return { scheme, host, path: path === '' ? '/' : path };
}

function defaultPath(requestPath: string): string {
  const slash = requestPath.lastIndexOf('/');
  return slash <= 0 ? '/' : requestPath.slice(0, slash);
}

function domainMatches(cookie: Cookie, host: string): boolean {
  if (cookie.hostOnly) return host === cookie.domain;
  return host === cookie.domain || host.endsWith(`.${cookie.domain}`);
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}

/**
 * Parses one Set-Cookie header sent in answer to `url` at virtual time `now`; null if it is not
 * a cookie the client may store (no name, or a Domain the host is not part of).
 */
export function parseSetCookie(header: string, url: string, now: number): Cookie | null {
  const [pair = '', ...attributes] = header.split(';');
  const equals = pair.indexOf('=');
  if (equals <= 0) return null;
  const { host, path } = urlParts(url);
  const cookie: Cookie = {
    name: pair.slice(0, equals).trim(),
    value: pair.slice(equals + 1).trim(),
    domain: host,
    hostOnly: true,
    path: defaultPath(path),
    expires: Number.POSITIVE_INFINITY,
    secure: false,
    httpOnly: false,
  };
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const cut = attribute.indexOf('=');
    const key = (cut < 0 ? attribute : attribute.slice(0, cut)).trim().toLowerCase();
    const value = cut < 0 ? '' : attribute.slice(cut + 1).trim();
    if (key === 'domain' && value !== '') {
      const domain = value.replace(/^\./, '').toLowerCase();
      if (host !== domain && !host.endsWith(`.${domain}`)) return null;
      cookie.domain = domain;
      cookie.hostOnly = false;
    } else if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'max-age' && /^-?\d+$/.test(value)) {
      maxAgeSeen = true;
      const seconds = Number(value);
      cookie.expires = seconds <= 0 ? Number.NEGATIVE_INFINITY : now + seconds * 1000;
    } else if (key === 'expires' && !maxAgeSeen) {
      const at = Date.parse(value);
      // Expiry dates are wall-clock; only a date in the past (deletion) matters in virtual time.
      if (Number.isFinite(at) && at < Date.UTC(2000, 0, 1)) cookie.expires = Number.NEGATIVE_INFINITY;
    } else if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
  }
  return cookie;
}

export class CookieJar {
  #cookies: Cookie[] = [];

  clear(): void {
    this.#cookies = [];
  }

  /** Stores (or, when expired, removes) a cookie, replacing one with the same name, domain and path. */
  store(cookie: Cookie): void {
    this.#cookies = this.#cookies.filter((c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path));
    if (cookie.expires !== Number.NEGATIVE_INFINITY) this.#cookies.push(cookie);
  }

  /** The cookies a request to `url` carries at `now`, longest path first (RFC 6265 §5.4). */
  cookiesFor(url: string, now: number): Cookie[] {
    const { scheme, host, path } = urlParts(url);
    return this.#cookies
      .filter((c) => c.expires > now && domainMatches(c, host) && pathMatches(c.path, path) && (!c.secure || scheme === 'https'))
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** Removes the cookies that would be sent to `url`, or only the one called `name`. */
  remove(url: string, now: number, name?: string): void {
    const doomed = new Set(this.cookiesFor(url, now).filter((c) => name === undefined || c.name === name));
    this.#cookies = this.#cookies.filter((c) => !doomed.has(c));
  }
}

/** A Cookie request header value, or '' when there is nothing to send. */
export function cookieHeader(cookies: readonly { name: string; value: string }[]): string {
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

export function toResponseCookie(cookie: Cookie, now: number): ResponseCookie {
  const finite = Number.isFinite(cookie.expires);
  return {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.hostOnly ? '' : cookie.domain,
    path: cookie.path,
    http_only: cookie.httpOnly,
    secure: cookie.secure,
    max_age: finite ? Math.round((cookie.expires - now) / 1000) : 0,
    expires: 0,
  };
}

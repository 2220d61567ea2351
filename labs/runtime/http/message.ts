// HTTP requests and answers as the built-in targets see them (service model 2), with the
// encodings k6 and the targets share: query strings, URL-encoded forms and multipart bodies.

export type Header = readonly [name: string, value: string];

export interface HttpRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  /** In the order sent; names as the script wrote them. */
  headers: Header[];
  body: string;
  /** Virtual ms at which the request arrives. */
  now: number;
}

export interface HttpAnswer {
  status: number;
  headers: Header[];
  body: string;
  /** Extra time the service waits before answering (httpbin's /delay). */
  delayMs?: number;
}

/** Answers a request with content; timing stays the simulator's. */
export type Responder = (request: HttpRequest, random: () => number) => HttpAnswer;

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  418: "I'm a teapot",
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function headerValue(headers: readonly Header[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1];
}

/** `a=1&b=2&a=3` → { a: ['1', '3'], b: ['2'] }, in first-seen order. */
export function parseQuery(query: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const cut = part.indexOf('=');
    const key = decodeComponent(cut < 0 ? part : part.slice(0, cut));
    const value = decodeComponent(cut < 0 ? '' : part.slice(cut + 1));
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  return values;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The query string of a URL, without '?' and fragment. */
export function queryOf(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return '';
  const hash = url.indexOf('#', q);
  return url.slice(q + 1, hash < 0 ? undefined : hash);
}

/** The path of an absolute URL, without query or fragment. */
export function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  const start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
  if (start < 0) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, start + end);
}

/** Resolves a Location header against the URL that sent it. */
export function resolveLocation(base: string, location: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
  const scheme = base.indexOf('://');
  const originEnd = base.indexOf('/', scheme + 3);
  const origin = originEnd < 0 ? base : base.slice(0, originEnd);
  if (location.startsWith('//')) return `${base.slice(0, scheme + 1)}${location}`;
  if (location.startsWith('/')) return `${origin}${location}`;
  const path = pathOf(base);
  return `${origin}${path.slice(0, path.lastIndexOf('/') + 1)}${location}`;
}

/** httpbin's single-or-list rendering of query and form fields. */
export function flattenFields(fields: Map<string, string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, values] of fields) out[key] = values.length === 1 ? (values[0] ?? '') : values;
  return out;
}

export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: string;
}

/** Splits a multipart/form-data body on its boundary (RFC 7578). */
export function parseMultipart(body: string, contentType: string): MultipartPart[] | null {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return null;
  const parts: MultipartPart[] = [];
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const split = chunk.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = chunk.slice(0, split);
    const data = chunk.slice(split + 4).replace(/\r\n$/, '');
    const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) continue;
    parts.push({
      name,
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null,
      contentType: /content-type:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim() ?? null,
      data,
    });
  }
  return parts;
}

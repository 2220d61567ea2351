// An httpbin-compatible target: the endpoints k6's documentation and examples call on
// httpbin.test.k6.io and httpbin.org, answering with httpbin's documented response shapes
// (JSON echoing args, headers, origin, url, form, files, data and json; status codes; redirects;
// cookies; basic and bearer auth; HTML pages and a form). Our own implementation and content.
import type { Service } from '../simulator/service.ts';
import type { Target } from '../targets/targets.ts';
import {
  flattenFields,
  type Header,
  type HttpAnswer,
  type HttpRequest,
  headerValue,
  parseMultipart,
  parseQuery,
  pathOf,
  queryOf,
  type Responder,
} from './message.ts';

/** The client address httpbin reports (a documentation address, RFC 5737). */
export const CLIENT_ORIGIN = '203.0.113.10';
const MAX_DELAY_S = 10;
const BASE_HEADERS: Header[] = [
  ['Server', 'gunicorn/19.9.0'],
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Allow-Credentials', 'true'],
];

export const HTTPBIN_SERVICE: Service = {
  name: 'httpbin',
  workers: 64,
  queueLimit: 2_000,
  queueTimeoutMs: 30_000,
  // One timing route for every path: httpbin's handlers all cost about the same.
  endpoints: [{ method: 'GET', path: '/', serviceTime: { type: 'lognormal', median: 12, sigma: 0.35 }, responseBytes: 400 }],
  faults: [],
};

function json(status: number, value: unknown, extra: Header[] = []): HttpAnswer {
  return {
    status,
    headers: [['Content-Type', 'application/json'], ...BASE_HEADERS, ...extra],
    body: `${JSON.stringify(value, null, 2)}\n`,
  };
}

function html(status: number, body: string, extra: Header[] = []): HttpAnswer {
  return { status, headers: [['Content-Type', 'text/html; charset=utf-8'], ...BASE_HEADERS, ...extra], body };
}

function errorPage(status: number, title: string, detail: string, extra: Header[] = []): HttpAnswer {
  return html(
    status,
    `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${detail}</p>\n`,
    extra,
  );
}

function redirect(location: string, status = 302, extra: Header[] = []): HttpAnswer {
  return html(
    status,
    `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected to <a href="${location}">${location}</a>.</p>\n`,
    [['Location', location], ...extra],
  );
}

/** Request headers as httpbin echoes them: Title-Case names, repeated ones joined by commas. */
function echoHeaders(headers: readonly Header[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    const title = name
      .toLowerCase()
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('-');
    out[title] = out[title] === undefined ? value : `${out[title]},${value}`;
  }
  return out;
}

function requestInfo(request: HttpRequest): Record<string, unknown> {
  return {
    args: flattenFields(parseQuery(queryOf(request.url))),
    headers: echoHeaders(request.headers),
    origin: CLIENT_ORIGIN,
    url: request.url,
  };
}

function bodyInfo(request: HttpRequest): Record<string, unknown> {
  const type = headerValue(request.headers, 'content-type') ?? '';
  let data = request.body;
  let form: Record<string, string | string[]> = {};
  const files: Record<string, string> = {};
  if (/^application\/x-www-form-urlencoded/i.test(type)) {
    form = flattenFields(parseQuery(request.body));
    data = '';
  } else if (/^multipart\/form-data/i.test(type)) {
    const fields = new Map<string, string[]>();
    for (const part of parseMultipart(request.body, type) ?? []) {
      if (part.filename !== null) files[part.name] = part.data;
      else fields.set(part.name, [...(fields.get(part.name) ?? []), part.data]);
    }
    form = flattenFields(fields);
    data = '';
  }
  let parsed: unknown = null;
  if (data !== '') {
    try {
      parsed = JSON.parse(data);
    } catch {
      parsed = null;
    }
  }
  const info = requestInfo(request);
  return { args: info['args'], data, files, form, headers: info['headers'], json: parsed, origin: info['origin'], url: info['url'] };
}

function cookiesOf(request: HttpRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (headerValue(request.headers, 'cookie') ?? '').split(';')) {
    const cut = pair.indexOf('=');
    if (cut > 0) out[pair.slice(0, cut).trim()] = pair.slice(cut + 1).trim();
  }
  return out;
}

function decodeBasic(authorization: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return null;
  let decoded: string;
  try {
    decoded = atob(match[1]);
  } catch {
    return null;
  }
  const cut = decoded.indexOf(':');
  return cut < 0 ? null : { user: decoded.slice(0, cut), password: decoded.slice(cut + 1) };
}

/** httpbin's /status/{codes}: one code, a list to pick from, or weighted `code:weight` choices. */
function pickStatus(spec: string, random: () => number): number | null {
  const choices = spec.split(',').map((choice) => {
    const [code = '', weight = '1'] = choice.split(':');
    return { code: Number(code), weight: Number(weight) };
  });
  if (choices.some((c) => !Number.isInteger(c.code) || c.code < 100 || c.code > 599 || !(c.weight >= 0))) return null;
  const total = choices.reduce((sum, c) => sum + c.weight, 0);
  let draw = random() * total;
  for (const choice of choices) {
    draw -= choice.weight;
    if (draw < 0) return choice.code;
  }
  return choices.at(-1)?.code ?? null;
}

const METHODS_FOR: Readonly<Record<string, string>> = {
  '/get': 'GET',
  '/post': 'POST',
  '/put': 'PUT',
  '/patch': 'PATCH',
  '/delete': 'DELETE',
};

const SLIDESHOW = {
  slideshow: {
    author: 'Yours Truly',
    date: 'date of publication',
    slides: [
      { title: 'Wake up to WonderWidgets!', type: 'all' },
      { items: ['Why <em>WonderWidgets</em> are great', 'Who <em>buys</em> WonderWidgets'], title: 'Overview', type: 'all' },
    ],
    title: 'Sample Slide Show',
  },
};

const MOBY_DICK = `<!DOCTYPE html>
<html>
  <head>
  </head>
  <body>
      <h1>Herman Melville - Moby-Dick</h1>

      <div>
        <p>
          Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse, and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of the world. It is a way I have of driving off the spleen and regulating the circulation.
        </p>
      </div>
  </body>
</html>`;

const PIZZA_FORM = `<!DOCTYPE html>
<html>
  <head>
  </head>
  <body>
  <!-- Example form from HTML5 spec http://www.w3.org/TR/html5/forms.html#writing-a-form's-user-interface -->
  <form method="post" action="/post">
   <p><label>Customer name: <input name="custname"></label></p>
   <p><label>Telephone: <input type=tel name="custtel"></label></p>
   <p><label>E-mail address: <input type=email name="custemail"></label></p>
   <fieldset>
    <legend> Pizza Size </legend>
    <p><label> <input type=radio name=size value="small"> Small </label></p>
    <p><label> <input type=radio name=size value="medium"> Medium </label></p>
    <p><label> <input type=radio name=size value="large"> Large </label></p>
   </fieldset>
   <fieldset>
    <legend> Pizza Toppings </legend>
    <p><label> <input type=checkbox name="topping" value="bacon"> Bacon </label></p>
    <p><label> <input type=checkbox name="topping" value="cheese"> Extra Cheese </label></p>
    <p><label> <input type=checkbox name="topping" value="onion"> Onion </label></p>
    <p><label> <input type=checkbox name="topping" value="mushroom"> Mushroom </label></p>
   </fieldset>
   <p><label>Preferred delivery time: <input type=time min="11:00" max="21:00" step="900" name="delivery"></label></p>
   <p><label>Delivery instructions: <textarea name="comments"></textarea></label></p>
   <p><button>Submit order</button></p>
  </form>
  </body>
</html>`;

function originOf(url: string): string {
  const end = url.slice(url.indexOf('://') + 3).search(/[/?#]/);
  return end < 0 ? url : url.slice(0, url.indexOf('://') + 3 + end);
}

function redirectChain(kind: 'relative' | 'absolute', n: number, request: HttpRequest): HttpAnswer {
  const prefix = kind === 'absolute' ? originOf(request.url) : '';
  if (n <= 1) return redirect(`${prefix}/get`);
  return redirect(`${prefix}/${kind}-redirect/${n - 1}`);
}

export const httpbinResponder: Responder = (request, random) => {
  const path = pathOf(request.url);
  const method = request.method.toUpperCase();
  const segments = path.split('/').filter((s) => s !== '');
  const [head = '', second, third] = segments;
  const only = METHODS_FOR[path];
  if (only !== undefined) {
    if (method !== only && !(only === 'GET' && method === 'HEAD'))
      return errorPage(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.', [['Allow', `${only}, OPTIONS`]]);
    return json(200, only === 'GET' ? requestInfo(request) : bodyInfo(request));
  }
  switch (head) {
    case 'anything':
      return json(200, { ...bodyInfo(request), method });
    case 'headers':
      return json(200, { headers: echoHeaders(request.headers) });
    case 'ip':
      return json(200, { origin: CLIENT_ORIGIN });
    case 'user-agent':
      return json(200, { 'user-agent': headerValue(request.headers, 'user-agent') ?? null });
    case 'uuid': {
      const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
      return json(200, { uuid: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}` });
    }
    case 'json':
      return json(200, SLIDESHOW);
    case 'html':
      return html(200, MOBY_DICK);
    case 'forms':
      return second === 'post' && segments.length === 2 ? html(200, PIZZA_FORM) : notFound();
    case 'status': {
      const code = second === undefined || segments.length !== 2 ? null : pickStatus(second, random);
      if (code === null) return errorPage(400, 'Bad Request', 'Invalid status code');
      if ([301, 302, 303, 305, 307].includes(code)) return { ...redirect('/redirect/1', code), body: '' };
      if (code === 401) return { ...html(401, ''), headers: [...html(401, '').headers, ['WWW-Authenticate', 'Basic realm="Fake Realm"']] };
      return html(code, '');
    }
    case 'redirect':
    case 'relative-redirect':
    case 'absolute-redirect': {
      const n = Number(second);
      if (!Number.isInteger(n) || n < 1 || segments.length !== 2) return notFound();
      const absolute =
        head === 'absolute-redirect' || (head === 'redirect' && parseQuery(queryOf(request.url)).get('absolute')?.[0] === 'true');
      return redirectChain(absolute ? 'absolute' : 'relative', n, request);
    }
    case 'redirect-to': {
      const query = parseQuery(queryOf(request.url));
      const target = query.get('url')?.[0];
      if (target === undefined) return errorPage(400, 'Bad Request', 'redirect-to needs a url');
      const code = Number(query.get('status_code')?.[0] ?? 302);
      return redirect(target, code >= 300 && code < 400 ? code : 302);
    }
    case 'cookies': {
      if (second === undefined) return json(200, { cookies: cookiesOf(request) });
      if (second === 'set') {
        const pairs: [string, string][] =
          third !== undefined && segments.length === 4
            ? [[decodeURIComponent(third), decodeURIComponent(segments[3] ?? '')]]
            : [...parseQuery(queryOf(request.url))].map(([k, v]) => [k, v.at(-1) ?? '']);
        return redirect(
          '/cookies',
          302,
          pairs.map(([k, v]) => ['Set-Cookie', `${k}=${v}; Path=/`] as Header),
        );
      }
      if (second === 'delete') {
        const names = [...parseQuery(queryOf(request.url)).keys()];
        return redirect(
          '/cookies',
          302,
          names.map((k) => ['Set-Cookie', `${k}=; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0; Path=/`] as Header),
        );
      }
      return notFound();
    }
    case 'basic-auth': {
      if (second === undefined || third === undefined || segments.length !== 3) return notFound();
      const credentials = decodeBasic(headerValue(request.headers, 'authorization'));
      if (credentials?.user !== second || credentials.password !== third)
        return { ...html(401, ''), headers: [...html(401, '').headers, ['WWW-Authenticate', 'Basic realm="Fake Realm"']] };
      return json(200, { authenticated: true, user: second });
    }
    case 'bearer': {
      const match = /^Bearer\s+(\S+)$/i.exec(headerValue(request.headers, 'authorization') ?? '');
      if (!match) return { ...html(401, ''), headers: [...html(401, '').headers, ['WWW-Authenticate', 'Bearer']] };
      return json(200, { authenticated: true, token: match[1] });
    }
    case 'delay': {
      const seconds = Number(second);
      if (!Number.isFinite(seconds) || seconds < 0 || segments.length !== 2) return notFound();
      const info = bodyInfo(request);
      return { ...json(200, info), delayMs: Math.min(seconds, MAX_DELAY_S) * 1000 };
    }
    case 'base64': {
      try {
        return html(200, atob((second ?? '').replace(/-/g, '+').replace(/_/g, '/')));
      } catch {
        return html(200, 'Incorrect Base64 data try: SFRUUEJJTiBpcyBhd2Vzb21l');
      }
    }
    default:
      return notFound();
  }
};

function notFound(): HttpAnswer {
  return errorPage(
    404,
    'Not Found',
    'The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.',
  );
}

/** httpbin's public names and the ports a local httpbin container is usually mapped to. */
export const HTTPBIN_TARGET: Target = {
  hosts: ['httpbin.test.k6.io', 'httpbin.org', 'www.httpbin.org', 'localhost', '127.0.0.1', '[::1]'],
  service: HTTPBIN_SERVICE,
  responder: httpbinResponder,
};

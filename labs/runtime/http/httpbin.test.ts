import { describe, expect, it } from 'vitest';
import { httpbinResponder } from './httpbin.ts';
import type { Header, HttpRequest } from './message.ts';

const ask = (method: string, url: string, headers: Header[] = [], body = '') =>
  httpbinResponder({ method, url, headers, body, now: 0 } satisfies HttpRequest, () => 0.5);

describe('the httpbin target', () => {
  it('echoes args, Title-Case headers, origin and url on /get', () => {
    const answer = ask('GET', 'https://httpbin.test.k6.io/get?x=1&x=2', [['x-custom', 'v']]);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      args: { x: ['1', '2'] },
      headers: { 'X-Custom': 'v' },
      origin: '203.0.113.10',
      url: 'https://httpbin.test.k6.io/get?x=1&x=2',
    });
  });

  it('splits form, files and JSON bodies the way httpbin does', () => {
    const form = JSON.parse(ask('POST', 'http://h/post', [['Content-Type', 'application/x-www-form-urlencoded']], 'a=1&b=two+words').body);
    expect(form).toMatchObject({ form: { a: '1', b: 'two words' }, data: '', json: null });
    const boundary = 'XyZ';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile text\r\n--${boundary}--\r\n`;
    const parts = JSON.parse(ask('POST', 'http://h/post', [['Content-Type', `multipart/form-data; boundary=${boundary}`]], multipart).body);
    expect(parts).toMatchObject({ form: { field: 'value' }, files: { file: 'file text' } });
    const json = JSON.parse(ask('PATCH', 'http://h/patch', [['Content-Type', 'application/json']], '{"k":[1]}').body);
    expect(json).toMatchObject({ json: { k: [1] }, data: '{"k":[1]}' });
  });

  it('answers /status, redirect chains and cookie setters with httpbin’s codes and Location headers', () => {
    expect(ask('GET', 'http://h/status/503').status).toBe(503);
    expect(ask('GET', 'http://h/status/abc').status).toBe(400);
    expect(ask('GET', 'http://h/redirect/2').headers).toContainEqual(['Location', '/relative-redirect/1']);
    expect(ask('GET', 'http://h/absolute-redirect/1').headers).toContainEqual(['Location', 'http://h/get']);
    const set = ask('GET', 'http://h/cookies/set?a=1');
    expect(set.status).toBe(302);
    expect(set.headers).toContainEqual(['Set-Cookie', 'a=1; Path=/']);
    expect(JSON.parse(ask('GET', 'http://h/cookies', [['Cookie', 'a=1; b=2']]).body)).toEqual({ cookies: { a: '1', b: '2' } });
  });

  it('checks basic and bearer credentials and challenges without them', () => {
    const ok = ask('GET', 'http://h/basic-auth/u/p', [['Authorization', `Basic ${btoa('u:p')}`]]);
    expect(JSON.parse(ok.body)).toEqual({ authenticated: true, user: 'u' });
    const denied = ask('GET', 'http://h/basic-auth/u/p', [['Authorization', `Basic ${btoa('u:x')}`]]);
    expect(denied.status).toBe(401);
    expect(denied.headers).toContainEqual(['WWW-Authenticate', 'Basic realm="Fake Realm"']);
    expect(ask('GET', 'http://h/bearer').status).toBe(401);
  });

  it('serves HTML pages, a 405 for the wrong method and a delay capped at ten seconds', () => {
    expect(ask('GET', 'http://h/html').body).toContain('<h1>Herman Melville - Moby-Dick</h1>');
    expect(ask('GET', 'http://h/forms/post').body).toContain('name="custname"');
    expect(ask('DELETE', 'http://h/get').status).toBe(405);
    expect(ask('GET', 'http://h/delay/30').delayMs).toBe(10_000);
  });
});

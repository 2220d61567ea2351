import type { APIRoute } from 'astro';

export const prerender = false;

/** The issuer profile (Open Badges 3.0 Profile) named in every credential. */
export const GET: APIRoute = ({ url }) =>
  Response.json({
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `${url.origin}/issuer`,
    type: ['Profile'],
    name: 'Headroom',
    url: `${url.origin}/`,
    description: 'Headroom, a self-paced performance engineering masterclass and certification platform.',
    publicKey: `${url.origin}/.well-known/jwks.json`,
  });

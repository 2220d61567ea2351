// Malformed query strings are ignored rather than answered with 400: a query that does not
// percent-decode is dropped before the request reaches the router. A path that does not decode
// is mapped to a path that cannot exist, so the reader gets the 404 page.

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

export function sanitizeRequestTarget(target: string): string {
  const queryAt = target.indexOf('?');
  const pathPart = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt + 1);
  const safePath = decodes(pathPart) ? pathPart : '/404';
  if (query === '') return safePath;
  const kept = query.split('&').filter((pair) => pair !== '' && decodes(pair.replaceAll('+', ' ')));
  return kept.length > 0 ? `${safePath}?${kept.join('&')}` : safePath;
}

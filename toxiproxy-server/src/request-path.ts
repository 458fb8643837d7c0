/** A request's path as gorilla/mux routes it: decoded, or a redirect to its clean form, or unreadable. */
export type RequestPath =
  | { status: 'ok'; path: string }
  | { status: 'moved'; location: string }
  | { status: 'bad' };

/** Go's path.Clean: one slash between segments, `.` and `..` resolved, rooted. */
function clean(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

/**
 * The path of a request target. Like mux, a path that is not clean (`//proxies`, `/a/../b`) is redirected
 * to its clean form, keeping a trailing slash; routes match the decoded path, so `%2F` is a slash. A path
 * that cannot be decoded is Go's plain 400.
 */
export function cleanPath(target: string): RequestPath {
  const [raw = '/', query] = target.split(/\?(.*)/s);
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { status: 'bad' };
  }
  let tidy = clean(path);
  if (path.endsWith('/') && tidy !== '/') tidy += '/';
  if (tidy === path) return { status: 'ok', path };
  const location = encodeURI(tidy);
  return { status: 'moved', location: query === undefined ? location : `${location}?${query}` };
}

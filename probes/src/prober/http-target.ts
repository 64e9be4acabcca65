import type { Dispatcher } from 'undici';

// A target string as the http prober requests it: parsed once, cached, ready for undici.

/**
 * Parsed targets kept: above any one daemon's scheduled targets (50,000 is measured), so
 * scheduled rounds never re-parse; the bound is for `/probe?target=`, which is open-ended.
 */
const MAX_CACHED_TARGETS = 100_000;

/**
 * A URL with what every request reads from it taken once (URL getters build strings). Only
 * strings, not the URL object, which costs about 1 KB of memory per cached target.
 */
export interface RequestUrl {
  readonly href: string;
  readonly origin: string;
  readonly ssl: boolean;
  /** What `dispatch` is given, made once per URL: undici reads it and never changes it. */
  readonly request: Dispatcher.DispatchOptions;
}

/** The module's request, the same for every URL it probes. */
export interface RequestTemplate {
  readonly method: Dispatcher.HttpMethod;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

export function requestUrl(url: URL, template: RequestTemplate): RequestUrl {
  const { href, origin, pathname, search, protocol } = url;
  return {
    href,
    origin,
    ssl: protocol === 'https:',
    // A literal, one shape for every URL: undici's Request reads its fields on every request.
    request: {
      path: pathname + search,
      method: template.method,
      headers: template.headers,
      body: template.body,
    },
  };
}

/** Target string → request URL, cached: scheduled targets repeat, and parsing shows in profiles. */
export function cachedTargetParser(
  template: RequestTemplate,
): (target: string) => RequestUrl | undefined {
  const cache = new Map<string, RequestUrl | undefined>();
  return (target) => {
    const cached = cache.get(target);
    if (cached !== undefined || cache.has(target)) return cached;
    if (cache.size >= MAX_CACHED_TARGETS) cache.clear();
    const parsed = parseTarget(target);
    const url = parsed && requestUrl(parsed, template);
    cache.set(target, url);
    return url;
  };
}

/** blackbox_exporter prepends `http://` to a target without a scheme; so do we. */
function parseTarget(target: string): URL | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : `http://${target}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

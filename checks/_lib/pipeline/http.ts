// Which routes belong behind authentication, shared by the HTTP adapters.
export const PUBLIC_PATH = /^\/?$|^\/(api\/)?(v\d+\/)?(health\w*|ready\w*|live\w*|status|ping|metrics|version|login|logout|signin|signup|sign-in|sign-up|register|auth|oauth\w*|callback|webhooks?|public|docs|openapi|swagger|favicon|robots|\.well-known|assets|static|sitemap)\b/i;
const SENSITIVE_PATH = /\b(admin|internal|manage\w*|users?|accounts?|tenants?|billing|invoices?|payments?|settings|secrets?|keys|tokens|me|reports?|orders?|projects?|documents?|exports?|customers?|audit\w*)\b/i;
/** Catalogue-like resources that are commonly public even when addressed by id. */
const PUBLIC_RESOURCE = /\b(plans?|pricing|products?|catalog(ue)?|blog|posts?|articles?|pages?|countries|currencies|faqs?|changelog|releases?|share[ds]?)\b/i;

/**
 * A GET above auth is often a deliberate public page; a write or an admin/account path rarely is. A GET of
 * one record by a route parameter (`/reports/:id`, `/reports/{id}`) serves it to anyone who guesses an id.
 */
export function isSensitiveRoute(method: string, path: string | undefined, isRoute: boolean): boolean {
  const p = path ?? "/";
  if (PUBLIC_PATH.test(p)) return false;
  const byId = isRoute && /\/[:{]\w+/.test(p) && !PUBLIC_RESOURCE.test(p);
  return (isRoute && !/^(get|head|options)$/i.test(method)) || SENSITIVE_PATH.test(p) || byId;
}

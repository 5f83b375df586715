import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { digest, presentedKey } from './authenticate.js';

/** The dashboard's session cookie: the SHA-256 digest of the admin token (never the token itself). */
export const ADMIN_COOKIE = 'switchyard_admin';

/**
 * Checks the admin token: `Authorization: Bearer <token>` on every admin request, and for reads
 * (GET, HEAD) also the dashboard's cookie, which `POST /dashboard/login` sets (HttpOnly,
 * SameSite=Strict, so another site's page cannot send it; writes always need the header).
 */
export class AdminAuth {
  private expected: Buffer | undefined;

  constructor(token: string | undefined) {
    this.setToken(token);
  }

  /** A reloaded admin token: the old one (and cookies made from it) stop working at once. */
  setToken(token: string | undefined): void {
    this.expected = token === undefined ? undefined : Buffer.from(digest(token), 'hex');
  }

  get enabled(): boolean {
    return this.expected !== undefined;
  }

  /** True for a presented token equal to the admin token (constant time). */
  matches(token: string | undefined): boolean {
    if (this.expected === undefined || token === undefined) return false;
    return timingSafeEqual(Buffer.from(digest(token), 'hex'), this.expected);
  }

  allows(headers: IncomingHttpHeaders, method: string): boolean {
    if (this.matches(presentedKey(headers))) return true;
    if (this.expected === undefined || (method !== 'GET' && method !== 'HEAD')) return false;
    const cookie = cookieValue(headers.cookie, ADMIN_COOKIE);
    if (cookie === undefined || !/^[0-9a-f]{64}$/.test(cookie)) return false;
    return timingSafeEqual(Buffer.from(cookie, 'hex'), this.expected);
  }

  /** The `Set-Cookie` value that lets this browser read the admin API and the dashboard. */
  sessionCookie(token: string, secure: boolean): string {
    return `${ADMIN_COOKIE}=${digest(token)}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

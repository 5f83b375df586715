import { describe, expect, it } from 'vitest';
import { ADMIN_COOKIE, AdminAuth, cookieValue } from './admin-auth.js';
import { digest } from './authenticate.js';

describe('admin auth', () => {
  const auth = new AdminAuth('the-admin-token');
  const cookie = `${ADMIN_COOKIE}=${digest('the-admin-token')}`;

  it('takes the bearer token for any method and the session cookie for reads only', () => {
    expect(auth.allows({ authorization: 'Bearer the-admin-token' }, 'POST')).toBe(true);
    expect(auth.allows({ authorization: 'Bearer wrong' }, 'GET')).toBe(false);
    expect(auth.allows({ cookie: `other=1; ${cookie}` }, 'GET')).toBe(true);
    expect(auth.allows({ cookie }, 'POST')).toBe(false);
    expect(auth.allows({ cookie }, 'DELETE')).toBe(false);
    expect(auth.allows({ cookie: `${ADMIN_COOKIE}=${digest('wrong')}` }, 'GET')).toBe(false);
    expect(auth.allows({ cookie: `${ADMIN_COOKIE}=the-admin-token` }, 'GET')).toBe(false);
    expect(auth.allows({}, 'GET')).toBe(false);
  });

  it('sets an HttpOnly, SameSite=Strict cookie holding the digest, never the token', () => {
    const value = auth.sessionCookie('the-admin-token', true);
    expect(value).not.toContain('the-admin-token');
    expect(value).toContain('HttpOnly');
    expect(value).toContain('SameSite=Strict');
    expect(value).toContain('Secure');
    expect(cookieValue(value.split(';')[0], ADMIN_COOKIE)).toBe(digest('the-admin-token'));
  });

  it('allows nothing when no admin token is configured', () => {
    const off = new AdminAuth(undefined);
    expect(off.enabled).toBe(false);
    expect(off.allows({ authorization: 'Bearer x', cookie }, 'GET')).toBe(false);
  });
});

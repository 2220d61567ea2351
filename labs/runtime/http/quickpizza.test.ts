import { describe, expect, it } from 'vitest';
import type { Header } from './message.ts';
import { createQuickPizzaResponder } from './quickpizza.ts';

const BASE = 'https://quickpizza.grafana.com';

function client() {
  const responder = createQuickPizzaResponder();
  let draw = 0;
  const random = () => {
    draw = (draw * 9301 + 49297) % 233280;
    return draw / 233280;
  };
  return (method: string, path: string, body: unknown = '', headers: Header[] = []) => {
    const answer = responder(
      { method, url: `${BASE}${path}`, headers, body: typeof body === 'string' ? body : JSON.stringify(body), now: 0 },
      random,
    );
    return { ...answer, json: () => JSON.parse(answer.body) };
  };
}

describe('the QuickPizza target', () => {
  it('recommends a pizza that honours the restrictions', () => {
    const send = client();
    for (let i = 0; i < 20; i++) {
      const res = send('POST', '/api/pizza', { maxCaloriesPerSlice: 600, mustBeVegetarian: true, excludedTools: ['knife'] }, [
        ['X-User-ID', '1'],
      ]);
      expect(res.status).toBe(200);
      const { pizza, calories, vegetarian } = res.json();
      expect(vegetarian).toBe(true);
      expect(calories).toBeLessThanOrEqual(600);
      expect(pizza.tool).not.toBe('Knife');
      expect(pizza.ingredients.every((x: { vegetarian: boolean }) => x.vegetarian)).toBe(true);
    }
  });

  it('refuses an anonymous caller, a body that is not JSON and impossible topping counts', () => {
    const send = client();
    expect(send('POST', '/api/pizza', {}).status).toBe(401);
    expect(send('POST', '/api/pizza', '{nope', [['X-User-ID', '1']]).status).toBe(400);
    expect(send('POST', '/api/pizza', { minNumberOfToppings: 5, maxNumberOfToppings: 2 }, [['X-User-ID', '1']]).status).toBe(400);
  });

  it('logs in with a password, and with the CSRF flow only when the header matches the cookie', () => {
    const send = client();
    const login = send('POST', '/api/users/token/login', { username: 'default', password: '12345678' });
    expect(login.status).toBe(200);
    const token = login.json().token;
    expect(send('GET', '/api/users/token/authenticate', '', [['Authorization', `token ${token}`]]).json()).toEqual({
      id: 1,
      username: 'default',
    });
    const csrf = send('POST', '/api/csrf-token').json().csrf_token;
    const cookieLogin = (header: string) =>
      send('POST', '/api/users/token/login?set_cookie=true', { username: 'default', password: '12345678' }, [
        ['Cookie', `csrf_token=${csrf}`],
        ['X-Csrf-Token', header],
      ]);
    expect(cookieLogin('forged').status).toBe(403);
    const ok = cookieLogin(csrf);
    expect(ok.status).toBe(200);
    expect(ok.headers.find(([name]) => name === 'Set-Cookie')?.[1]).toMatch(/^qp_user_token=[A-Za-z0-9]{16}; Path=\//);
  });

  it('keeps ratings per user and validates stars', () => {
    const send = client();
    const token = send('POST', '/api/users/token/login', { username: 'user1', password: 'password1' }).json().token;
    const auth: Header[] = [['Authorization', `Token ${token}`]];
    const pizza = send('POST', '/api/pizza', {}, auth).json().pizza;
    const rating = send('POST', '/api/ratings', { pizza_id: pizza.id, stars: 4 }, auth);
    expect(rating.status).toBe(201);
    expect(send('POST', '/api/ratings', { pizza_id: pizza.id, stars: 0 }, auth).status).toBe(400);
    expect(send('POST', '/api/ratings', { pizza_id: 999, stars: 3 }, auth).status).toBe(404);
    const other = send('POST', '/api/users/token/login', { username: 'user2', password: 'password2' }).json().token;
    expect(send('GET', '/api/ratings', '', [['Authorization', `token ${other}`]]).json()).toEqual({ ratings: [] });
    expect(send('DELETE', `/api/ratings/${rating.json().id}`, '', auth).status).toBe(204);
  });
});

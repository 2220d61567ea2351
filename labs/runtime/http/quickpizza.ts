// A QuickPizza-compatible target: the API Grafana's k6 training scripts call on
// quickpizza.grafana.com (or a local QuickPizza on port 3333): pizza recommendations under
// restrictions, the catalog, users and token login, the browser login flow with a CSRF token and
// cookies, and ratings. Our own implementation and seeded data (ADR 017); state (users, pizzas,
// ratings) lives for one run, as in a freshly started QuickPizza.
import type { Service } from '../simulator/service.ts';
import type { Target } from '../targets/targets.ts';
import { type Header, type HttpAnswer, type HttpRequest, headerValue, parseQuery, pathOf, queryOf, type Responder } from './message.ts';

export const QUICKPIZZA_SERVICE: Service = {
  name: 'QuickPizza',
  workers: 32,
  queueLimit: 2_000,
  queueTimeoutMs: 30_000,
  endpoints: [{ method: 'GET', path: '/', serviceTime: { type: 'lognormal', median: 20, sigma: 0.4 }, responseBytes: 600 }],
  faults: [],
};

interface Ingredient {
  ID: number;
  name: string;
  caloriesPerSlice: number;
  vegetarian: boolean;
}

const ingredient = (ID: number, name: string, caloriesPerSlice: number, vegetarian = true): Ingredient => ({
  ID,
  name,
  caloriesPerSlice,
  vegetarian,
});

export const CATALOG = {
  doughs: [
    { ID: 1, name: 'Thin', caloriesPerSlice: 150 },
    { ID: 2, name: 'Classic', caloriesPerSlice: 200 },
    { ID: 3, name: 'Whole wheat', caloriesPerSlice: 180 },
    { ID: 4, name: 'Stuffed crust', caloriesPerSlice: 260 },
  ],
  oliveOils: [ingredient(1, 'Extra virgin olive oil', 40), ingredient(2, 'Chili oil', 45)],
  tomatoes: [ingredient(3, 'San Marzano tomatoes', 20), ingredient(4, 'Cherry tomatoes', 15), ingredient(5, 'Tomato sauce', 25)],
  mozzarellas: [ingredient(6, 'Fior di latte', 90), ingredient(7, 'Buffalo mozzarella', 100), ingredient(8, 'Vegan mozzarella', 70)],
  toppings: [
    ingredient(9, 'Pepperoni', 80, false),
    ingredient(10, 'Ham', 50, false),
    ingredient(11, 'Bacon', 90, false),
    ingredient(12, 'Anchovies', 40, false),
    ingredient(13, 'Mushrooms', 10),
    ingredient(14, 'Red onion', 8),
    ingredient(15, 'Black olives', 25),
    ingredient(16, 'Bell peppers', 10),
    ingredient(17, 'Artichokes', 15),
    ingredient(18, 'Basil', 2),
    ingredient(19, 'Rocket', 3),
    ingredient(20, 'Pineapple', 20),
    ingredient(21, 'Jalapeños', 5),
    ingredient(22, 'Gorgonzola', 70),
  ],
  tools: ['Knife', 'Pizza cutter', 'Scissors', 'Rolling pin', 'Pizza peel', 'Spatula'],
  names: ['Margherita', 'Marinara', 'Napoletana', 'Capricciosa', 'Diavola', 'Quattro Stagioni', 'Ortolana', 'Boscaiola'],
  adjectives: ['Hearty', 'Fiery', 'Rustic', 'Golden', 'Midnight', 'Sunny', 'Smoky', 'Classic', 'Wild'],
  quotes: [
    'A pizza a day keeps the load test away.',
    'Measure twice, bake once.',
    'The p99 of a good pizza is always hot.',
    'No pizza survives first contact with production.',
  ],
};

/** Accounts that exist when the service starts. */
export const SEEDED_USERS: readonly { username: string; password: string }[] = [
  { username: 'default', password: '12345678' },
  ...Array.from({ length: 10 }, (_, i) => ({ username: `user${i + 1}`, password: `password${i + 1}` })),
];

const JSON_HEADERS: Header[] = [['Content-Type', 'application/json']];

function json(status: number, value: unknown, extra: Header[] = []): HttpAnswer {
  return { status, headers: [...JSON_HEADERS, ...extra], body: `${JSON.stringify(value)}\n` };
}

const fail = (status: number, error: string) => json(status, { error });

function cookieValue(request: HttpRequest, name: string): string | undefined {
  for (const pair of (headerValue(request.headers, 'cookie') ?? '').split(';')) {
    const cut = pair.indexOf('=');
    if (cut > 0 && pair.slice(0, cut).trim() === name) return pair.slice(cut + 1).trim();
  }
  return undefined;
}

function readJson(request: HttpRequest): { ok: true; value: Record<string, unknown> } | { ok: false } {
  if (request.body.trim() === '') return { ok: true, value: {} };
  try {
    const value = JSON.parse(request.body) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { ok: true, value: value as Record<string, unknown> }
      : { ok: false };
  } catch {
    return { ok: false };
  }
}

interface User {
  id: number;
  username: string;
  password: string;
}

interface Rating {
  id: number;
  pizza_id: number;
  stars: number;
}

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** QuickPizza accepts any 16-character alphanumeric token as an anonymous client. */
const ANONYMOUS_TOKEN = /^[A-Za-z0-9]{16}$/;

/** A fresh QuickPizza: its own users, tokens, pizzas and ratings for one run. */
export function createQuickPizzaResponder(): Responder {
  const users = new Map<string, User>(SEEDED_USERS.map((u, i) => [u.username, { id: i + 1, ...u }]));
  const sessions = new Map<string, User>();
  const csrfTokens = new Set<string>();
  const ratings = new Map<number, Rating & { user: number }>();
  let nextPizza = 1;
  let nextRating = 1;

  const token = (random: () => number) => Array.from({ length: 16 }, () => TOKEN_ALPHABET[Math.floor(random() * 62)]).join('');

  /** The caller: a logged-in user, an anonymous client (token or X-User-ID), or nobody. */
  const caller = (request: HttpRequest): { user: User | null; known: boolean } => {
    const auth = headerValue(request.headers, 'authorization') ?? '';
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(auth);
    const presented = match?.[1] ?? cookieValue(request, 'qp_user_token');
    if (presented !== undefined) {
      const user = sessions.get(presented) ?? null;
      return { user, known: user !== null || ANONYMOUS_TOKEN.test(presented) };
    }
    return { user: null, known: headerValue(request.headers, 'x-user-id') !== undefined };
  };

  const recommend = (request: HttpRequest, random: () => number): HttpAnswer => {
    if (!caller(request).known) return fail(401, 'missing or invalid authentication: send Authorization: token <token> or X-User-ID');
    const body = readJson(request);
    if (!body.ok) return fail(400, 'the request body must be a JSON object of restrictions');
    const r = body.value;
    const number = (key: string, fallback: number) => (typeof r[key] === 'number' ? (r[key] as number) : fallback);
    const list = (key: string) => (Array.isArray(r[key]) ? (r[key] as unknown[]).map((x) => String(x).toLowerCase()) : []);
    const maxCalories = number('maxCaloriesPerSlice', 1000);
    const vegetarian = r['mustBeVegetarian'] === true;
    const min = number('minNumberOfToppings', 2);
    const max = number('maxNumberOfToppings', 5);
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min || max > 10)
      return fail(400, 'minNumberOfToppings and maxNumberOfToppings must be whole numbers with 0 <= min <= max <= 10');
    const excluded = list('excludedIngredients');
    const allowed = (i: Ingredient) => !excluded.includes(i.name.toLowerCase()) && (!vegetarian || i.vegetarian);
    const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
    const toppings = CATALOG.toppings.filter(allowed);
    const tools = CATALOG.tools.filter((t) => !list('excludedTools').includes(t.toLowerCase()));
    if (toppings.length < min || tools.length === 0) return fail(400, 'no pizza can satisfy these restrictions');
    for (let attempt = 0; attempt < 20; attempt++) {
      const dough = pick(CATALOG.doughs);
      const base = [
        pick(CATALOG.tomatoes.filter(allowed)),
        pick(CATALOG.mozzarellas.filter(allowed)),
        pick(CATALOG.oliveOils.filter(allowed)),
      ];
      const count = min + Math.floor(random() * (max - min + 1));
      const chosen = [...toppings].sort(() => random() - 0.5).slice(0, count);
      const ingredients = [...base.filter((i): i is Ingredient => i !== undefined), ...chosen];
      const calories = (dough?.caloriesPerSlice ?? 0) + ingredients.reduce((sum, i) => sum + i.caloriesPerSlice, 0);
      if (calories > maxCalories || dough === undefined) continue;
      const name =
        typeof r['customName'] === 'string' && r['customName'] !== ''
          ? r['customName']
          : `${pick(CATALOG.adjectives)} ${pick(CATALOG.names)}`;
      return json(200, {
        pizza: { id: nextPizza++, name, dough, ingredients, tool: pick(tools) },
        calories,
        vegetarian: ingredients.every((i) => i.vegetarian),
      });
    }
    return fail(400, `no pizza found under ${maxCalories} calories per slice`);
  };

  const login = (request: HttpRequest, random: () => number): HttpAnswer => {
    const body = readJson(request);
    if (!body.ok) return fail(400, 'the request body must be JSON with username and password');
    const { username, password } = body.value;
    if (typeof username !== 'string' || typeof password !== 'string') return fail(400, 'username and password are required');
    const setCookie = parseQuery(queryOf(request.url)).get('set_cookie')?.[0] === 'true';
    if (setCookie) {
      const cookie = cookieValue(request, 'csrf_token');
      const header = headerValue(request.headers, 'x-csrf-token');
      if (cookie === undefined || header !== cookie || !csrfTokens.has(cookie)) return fail(403, 'invalid or missing CSRF token');
    }
    const user = users.get(username);
    if (user?.password !== password) return fail(401, 'invalid username or password');
    const issued = token(random);
    sessions.set(issued, user);
    return json(200, { token: issued }, setCookie ? [['Set-Cookie', `qp_user_token=${issued}; Path=/; HttpOnly; SameSite=Strict`]] : []);
  };

  const rate = (request: HttpRequest, id: number | null): HttpAnswer => {
    const { user } = caller(request);
    if (user === null) return fail(401, 'log in first: ratings need a user token');
    const method = request.method.toUpperCase();
    if (id === null && method === 'GET')
      return json(200, { ratings: [...ratings.values()].filter((x) => x.user === user.id).map(({ user: _, ...x }) => x) });
    if (id === null && method === 'POST') {
      const body = readJson(request);
      const stars = body.ok ? body.value['stars'] : undefined;
      const pizza = body.ok ? body.value['pizza_id'] : undefined;
      if (typeof pizza !== 'number' || !Number.isInteger(stars) || (stars as number) < 1 || (stars as number) > 5)
        return fail(400, 'a rating needs pizza_id and stars from 1 to 5');
      if (pizza < 1 || pizza >= nextPizza) return fail(404, `pizza ${pizza} does not exist`);
      const rating = { id: nextRating++, pizza_id: pizza, stars: stars as number, user: user.id };
      ratings.set(rating.id, rating);
      return json(201, { id: rating.id, pizza_id: rating.pizza_id, stars: rating.stars });
    }
    const rating = id === null ? undefined : ratings.get(id);
    if (rating === undefined || rating.user !== user.id) return fail(404, 'rating not found');
    if (method === 'GET') return json(200, { id: rating.id, pizza_id: rating.pizza_id, stars: rating.stars });
    if (method === 'DELETE') {
      ratings.delete(rating.id);
      return { status: 204, headers: [], body: '' };
    }
    if (method === 'PUT' || method === 'PATCH') {
      const body = readJson(request);
      const stars = body.ok ? body.value['stars'] : undefined;
      if (!Number.isInteger(stars) || (stars as number) < 1 || (stars as number) > 5) return fail(400, 'stars must be from 1 to 5');
      rating.stars = stars as number;
      return json(200, { id: rating.id, pizza_id: rating.pizza_id, stars: rating.stars });
    }
    return fail(405, 'method not allowed');
  };

  return (request, random) => {
    const path = pathOf(request.url).replace(/\/+$/, '') || '/';
    const method = request.method.toUpperCase();
    const get = method === 'GET' || method === 'HEAD';
    if (path === '/' && get)
      return {
        status: 200,
        headers: [['Content-Type', 'text/html; charset=utf-8']],
        body: '<!doctype html>\n<html lang="en"><head><title>QuickPizza</title></head><body><h1>QuickPizza</h1><p>Looking for a new pizza? Ask for a recommendation.</p><a href="/login">Login</a></body></html>\n',
      };
    if (path === '/api/pizza') return method === 'POST' ? recommend(request, random) : fail(405, 'use POST');
    if (path === '/api/csrf-token' && (method === 'POST' || get)) {
      const issued = token(random);
      csrfTokens.add(issued);
      return json(200, { csrf_token: issued }, [['Set-Cookie', `csrf_token=${issued}; Path=/; SameSite=Strict`]]);
    }
    if (path === '/api/users/token/login') return method === 'POST' ? login(request, random) : fail(405, 'use POST');
    if (path === '/api/users/token/authenticate') {
      const { user } = caller(request);
      return user === null ? fail(401, 'invalid token') : json(200, { id: user.id, username: user.username });
    }
    if (path === '/api/users' && method === 'POST') {
      const body = readJson(request);
      const { username, password } = body.ok ? body.value : {};
      if (typeof username !== 'string' || username.length < 3 || typeof password !== 'string' || password.length < 8)
        return fail(400, 'a user needs a username of 3 or more characters and a password of 8 or more');
      if (users.has(username)) return fail(409, `user ${username} already exists`);
      const user = { id: users.size + 1, username, password };
      users.set(username, user);
      return json(201, { id: user.id, username });
    }
    const rating = /^\/api\/ratings(?:\/(\d+))?$/.exec(path);
    if (rating) return rate(request, rating[1] === undefined ? null : Number(rating[1]));
    if (get) {
      if (path === '/api/doughs') return json(200, { doughs: CATALOG.doughs });
      if (path === '/api/tools') return json(200, { tools: CATALOG.tools });
      if (path === '/api/quotes') return json(200, { quotes: CATALOG.quotes });
      if (path === '/api/names') return json(200, { names: CATALOG.names });
      if (path === '/api/adjectives') return json(200, { adjectives: CATALOG.adjectives });
      const type = /^\/api\/ingredients\/([a-z_]+)$/.exec(path)?.[1];
      if (type !== undefined) {
        const lists: Record<string, Ingredient[]> = {
          olive_oil: CATALOG.oliveOils,
          tomato: CATALOG.tomatoes,
          mozzarella: CATALOG.mozzarellas,
          topping: CATALOG.toppings,
        };
        const items = lists[type];
        if (items === undefined)
          return { status: 400, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: `Unknown ingredient "${type}"` };
        const vegetarian = parseQuery(queryOf(request.url)).get('is_vegetarian')?.[0];
        return json(200, { ingredients: vegetarian === undefined ? items : items.filter((i) => i.vegetarian === (vegetarian === 'true')) });
      }
    }
    return { status: 404, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: '404 page not found\n' };
  };
}

/** quickpizza.grafana.com and a local QuickPizza on its default port. */
export function quickPizzaTarget(): Target {
  return {
    hosts: ['quickpizza.grafana.com', 'localhost:3333', '127.0.0.1:3333'],
    service: QUICKPIZZA_SERVICE,
    responder: createQuickPizzaResponder(),
  };
}

export const QUICKPIZZA_BASE_URL = 'https://quickpizza.grafana.com';

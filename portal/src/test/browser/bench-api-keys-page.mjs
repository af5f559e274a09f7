// Benchmark: the API Keys page of an organization with 10,000 secret keys, 200 loads, p50 and p99.
// Needs a running standalone: PORTAL_URL, IDP_URL, COMMAND_URL, QUERY_URL (defaults: its ports).
// PAGE_QUERY (e.g. '?sort=name') loads another order of the page instead of the default (newest first).
import { chromium } from 'playwright-core';

const PORTAL = process.env.PORTAL_URL ?? 'http://127.0.0.1:8083';
const IDP = process.env.IDP_URL ?? 'http://localhost:8090';
const COMMAND = process.env.COMMAND_URL ?? 'http://127.0.0.1:8081';
const QUERY = process.env.QUERY_URL ?? 'http://127.0.0.1:8082';
const KEYS = Number(process.env.KEYS ?? 10_000);
const LOADS = Number(process.env.LOADS ?? 200);

async function token(body) {
  const response = await fetch(IDP + '/dev/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()).access_token;
}
async function call(method, url, bearer, body) {
  const response = await fetch(url, {
    method, headers: { Authorization: 'Bearer ' + bearer, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

// ORG: an organization that already has its keys (issuing 10,000 takes minutes on a busy machine).
const root = await token({ subject: 'bench', roles: ['platform_admin'] });
const org = process.env.ORG
  ?? (await call('POST', COMMAND + '/api/v1/organizations', root, { name: 'Bench ' + Date.now(), plan: 'pro' })).id;
const admin = await token({ subject: 'bench', organization_id: org, roles: ['org_admin'] });
console.log(`organization ${org}`);
if (!process.env.ORG) {
  let next = 0;
  const begin = Date.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < KEYS) {
      const i = next++;
      await call('POST', `${COMMAND}/api/v1/organizations/${org}/api-keys`, admin, { name: `bench-${i}` });
    }
  }));
  console.log(`issued ${KEYS} keys in ${Date.now() - begin} ms`);
}
// The read API pages (at most 1000 keys an answer): count every page, following next_cursor.
async function listed() {
  let count = 0;
  let cursor = null;
  do {
    const page = await call('GET', `${QUERY}/api/v1/organizations/${org}/api-keys?type=secret&limit=1000`
      + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''), admin);
    count += page.data.length;
    cursor = page.next_cursor;
  } while (cursor);
  return count;
}
while ((await listed()) < KEYS) await new Promise((resolve) => setTimeout(resolve, 500));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
await page.goto(PORTAL + '/');
await page.getByLabel('Subject', { exact: true }).fill('bench');
await page.getByLabel('Organization ID', { exact: true }).fill(org);
await page.getByLabel('Role', { exact: true }).selectOption('org_admin');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor({ timeout: 60_000 });

const url = `${PORTAL}/organizations/${org}/api-keys${process.env.PAGE_QUERY ?? ''}`;
for (let i = 0; i < 10; i++) await page.request.get(url); // warm-up
const times = [];
for (let i = 0; i < LOADS; i++) {
  const start = performance.now();
  const response = await page.request.get(url);
  await response.body();
  if (response.status() !== 200) throw new Error('status ' + response.status());
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
console.log(`API Keys page, ${KEYS} keys, ${LOADS} loads: p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms`);
await browser.close();

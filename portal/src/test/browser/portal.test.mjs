// Browser tests of the portal in a real Chromium, against a running standalone.
// Run by standalone's PortalBrowserIntegrationTest (which starts the platform and sets the URLs);
// by hand: PORTAL_URL=http://127.0.0.1:8083 EDGE_URL=http://127.0.0.1:8080 node portal.test.mjs
// With SCREENSHOT_DIR set, it also saves the screenshots of docs/portal/.
import assert from 'node:assert/strict';
import http from 'node:http';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const PORTAL = process.env.PORTAL_URL ?? 'http://127.0.0.1:8083';
const EDGE = process.env.EDGE_URL ?? 'http://127.0.0.1:8080';
const SHOTS = process.env.SCREENSHOT_DIR;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = Number(process.env.BROWSER_TIMEOUT_MS ?? 30_000);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  // Without the last three Chromium stalls on a closed network.
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

let failures = 0;
async function step(name, body) {
  const begin = Date.now();
  try {
    await body();
    console.log(`ok - ${name} (${Date.now() - begin} ms)`);
  } catch (error) {
    failures++;
    console.log(`not ok - ${name} (${Date.now() - begin} ms)\n  ${String(error?.stack ?? error).split('\n').join('\n  ')}`);
    throw error;
  }
}

// axe-core on every page the suite visits: serious and critical violations fail the last step.
const axeViolations = [];
const axeChecked = new Set();
async function accessible(page, name) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  axeChecked.add(name);
  for (const violation of results.violations.filter((v) => ['serious', 'critical'].includes(v.impact))) {
    axeViolations.push(`${name}: ${violation.id} (${violation.impact}) ${violation.help}: `
      + violation.nodes.map((node) => node.target.join(' ')).join(', '));
  }
}

async function shot(page, name) {
  await accessible(page, name);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Polls until body() stops throwing, for what crosses the event pipeline (read side, edge). */
async function eventually(body, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await body();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function newUser() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT * 2);
  return { context, page: await context.newPage() };
}

/** Opens the portal unsigned, signs in on the identity provider's development page. */
async function signIn(page, { subject, organization = '', role }) {
  await page.goto(PORTAL + '/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  if (!axeChecked.has('sign-in page')) await accessible(page, 'sign-in page');
  await page.getByLabel('Subject', { exact: true }).fill(subject);
  await page.getByLabel('Organization ID', { exact: true }).fill(organization);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.href.startsWith(PORTAL));
}

async function callEdge(key, headers = {}) {
  const response = await fetch(EDGE + '/api/v1/chat/message', {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ message: 'hello', conversation_id: 'conv-browser' }),
  });
  await response.arrayBuffer();
  return response.status;
}

// A page served from the database's allowed origin, to call the edge as a widget would.
const origin = http.createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html' });
  response.end('<!DOCTYPE html><title>widget</title><h1>Widget host</h1>');
});
await new Promise((resolve) => origin.listen(0, '127.0.0.1', resolve));
const ORIGIN = `http://127.0.0.1:${origin.address().port}`;

const suffix = Date.now().toString(36);
let orgA;
let orgB;
let secretKey;
let rolledKey;
let secretName = `ci-backend-${suffix}`;

try {
  await step('platform_admin creates two organizations and changes a plan', async () => {
    const { context, page } = await newUser();
    await signIn(page, { subject: 'root', role: 'platform_admin' });
    await page.getByRole('heading', { name: 'Organizations' }).waitFor();
    await accessible(page, 'organizations');
    for (const name of [`Acme ${suffix}`, `Globex ${suffix}`]) {
      await page.getByRole('button', { name: 'Create organization' }).click();
      if (!axeChecked.has('create organization')) await accessible(page, 'create organization');
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Plan', { exact: true }).selectOption('starter');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name }).waitFor();
      const id = new URL(page.url()).pathname.split('/')[2];
      assert.match(id, /^org_/);
      if (orgA === undefined) orgA = id; else orgB = id;
    }
    await page.goto(`${PORTAL}/organizations/${orgA}`);
    await page.getByLabel('Plan', { exact: true }).selectOption('pro');
    await page.getByRole('button', { name: 'Save plan' }).click();
    await page.getByText('Plan saved.').waitFor();
    assert.ok((await page.locator('dl').innerText()).includes('600'), 'pro allows 600 requests per minute');
    await page.getByRole('link', { name: `Globex ${suffix}` }).waitFor();
    await shot(page, 'organization');
    await context.close();
  });

  const admin = await newUser();
  await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: PORTAL });

  await step('org_admin signs in and lands on the API Keys page of the organization', async () => {
    await signIn(admin.page, { subject: 'alice', organization: orgA, role: 'org_admin' });
    await admin.page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    assert.equal(new URL(admin.page.url()).pathname, `/organizations/${orgA}/api-keys`);
    const nav = admin.page.getByRole('navigation', { name: 'Main' });
    for (const link of ['API Keys', 'Databases', 'Audit log', 'Organization']) {
      await nav.getByRole('link', { name: link, exact: true }).waitFor();
    }
    await nav.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  await step('creates a secret key, shown once, accepted by the edge, gone after a reload', async () => {
    const page = admin.page;
    await page.getByRole('button', { name: 'Create API Key' }).click();
    await page.getByLabel('Name', { exact: true }).fill(secretName);
    await shot(page, 'create-api-key');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api-keys')),
      page.getByRole('button', { name: 'Create' }).click(),
    ]);
    assert.match(response.headers()['cache-control'] ?? '', /no-store/);
    const code = page.getByLabel('New API key', { exact: true });
    assert.equal(await code.evaluate((element) => element.tagName), 'CODE');
    secretKey = (await code.innerText()).trim();
    assert.match(secretKey, /^sk_[0-9A-Za-z]{64}$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secretKey);
    assert.ok((await page.getByRole('alert').innerText()).includes('shown only once'));
    await shot(page, 'new-api-key');
    await eventually(async () => assert.equal(await callEdge(secretKey), 200));
    await page.goto(`${PORTAL}/organizations/${orgA}/api-keys`);
    await page.reload();
    await page.getByRole('link', { name: secretName }).waitFor();
    assert.ok(!(await page.content()).includes(secretKey), 'the plaintext is not on the page any more');
    assert.ok((await page.content()).includes('sk_...' + secretKey.slice(-4)), 'the masked key is');
  });

  await step('last used and usage count move after calls', async () => {
    const page = admin.page;
    await page.getByRole('link', { name: secretName }).click();
    await page.getByRole('heading', { name: secretName }).waitFor();
    const count = async () => Number((await page.locator('dt:text-is("Usage count") + dd').innerText()).trim());
    const before = await count();
    for (let i = 0; i < 3; i++) assert.equal(await callEdge(secretKey), 200);
    await eventually(async () => {
      await page.reload();
      assert.ok((await count()) >= before + 3, `usage count ${await count()} grew from ${before} by 3`);
      assert.notEqual((await page.locator('dt:text-is("Last used") + dd').innerText()).trim(), 'never');
    });
    await shot(page, 'api-key');
  });

  await step('the API Keys page shows the organization totals of 24 hours and 30 days, and no badge on a new key', async () => {
    const page = admin.page;
    await page.goto(`${PORTAL}/organizations/${orgA}/api-keys`);
    const accepted = async (period) => Number((await page.getByRole('row', { name: new RegExp(period) })
      .getByRole('cell').first().innerText()).trim());
    await eventually(async () => {
      await page.reload();
      assert.ok((await accepted('Last 24 hours')) >= 4, `accepted in 24 hours: ${await accepted('Last 24 hours')}`);
      assert.ok((await accepted('Last 30 days')) >= 4, `accepted in 30 days: ${await accepted('Last 30 days')}`);
    });
    const row = await page.getByRole('row', { name: new RegExp(secretName) }).innerText();
    assert.ok(!row.includes('Unused 30 days') && !row.includes('rotation due'), `a new key carries no badge: ${row}`);
    await page.getByText('Badges:', { exact: false }).waitFor();
  });

  let publicKey;
  const databaseName = `shop-${suffix}`;
  await step('creates a database with an origin and a public key the widget uses from that origin', async () => {
    const page = admin.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Databases' }).click();
    await page.getByRole('heading', { name: 'Databases' }).waitFor();
    await accessible(page, 'databases');
    await page.getByRole('button', { name: 'Create database' }).click();
    await accessible(page, 'create database');
    await page.getByLabel('Name', { exact: true }).fill(databaseName);
    await page.getByLabel('Allowed origins', { exact: true }).fill(`${ORIGIN}\nhttps://shop.example.com`);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: databaseName, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Widget Integration' }).waitFor();
    assert.ok((await page.getByLabel('Allowed origins', { exact: true }).inputValue()).includes(ORIGIN));
    await page.getByRole('button', { name: 'Create New API Key' }).click();
    await accessible(page, 'create public key');
    await page.getByLabel('Name', { exact: true }).fill('widget');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: databaseName, level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'widget' });
    publicKey = (await row.locator('code').innerText()).trim();
    assert.match(publicKey, /^pk_[0-9A-Za-z]{64}$/);
    await row.getByRole('button', { name: 'Copy' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), publicKey);
    await row.getByRole('button', { name: 'Revoke' }).waitFor();
    assert.ok((await page.locator('#embed-snippet').innerText()).includes(publicKey));
    await shot(page, 'database');

    const widget = await admin.context.newPage();
    await widget.goto(ORIGIN + '/');
    await eventually(async () => {
      const status = await widget.evaluate(async ({ edge, key }) => {
        const response = await fetch(edge + '/api/v1/chat/message', {
          method: 'POST',
          headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
          body: JSON.stringify({ message: 'hi from the widget', conversation_id: 'conv-widget' }),
        });
        return response.status;
      }, { edge: EDGE, key: publicKey });
      assert.equal(status, 200);
    });
    await widget.close();
    assert.equal(await callEdge(publicKey, { Origin: 'https://evil.example' }), 403);
  });

  await step('org_member sees the keys and databases but no control that changes them', async () => {
    const { context, page } = await newUser();
    await signIn(page, { subject: 'bob', organization: orgA, role: 'org_member' });
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    await page.getByRole('link', { name: secretName }).waitFor();
    for (const name of ['Create API Key', 'Roll', 'Revoke']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `no ${name} for a member`);
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Databases' }).click();
    assert.equal(await page.getByRole('button', { name: 'Create database' }).count(), 0);
    await page.getByRole('link', { name: databaseName }).click();
    await page.getByRole('heading', { name: 'Widget Integration' }).waitFor();
    for (const name of ['Create New API Key', 'Revoke', 'Save origins']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `no ${name} for a member`);
    }
    await page.getByText(publicKey, { exact: true }).waitFor();
    await context.close();
  });

  await step('an admin of another organization gets the 403 page for every URL of the first', async () => {
    const { context, page } = await newUser();
    await signIn(page, { subject: 'mallory', organization: orgB, role: 'org_admin' });
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    for (const path of ['api-keys', 'databases', 'audit-log', '', 'api-keys/new']) {
      const response = await page.goto(`${PORTAL}/organizations/${orgA}${path ? '/' + path : ''}`);
      assert.equal(response.status(), 403, `${path} answers 403`);
      await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    }
    await shot(page, 'access-denied');
    await context.close();
  });

  await step('revokes the secret key through the confirmation dialog; the edge then answers 401', async () => {
    const page = admin.page;
    await page.goto(`${PORTAL}/organizations/${orgA}/api-keys`);
    await shot(page, 'api-keys');
    const row = page.getByRole('row').filter({ hasText: secretName });
    await row.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.ok((await dialog.innerText()).includes(secretName), 'the dialog names the key');
    await dialog.getByRole('button', { name: 'Cancel' }).waitFor();
    await shot(page, 'revoke');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    await eventually(async () => assert.equal(await callEdge(secretKey), 401), 5_000);
    await page.reload();
    assert.ok((await page.getByRole('row').filter({ hasText: secretName }).innerText()).includes('revoked'));
  });

  await step('rolls a key: the successor is shown once and works', async () => {
    const page = admin.page;
    await page.getByRole('button', { name: 'Create API Key' }).click();
    await page.getByLabel('Name', { exact: true }).fill(`rolled-${suffix}`);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('link', { name: 'Done' }).click();
    await eventually(async () => {
      await page.reload();
      await page.getByRole('row').filter({ hasText: `rolled-${suffix}` }).getByRole('button', { name: 'Roll' }).click({ timeout: 1000 });
    });
    await accessible(page, 'roll dialog');
    await page.getByRole('dialog').getByLabel('Grace period (seconds)', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Roll key' }).click();
    rolledKey = (await page.getByLabel('New API key', { exact: true }).innerText()).trim();
    assert.match(rolledKey, /^sk_/);
    await eventually(async () => assert.equal(await callEdge(rolledKey), 200));
  });

  await step('platform_admin suspends the organization in a dialog: its keys get 401, its admin sees why; reactivation restores them', async () => {
    const root = await newUser();
    await signIn(root.page, { subject: 'root', role: 'platform_admin' });
    await root.page.goto(`${PORTAL}/organizations/${orgA}`);
    await root.page.getByRole('button', { name: 'Suspend organization' }).click();
    const dialog = root.page.getByRole('dialog');
    await dialog.waitFor();
    await accessible(root.page, 'suspend dialog');
    const reason = `unpaid invoices ${suffix}`;
    await dialog.getByLabel('Reason', { exact: true }).fill(reason);
    await dialog.getByRole('button', { name: 'Suspend organization' }).click();
    // The page reads the organization from the read side, which follows the event shortly.
    await eventually(async () => {
      await root.page.goto(`${PORTAL}/organizations/${orgA}`);
      await root.page.getByRole('button', { name: 'Reactivate organization' }).waitFor({ timeout: 1000 });
    });
    await eventually(async () => assert.equal(await callEdge(rolledKey), 401), 5_000);
    assert.equal(await callEdge(publicKey, { Origin: ORIGIN }), 401);

    await admin.page.goto(`${PORTAL}/organizations/${orgA}/api-keys`);
    assert.ok((await admin.page.locator('#suspension-banner').innerText()).includes(reason), 'the admin sees the reason');
    await admin.page.getByRole('link', { name: `rolled-${suffix}` }).first().waitFor();
    await accessible(admin.page, 'suspended organization');

    await root.page.getByRole('button', { name: 'Reactivate organization' }).click();
    await root.page.getByRole('dialog').getByRole('button', { name: 'Reactivate organization' }).click();
    await eventually(async () => {
      await root.page.goto(`${PORTAL}/organizations/${orgA}`);
      await root.page.getByRole('button', { name: 'Suspend organization' }).waitFor({ timeout: 1000 });
    });
    await eventually(async () => assert.equal(await callEdge(rolledKey), 200), 5_000);
    await eventually(async () => assert.equal(await callEdge(publicKey, { Origin: ORIGIN }), 200), 5_000);
    assert.equal(await callEdge(secretKey), 401, 'a key revoked before the suspension stays revoked');
    await admin.page.reload();
    assert.equal(await admin.page.locator('#suspension-banner').count(), 0);
    await root.context.close();
  });

  await step('deletes the database in a dialog: its public key gets 401 and the database leaves the list', async () => {
    const page = admin.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Databases' }).click();
    await page.getByRole('link', { name: databaseName }).click();
    await page.getByRole('button', { name: 'Delete database' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.ok((await dialog.innerText()).includes(databaseName), 'the dialog names the database');
    await accessible(page, 'delete database dialog');
    await dialog.getByRole('button', { name: 'Delete database' }).click();
    await page.getByRole('heading', { name: 'Databases' }).waitFor();
    await eventually(async () => assert.equal(await callEdge(publicKey, { Origin: ORIGIN }), 401), 5_000);
    await eventually(async () => {
      await page.reload();
      assert.equal(await page.getByRole('link', { name: databaseName }).count(), 0);
    });
  });

  await step('revokes every key at once; the dialog names how many; the edge then answers 401', async () => {
    const page = admin.page;
    await page.goto(`${PORTAL}/organizations/${orgA}/api-keys`);
    await page.getByRole('button', { name: 'Revoke all keys' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const named = (await dialog.innerText()).match(/revokes (\d+) active keys?/);
    assert.ok(named && Number(named[1]) >= 1, 'the dialog names how many keys it revokes');
    await accessible(page, 'revoke all dialog');
    await dialog.getByLabel('Reason', { exact: true }).fill('leaked in a public repository');
    await dialog.getByRole('button', { name: new RegExp(`^Revoke ${named[1]} keys?$`) }).click();
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    await eventually(async () => assert.equal(await callEdge(rolledKey), 401), 5_000);
  });

  await step('the audit log lists the changes newest first, filters, and downloads NDJSON', async () => {
    const page = admin.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('cell', { name: 'api_key.revoked' }).first().waitFor();
    const times = await page.locator('tbody tr td:first-child').allInnerTexts();
    assert.deepEqual([...times].sort().reverse(), times, 'newest first');
    await page.getByLabel('From', { exact: true }).fill('2020-01-01T00:00');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'api_key.issued' }).first().waitFor();
    await shot(page, 'audit-log');
    const href = await page.getByRole('link', { name: 'Download' }).getAttribute('href');
    const download = await page.request.get(new URL(href, PORTAL).href);
    assert.equal(download.status(), 200);
    assert.match(download.headers()['content-type'], /application\/x-ndjson/);
    const lines = (await download.text()).trim().split('\n').map((line) => JSON.parse(line));
    assert.ok(lines.some((entry) => entry.type === 'api_key.revoked'));
  });

  await step('axe-core finds no serious or critical violation on any page', async () => {
    assert.ok(axeChecked.size >= 15, `${axeChecked.size} pages checked: ${[...axeChecked].join(', ')}`);
    assert.deepEqual(axeViolations, []);
  });

  await step('signs out', async () => {
    await admin.page.getByRole('button', { name: 'Sign out' }).click();
    await admin.page.goto(`${PORTAL}/organizations/${orgA}/api-keys`);
    await admin.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    if (SHOTS) await shot(admin.page, 'sign-in');
    await admin.context.close();
  });
} catch (error) {
  // Reported by step(); the exit code says it.
} finally {
  await browser.close();
  origin.close();
}
console.log(failures === 0 ? 'portal browser tests passed' : `portal browser tests FAILED (${failures})`);
process.exit(failures === 0 ? 0 : 1);

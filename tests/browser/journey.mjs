// The browser journey: language switch, staff login with TOTP enrolment, the audit log,
// logout; axe-core on every page. Started by ./run, which provides a server and an admin.
//
// Environment: BASE_URL, ADMIN_EMAIL, ADMIN_PASSWORD, CHROMIUM (default /usr/bin/chromium),
// ARTIFACTS (where a failure leaves a screenshot and the page's HTML), HEADED=1 to watch.

import { createHmac } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

const BASE = must('BASE_URL').replace(/\/$/, '');
const EMAIL = must('ADMIN_EMAIL');
const PASSWORD = must('ADMIN_PASSWORD');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = process.env.ARTIFACTS || '';
const MAIL_DIR = must('MAIL_DIR');
const STAFF_PASSWORD = must('STAFF_PASSWORD');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const BLOCKING = new Set(['serious', 'critical']);
const IMPACTS = ['critical', 'serious', 'moderate', 'minor'];
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function must(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (start this through tests/browser/run)`);
  return v;
}

// --- RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) ---------------------------------------------

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(bin).padStart(digits, '0');
}

function totp(secretBase32, unixSeconds = Date.now() / 1000, step = 30, digits = 6) {
  return hotp(base32Decode(secretBase32), Math.floor(unixSeconds / step), digits);
}

// RFC 6238 appendix B (SHA-1 seed "12345678901234567890") and RFC 4648 base32 vectors.
function selfTest() {
  const seed = base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert(seed.toString() === '12345678901234567890', 'base32 decodes the RFC 6238 seed');
  assert(base32Decode('MZXW6YTBOI======').toString() === 'foobar', 'base32 decodes "foobar"');
  const vectors = [[59, '94287082'], [1111111109, '07081804'], [1234567890, '89005924'], [20000000000, '65353130']];
  for (const [t, want] of vectors) {
    assert(hotp(seed, Math.floor(t / 30), 8) === want, `TOTP vector at T=${t} is ${want}`);
  }
}

// --- small helpers ---------------------------------------------------------------------------

class Failure extends Error {}

function assert(cond, what) {
  if (!cond) throw new Failure(`assertion failed: ${what}`);
}

function equal(actual, expected, what) {
  if (actual !== expected) {
    throw new Failure(`assertion failed: ${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const path = (page) => {
  const u = new URL(page.url());
  return u.pathname + u.search;
};

async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

// --- mail through the loopback SMTP server (smtp-sink.mjs) -----------------------------------

// The first message to `to` whose subject matches, waiting up to 15 s for the outbox worker.
async function mailTo(to, subject) {
  for (let i = 0; i < 150; i += 1) {
    for (const f of readdirSync(MAIL_DIR).sort()) {
      const m = JSON.parse(readFileSync(join(MAIL_DIR, f), 'utf8'));
      if (m.to.includes(to) && subject.test(m.subject)) return m;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Failure(`no mail to ${to} with a subject like ${subject}`);
}

function linkIn(message, prefix) {
  const m = message.text.match(new RegExp(`${prefix.replace(/[.?]/g, '\\$&')}[^\\s]*`));
  if (!m) throw new Failure(`no link ${prefix} in: ${message.text}`);
  return m[0];
}

// --- the run ---------------------------------------------------------------------------------

const summary = [];
const problems = [];
let lastDocument = null; // the main frame's last non-redirect document response
let lastBody = Promise.resolve(null); // and its body

async function checkPage(page, name) {
  const response = lastDocument;
  assert(response, `${name}: a document response was seen`);
  const status = response.status();
  const body = await lastBody;
  assert(body !== null, `${name}: the document's body could be read`);
  const csp = (await response.allHeaders())['content-security-policy'] || '';
  assert(csp.includes("script-src 'self'"), `${name}: the page is sent with its Content-Security-Policy`);

  // Evaluated through the DevTools protocol, so the page's CSP stays in force for everything else.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  const counts = Object.fromEntries(IMPACTS.map((i) => [i, 0]));
  for (const v of result.violations) counts[v.impact] = (counts[v.impact] || 0) + 1;
  summary.push({ name, url: path(page), status, bytes: body.length, counts, violations: result.violations });
  for (const v of result.violations) {
    const bad = BLOCKING.has(v.impact);
    if (bad) problems.push(`${name} (${path(page)}): ${v.id} [${v.impact}] ${v.help}; at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    const lines = [`  ${bad ? '✗' : '·'} [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`];
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`      at ${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 300)}`);
      lines.push(`         ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    if (v.nodes.length > 8) lines.push(`      … and ${v.nodes.length - 8} more`);
    console.log(lines.join('\n'));
  }
}

// Clicks and waits for the main frame to load the document that answers (same URL or not).
async function submit(page, locator) {
  const navigated = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
  await locator.click();
  await navigated;
  await page.waitForLoadState('load');
}

let stepsPassed = 0;
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
  } catch (err) {
    console.log(`✗ ${name}`);
    throw err;
  }
  stepsPassed += 1;
  console.log(`✓ ${name} (${Date.now() - t0} ms)`);
}

// axe must find a planted violation, or a broken injection would pass every page.
async function axeSanity(browser) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.setContent('<!doctype html><html lang="en"><title>t</title><main><img src="x.png"><input></main></html>');
  await p.evaluate(axeSource);
  const r = await p.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  const ids = r.violations.map((v) => v.id);
  assert(ids.includes('image-alt') && ids.includes('label'), `axe finds planted violations (${ids.join(', ')})`);
  await ctx.close();
}

async function main() {
  selfTest();
  if (ARTIFACTS) rmSync(ARTIFACTS, { recursive: true, force: true });

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !process.env.HEADED,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  await axeSanity(browser);
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.setDefaultNavigationTimeout(30_000);

  // Script errors, CSP refusals and failed sub-resources fail the run. Documents answered with
  // 4xx on purpose (a refused form) are checked by the steps, and Chromium's automatic
  // /favicon.ico request is only noted.
  const pageErrors = [];
  const notes = new Set();
  let cspProbe = null; // console messages expected while the CSP probe runs
  page.on('pageerror', (e) => pageErrors.push(`page error at ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.text().startsWith('Failed to load resource')) {
      // Sub-resources are checked by the response handler below, documents by the steps.
      const url = m.location().url || '';
      if (url && new URL(url).pathname === '/favicon.ico') notes.add(`note: ${url.replace(BASE, '')}: ${m.text()}`);
      return;
    }
    if (cspProbe) cspProbe.push(m.text());
    else pageErrors.push(`console error at ${page.url()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    const navigation = r.frame() === page.mainFrame() && r.request().isNavigationRequest();
    if (navigation && !(r.status() >= 300 && r.status() < 400)) {
      lastDocument = r;
      // Read the body at once: Chromium may drop it later.
      lastBody = r.body().catch(() => null);
    }
    if (!navigation && r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') {
      pageErrors.push(`${r.status()} for ${r.url()} (loaded by ${page.url()})`);
    }
  });
  page.on('requestfailed', (r) => pageErrors.push(`request failed: ${r.url()}: ${r.failure()?.errorText}`));

  const header = page.locator('header.site');
  const logoutButton = header.locator('form[action$="/logout"] button[type="submit"]');

  try {
    await step('1. / redirects to the Ukrainian home page', async () => {
      const first = await page.goto(`${BASE}/`);
      equal(path(page), '/uk/', 'path after opening /');
      equal(first.status(), 200, 'status of /uk/');
      equal(await page.getAttribute('html', 'lang'), 'uk', '<html lang>');
      const title = await page.title();
      assert(/hromada/.test(title), `title names the site (${title})`);
      const lang = header.locator('a.lang');
      equal(await text(lang), 'English', 'language switch label on the Ukrainian page');
      equal(await lang.getAttribute('hreflang'), 'en', 'language switch hreflang');
      equal(await lang.getAttribute('lang'), 'en', 'language switch lang (its label is English)');
      equal(await header.locator('a[href="/uk/login"]').count(), 1, 'a login link in the header');
      equal(await logoutButton.count(), 0, 'no logout button before login');
      assert(await page.evaluate(() => getComputedStyle(document.body).fontFamily !== ''), 'the stylesheet applies');
      equal(await page.evaluate(() => document.styleSheets.length), 1, 'the one stylesheet loaded');
      await checkPage(page, 'home (uk)');
      // The CSP is in force (axe was evaluated through DevTools, not injected): an inline
      // script added to the page does not run.
      cspProbe = [];
      const ran = await page.evaluate(async () => {
        const refused = new Promise((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true';
        document.head.append(s);
        return { ran: window.__inlineRan === true, directive: await refused };
      });
      cspProbe = null;
      equal(ran.ran, false, 'an inline script runs under the CSP');
      assert(/^script-src/.test(ran.directive), `the CSP refused it under script-src (${ran.directive})`);
    });

    await step('2. the language switch leads to the English home page', async () => {
      await Promise.all([page.waitForURL(`${BASE}/en/`), header.locator('a.lang').click()]);
      equal(await page.getAttribute('html', 'lang'), 'en', '<html lang>');
      equal(await text(header.locator('a.lang')), 'Українська', 'language switch label on the English page');
      equal(await text(page.locator('main h1')), "Ukraine's communities together", 'English home heading');
      equal(await page.getAttribute('link[rel="alternate"][hreflang="uk"]', 'href'), '/uk/', 'hreflang alternate for uk');
      await checkPage(page, 'home (en)');
    });

    let secret = '';
    await step('3a. the login page, reached from the header link', async () => {
      await Promise.all([page.waitForURL(/\/en\/login$/), header.locator('a[href="/en/login"]').click()]);
      equal(await text(page.locator('main h1')), 'Log in', 'login heading');
      equal(await page.locator('form[action="/en/login"] input[name="csrf"]').count(), 1, 'login form carries a CSRF field');
      const csrf = await page.locator('form[action="/en/login"] input[name="csrf"]').inputValue();
      assert(csrf.length >= 16, 'CSRF value is not empty');
      await checkPage(page, 'login');
    });

    await step('3b. a wrong password is refused on the same page', async () => {
      await page.fill('#email', EMAIL);
      await page.fill('#password', 'not-the-password-123');
      await submit(page, page.locator('form[action="/en/login"] button[type="submit"]'));
      equal(path(page), '/en/login', 'still on the login page');
      equal(lastDocument.status(), 422, 'status of a refused login');
      assert((await page.locator('.errors[role="alert"]').count()) === 1, 'an error summary with role=alert');
      equal(await page.inputValue('#email'), EMAIL, 'the email is kept');
      equal(await logoutButton.count(), 0, 'still signed out');
      await checkPage(page, 'login (wrong password)');
    });

    await step('3c. the right password leads staff to 2FA enrolment', async () => {
      await page.fill('#email', EMAIL);
      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL(/\/en\/account\/2fa$/), page.click('form[action="/en/login"] button[type="submit"]')]);
      const cookies = await context.cookies(BASE);
      const session = cookies.find((c) => c.name === 'hromada_session');
      assert(session && session.value.length > 16, 'a session cookie is set');
      assert(session.httpOnly, 'the session cookie is HttpOnly');
      equal(session.sameSite, 'Lax', 'the session cookie SameSite');
      equal(session.secure, false, 'the session cookie is not Secure on an http:// base URL');
      equal(await text(page.locator('main h1')), 'Two-factor authentication', '2FA page heading');
      secret = (await page.locator('code.secret').innerText()).trim();
      assert(/^[A-Z2-7]{16,}=*$/.test(secret), `the secret is base32 (${secret})`);
      assert(await page.locator('figure.qr svg[role="img"]').isVisible(), 'the QR code is shown');
      await checkPage(page, '2FA enrolment');
    });

    await step('3d. enrolment is required before staff pages open', async () => {
      await page.goto(`${BASE}/en/admin/audit`);
      equal(path(page), '/en/account/2fa', 'the audit log sends an unenrolled admin to enrolment');
      equal((await page.locator('code.secret').innerText()).trim(), secret, 'the pending secret stays the same');
    });

    await step('3e. a wrong code is refused', async () => {
      const now = Date.now() / 1000;
      const near = new Set([-1, 0, 1].map((d) => totp(secret, now + d * 30)));
      let wrong = totp(secret, now);
      while (near.has(wrong)) wrong = String((Number(wrong) + 1) % 1e6).padStart(6, '0');
      await page.fill('#code', wrong);
      await submit(page, page.locator('form[action="/en/account/2fa"] button[type="submit"]'));
      equal(path(page), '/en/account/2fa', 'still on the enrolment page');
      equal(lastDocument.status(), 422, 'status of a wrong code');
      assert(/wrong/.test(await text(page.locator('.errors[role="alert"]'))), 'the error says the code is wrong');
      await checkPage(page, '2FA enrolment (wrong code)');
    });

    await step('3f. the current TOTP code turns 2FA on and signs the admin in', async () => {
      const code = totp(secret);
      await page.fill('#code', code);
      await Promise.all([page.waitForURL(/\/en\/account\?done=totp$/), page.click('form[action="/en/account/2fa"] button[type="submit"]')]);
      equal(await text(page.locator('main h1')), 'Account', 'account heading');
      equal(await text(page.locator('.notice[role="status"]')), 'Two-factor authentication is on.', 'confirmation notice');
      const facts = await text(page.locator('dl.facts'));
      assert(facts.includes(EMAIL), `the account page shows the email (${facts})`);
      assert(/Two-factor authentication on/.test(facts), `the account page shows 2FA on (${facts})`);
      assert(await logoutButton.isVisible(), 'a logout button is visible');
      equal(await header.locator('a[href="/en/login"]').count(), 0, 'no login link when signed in');
      equal(await text(header.locator('a[href="/en/account"]')), 'admin', 'the header names the account');
      await checkPage(page, 'account');
    });

    await step('4. the audit log lists the admin\'s creation, login and enrolment', async () => {
      const link = header.locator('nav a[href="/en/admin/audit"]');
      equal(await text(link), 'Audit log', 'admin navigation links the audit log');
      await Promise.all([page.waitForURL(/\/en\/admin\/audit$/), link.click()]);
      equal(lastDocument.status(), 200, 'status of the audit log');
      equal(await text(page.locator('main h1')), 'Audit log', 'audit heading');
      const headers = await page.locator('main table thead th').allInnerTexts();
      equal(headers.join('|'), 'When|Who|Action|Entity|Changes', 'audit table columns');
      const rows = await page.locator('main table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.replace(/\s+/g, ' ').trim())),
      );
      const userId = (await page.locator('main table tbody tr td:nth-child(4)').allInnerTexts())
        .map((s) => s.trim())
        .find((s) => /^user \d+$/.test(s));
      assert(userId, 'an entry about a user');
      const has = (actor, action) => rows.some((r) => r[1].startsWith(actor) && r[2] === action && r[3] === userId);
      assert(has('command line', 'create'), `the command-line creation is listed (${JSON.stringify(rows)})`);
      assert(has(EMAIL, 'login'), `the login is listed (${JSON.stringify(rows)})`);
      assert(has(EMAIL, 'totp_enabled'), `the 2FA enrolment is listed (${JSON.stringify(rows)})`);
      const enrol = rows.find((r) => r[2] === 'totp_enabled');
      assert(/127\.0\.0\.1/.test(enrol[1]), `the enrolment entry records the address (${enrol[1]})`);
      const total = await text(page.locator('main > p').first());
      const n = Number((total.match(/(\d+) entr/) || [])[1]);
      assert(n >= 3 && n === rows.length, `the total (${total}) matches the ${rows.length} rows`);
      await checkPage(page, 'audit log');
    });

    await step('4b. the admin marks a unit\'s status from its page', async () => {
      await page.goto(`${BASE}/en/units/UA63000000000041885`);
      await page.selectOption('#status', 'frontline');
      await page.fill('#since', '2022-02-24');
      await page.fill('#note', 'full-scale invasion');
      await submit(page, page.locator('form[action$="/statuses"] button[type="submit"]'));
      assert(path(page).endsWith('?done=status-saved'), `redirected back to the unit (${path(page)})`);
      const head = await text(page.locator('dl.facts'));
      assert(head.includes('active hostilities since 2022-02-24'), `the status shows (${head})`);
      await checkPage(page, 'unit with status form');
      await page.goto(`${BASE}/en/admin/statuses`);
      equal(await page.locator('form[enctype="multipart/form-data"] input[type="file"]').count(), 1, 'the CSV upload form');
      await checkPage(page, 'status import');
    });

    await step('4c. the admin adds a regional office, a member community and its heads', async () => {
      await page.goto(`${BASE}/en/offices`);
      await page.fill('#o-slug', 'vinnytska');
      await page.fill('#o-name-uk', 'Вінницьке регіональне відділення');
      await page.fill('#o-name-en', 'Vinnytsia regional office');
      await page.check('input[name="oblast"][value="UA05000000000010236"]');
      await checkPage(page, 'offices with the admin form');
      await submit(page, page.locator('form[aria-labelledby="office-form-title"] button[type="submit"]'));
      equal(path(page), '/en/offices/vinnytska', 'the new office page');
      await checkPage(page, 'office');
      await page.goto(`${BASE}/en/members/UA05020030000031457`);
      await page.fill('#since', '2016-05-01');
      await page.fill('#decision_number', '12/3');
      await submit(page, page.locator('form[action$="/join"] button[type="submit"]'));
      assert(path(page).endsWith('?done=joined'), `back on the member page (${path(page)})`);
      equal(await page.locator('table.periods tbody tr').count(), 1, 'one membership period');
      await checkPage(page, 'member with the end form');
      // A head, then a new head who takes over; the first stays in the history.
      const addPost = async (name, since) => {
        await page.selectOption('#post-kind', 'head');
        await page.fill('#post-name', name);
        await page.fill('#post-since', since);
        await submit(page, page.locator('form[aria-labelledby="post-title"] button[type="submit"]'));
        assert(path(page).endsWith('?done=post'), `back on the member page (${path(page)})`);
      };
      await addPost('Олена Коваль', '2020-11-20');
      await addPost('Іван Гнатюк', '2024-03-01');
      const head = await text(page.locator('#head + p'));
      assert(head.includes('Ivan Hnatiuk'), `the new head is shown (${head})`);
      const officials = await text(page.locator('table.posts'));
      assert(officials.includes('Olena Koval') && officials.includes('term ended'), `the old head stays (${officials})`);
      await checkPage(page, 'member with its heads');
      await page.goto(`${BASE}/en/members?oblast=UA05000000000010236`);
      equal(await page.locator('table.members tbody tr').count(), 1, 'the directory lists the member');
      equal(await page.locator('figure.map svg path.map-member').count(), 1, 'the map marks it');
      const figures = await text(page.locator('.figures'));
      assert(figures.startsWith('1 member community'), `the figures count it (${figures})`);
      await checkPage(page, 'member directory');
      await page.goto(`${BASE}/en/members/import`);
      await checkPage(page, 'member import');
      await page.goto(`${BASE}/en/sections`);
      equal(await page.locator('ol.sections li').count(), 17, 'the 17 sections');
      await checkPage(page, 'sections');
    });

    await step('5. logout signs the admin out', async () => {
      await Promise.all([page.waitForURL(`${BASE}/en/`), logoutButton.click()]);
      equal(await logoutButton.count(), 0, 'no logout button after logout');
      equal(await header.locator('a[href="/en/login"]').count(), 1, 'the login link is back');
      equal(await header.locator('nav a[href="/en/admin/audit"]').count(), 0, 'no admin navigation');
      const session = (await context.cookies(BASE)).find((c) => c.name === 'hromada_session');
      assert(!session || session.value === '', 'the session cookie is gone');
      await checkPage(page, 'home after logout');

      await page.goto(`${BASE}/en/admin/audit`);
      equal(path(page), '/en/login?next=%2Fen%2Fadmin%2Faudit', 'the audit log now redirects to login');
      equal(await page.inputValue('form[action="/en/login"] input[name="next"]'), '/en/admin/audit', 'login returns to the audit log');
      await checkPage(page, 'login (redirected)');
    });

    await step('6a. the registry: the oblasts of Ukraine, as a table and a map', async () => {
      await Promise.all([page.waitForURL(`${BASE}/uk/units`), page.goto(`${BASE}/uk/units`)]);
      equal(await text(page.locator('main h1')), 'Адміністративно-територіальні одиниці', 'registry heading');
      equal(await page.locator('table.units tbody tr').count(), 27, 'first-level units in the table');
      equal(await page.locator('figure.map svg a').count(), 27, 'first-level units on the map');
      await checkPage(page, 'registry (uk)');
    });

    await step('6b. oblast → raion → hromada → settlement by their links', async () => {
      const follow = async (name, pathPattern, heading) => {
        await Promise.all([
          page.waitForURL(pathPattern),
          page.locator('table.units tbody a', { hasText: name }).first().click(),
        ]);
        equal(await text(page.locator('main h1')), heading, `heading after following ${name}`);
      };
      await follow('Вінницька область', /\/uk\/units\/UA05000000000010236$/, 'Вінницька область');
      equal(await page.locator('figure.map svg a').count(), 63, 'the oblast map links its 63 hromadas');
      await checkPage(page, 'oblast');
      await follow('Вінницький район', /\/uk\/units\/UA05020000000026686$/, 'Вінницький район');
      equal(await page.locator('figure.map svg .map-focus').count(), 1, 'the raion is highlighted in its oblast');
      await checkPage(page, 'raion');
      await follow('Вінницька міська громада', /\/uk\/units\/UA05020030000031457$/, 'Вінницька міська громада');
      const facts = await text(page.locator('table.facts-table'));
      assert(facts.includes('387 439'), `the hromada's population is shown (${facts.slice(0, 200)})`);
      await checkPage(page, 'hromada');
      await follow('місто Вінниця', /\/uk\/units\/UA05020030010063857$/, 'місто Вінниця');
      equal(await page.locator('nav.crumbs li').count(), 5, 'breadcrumbs from the registry to the city');
      await checkPage(page, 'settlement');
      // The same page in English, through the language switch.
      await Promise.all([page.waitForURL(/\/en\/units\/UA05020030010063857$/), header.locator('a.lang').click()]);
      equal(await text(page.locator('main h1')), 'Vinnytsia city', 'English heading');
      await checkPage(page, 'settlement (en)');
    });

    await step('6c. the header search finds inflected, English and misspelt names', async () => {
      const search = async (q) => {
        await page.fill('#site-q', q);
        await submit(page, header.locator('form.site-search button[type="submit"]'));
        return text(page.locator('table.units tbody tr').first());
      };
      const first = await search('вінницькій');
      assert(first.includes('Vinnytsia oblast'), `an inflected form finds the oblast first (${first})`);
      await checkPage(page, 'search (inflected)');
      const typo = await search('Zhytomr');
      assert(typo.includes('Zhytomyr'), `one typo is forgiven (${typo})`);
      const link = page.locator('table.units tbody a').first();
      await Promise.all([page.waitForURL(/\/en\/units\/UA18/), link.click()]);
      await checkPage(page, 'search result opened');
    });

    await step('6d. an unknown code is a 404 with a search box; About the data lists sources', async () => {
      await page.goto(`${BASE}/en/units/UA99999999999999999`);
      equal(lastDocument.status(), 404, 'status of an unknown code');
      equal(await page.locator('main form[role="search"] input[name="q"]').count(), 1, 'a search box on the 404 page');
      await checkPage(page, 'unknown unit');
      await page.goto(`${BASE}/en/about/data`);
      equal(await page.locator('section.source').count(), 5, 'five sources');
      await checkPage(page, 'about the data');
    });

    // Signs a staff account in, enrolling its second factor on the way.
    const staffLogin = async (email) => {
      await page.goto(`${BASE}/uk/login`);
      await page.fill('#email', email);
      await page.fill('#password', STAFF_PASSWORD);
      await Promise.all([page.waitForURL(/\/uk\/account\/2fa$/), page.click('form[action="/uk/login"] button[type="submit"]')]);
      const staffSecret = (await page.locator('code.secret').innerText()).trim();
      await page.fill('#code', totp(staffSecret));
      await Promise.all([page.waitForURL(/\/uk\/account\?done=totp$/), page.click('form[action="/uk/account/2fa"] button[type="submit"]')]);
    };
    const logout = async () => {
      await Promise.all([page.waitForURL(/\/(uk|en)\/$/), logoutButton.click()]);
    };
    // Sets a new account's password from its mailed link and signs in.
    const setPasswordAndLogin = async (link, email, lang) => {
      await page.goto(link.replace(/^https?:\/\/[^/]+/, BASE));
      const pw = `Journey-${email}-password`;
      await page.fill('#password', pw);
      await page.fill('#password2', pw);
      await Promise.all([page.waitForURL(new RegExp(`/${lang}/login\\?reset=1$`)), page.click(`form[action="/${lang}/password/reset"] button[type="submit"]`)]);
      await page.fill('#email', email);
      await page.fill('#password', pw);
      await submit(page, page.locator(`form[action="/${lang}/login"] button[type="submit"]`));
    };
    let statusPage = '';
    let personPage = '';

    await step('7a. a former mayor applies to the Mayors\' Club in English', async () => {
      await page.goto(`${BASE}/en/club`);
      await checkPage(page, 'club');
      await Promise.all([page.waitForURL(`${BASE}/en/club/apply`), page.click('main a[href="/en/club/apply"]')]);
      await page.fill('#c-name', 'Olena Koval');
      await page.fill('#c-community', 'UA05020030000031457');
      await page.fill('#c-since', '2020-11-20');
      await page.fill('#c-until', '2024-03-01');
      await page.fill('#c-email', 'olena.koval@example.ua');
      await page.fill('#c-motivation', 'I led Vinnytska hromada through the first years of the full-scale war and want to share that experience.');
      await page.selectOption('#c-lang', 'en');
      await page.check('input[name="listed"]');
      await checkPage(page, 'club application form');
      await submit(page, page.locator('form[action="/en/club/apply"] button[type="submit"]'));
      assert(path(page).includes('?done=submitted'), `on the status page (${path(page)})`);
      statusPage = path(page).split('?')[0];
      assert((await text(page.locator('dl.facts'))).includes('waiting for the committee'), 'the status says submitted');
      await checkPage(page, 'club application status');
      const ack = await mailTo('olena.koval@example.ua', /has arrived/);
      assert(ack.text.includes(statusPage), 'the acknowledgement links to the status page');
    });

    await step('7b. two committee members review; the chair accepts once the quorum is met', async () => {
      for (const [who, comment] of [['committee1', 'Experienced head; supports.'], ['committee2', 'Підтримую.']]) {
        await staffLogin(`${who}@example.ua`);
        await page.goto(`${BASE}/uk/club/review`);
        await checkPage(page, `club applications (${who})`);
        await submit(page, page.locator('table.applications a').first());
        await page.selectOption('#recommendation', 'accept');
        await page.fill('#comment', comment);
        await submit(page, page.locator('form[aria-labelledby="review-title"] button[type="submit"]'));
        assert(path(page).endsWith('?done=reviewed'), `the review is saved (${path(page)})`);
        await checkPage(page, `club application review (${who})`);
        await logout();
      }
      await staffLogin('chair@example.ua');
      await page.goto(`${BASE}/en/club/review`);
      await submit(page, page.locator('table.applications a').first());
      assert((await text(page.locator('p.quorum'))).startsWith('2 recommendations'), 'two reviews counted');
      await page.check('input[name="decision"][value="accept"]');
      await page.fill('#note', 'Welcome to the club: we look forward to your experience.');
      await checkPage(page, 'club decision form');
      await submit(page, page.locator('form[aria-labelledby="decision-title"] button[type="submit"]'));
      assert(path(page).endsWith('?done=decided'), `the decision is recorded (${path(page)})`);
      assert((await text(page.locator('dl.facts'))).includes('accepted'), 'the status is accepted');
      await logout();
    });

    let memberLink = '';
    await step('7c. the letter arrives through SMTP in English; the applicant sees the decision', async () => {
      const letter = await mailTo('olena.koval@example.ua', /^Welcome to the Mayors' Club$/);
      assert(letter.text.includes('Next steps') && letter.text.includes('look forward'), `the letter has the next steps and the note (${letter.text})`);
      memberLink = linkIn(letter, `${BASE}/en/password/reset?token=`);
      await page.goto(`${BASE}${statusPage}`);
      assert((await text(page.locator('dl.facts'))).includes('accepted into the club'), 'the status page says accepted');
      await checkPage(page, 'club application accepted');
    });

    await step('7d. the new member signs in and names a delegate', async () => {
      await setPasswordAndLogin(memberLink, 'olena.koval@example.ua', 'en');
      await page.goto(`${BASE}/en/club/me`);
      await page.fill('#d-email', 'aide@example.ua');
      await page.fill('#d-name', 'Андрій Помічник');
      await checkPage(page, 'club membership');
      await submit(page, page.locator('form[aria-labelledby="delegate-title"] button[type="submit"]'));
      assert(path(page).endsWith('?done=named'), `the delegate is named (${path(page)})`);
      equal(await page.locator('ul.delegates li').count(), 1, 'one delegate');
      personPage = await page.locator('main a[href$="/mayor"]').first().getAttribute('href');
      await page.goto(`${BASE}/en/club`);
      assert((await text(page.locator('ul.club-members'))).includes('Olena Koval'), 'the club page lists her');
      await logout();
    });

    await step('7e. the delegate edits the mayor\'s page in both languages', async () => {
      const invite = await mailTo('aide@example.ua', /delegate/);
      await setPasswordAndLogin(linkIn(invite, `${BASE}/en/password/reset?token=`), 'aide@example.ua', 'en');
      await page.goto(`${BASE}/uk/club/me`);
      await submit(page, page.locator('main a[href$="/mayor/edit"]').first());
      await page.fill('#bio_uk', 'Очолювала Вінницьку громаду з 2020 до 2024 року.');
      await page.fill('#bio_en', 'Head of Vinnytska hromada from 2020 to 2024.');
      await page.fill('#vision_uk', 'Громада, яка відбудовується разом із мешканцями.');
      await checkPage(page, 'mayor page editor (delegate)');
      await submit(page, page.locator('form[action$="/mayor/edit"] button[type="submit"]'));
      assert(path(page).endsWith('?done=saved'), `the drafts are saved (${path(page)})`);
      equal(await page.locator('.state-draft').count(), 3, 'three drafts wait for review');
      await logout();
    });

    await step('7f. an editor publishes; the page reads in both languages', async () => {
      await staffLogin('editor@example.ua');
      await page.goto(`${BASE}/uk/mayors/review`);
      await checkPage(page, 'mayors\' pages waiting');
      await submit(page, page.locator('ul.mayor-drafts a').first());
      equal(await page.locator('form[action$="/publish"] input[type="checkbox"]:checked').count(), 3, 'three drafts offered');
      await submit(page, page.locator('form[action$="/publish"] button[type="submit"]'));
      assert(path(page).endsWith('?done=published'), `published (${path(page)})`);
      await checkPage(page, 'mayor page editor (editor)');
      await logout();
      await page.goto(`${BASE}${personPage.replace(/^\/en\//, '/uk/')}`);
      assert((await text(page.locator('section.bio'))).includes('Очолювала'), 'the Ukrainian biography');
      await checkPage(page, 'mayor page (uk)');
      await page.goto(`${BASE}${personPage.replace(/^\/uk\//, '/en/')}`);
      assert((await text(page.locator('section.bio'))).includes('Head of Vinnytska'), 'the English biography');
      assert((await text(page.locator('section.vision .notice'))).includes('not yet available in English'), 'the fallback is said');
      equal(await page.locator('section.vision div[lang="uk"]').count(), 1, 'the Ukrainian text is marked');
      await checkPage(page, 'mayor page (en)');
      await page.goto(`${BASE}/en/sections/finance`);
      await checkPage(page, 'section');
    });

    const newsIds = [];
    await step('8a. an editor writes and publishes three items in different sectors', async () => {
      await staffLogin('newsdesk@example.ua');
      const items = [
        ['Вінниця відкрила укриття у школах', 'Дванадцять шкіл громади мають укриття.', 'education', 'UA05020030000031457'],
        ['Громади Львівщини приймають переселенців', 'Три громади облаштували житло.', 'social', 'UA46060250000025047'],
        ['Дніпро відновив водопостачання', 'Після удару воду подали за добу.', 'utilities', 'UA12020010000033698'],
      ];
      for (const [title, summary, sector, unit] of items) {
        await page.goto(`${BASE}/uk/news/new`);
        await page.fill('#title_uk', title);
        await page.fill('#summary_uk', summary);
        await page.fill('#body_uk', `**${title}.** Докладніше — на сайті громади.`);
        await page.check(`input[name="sectors"][value="${sector}"]`);
        await page.fill('#units', unit);
        if (newsIds.length === 0) await checkPage(page, 'news editor (new item)');
        await submit(page, page.locator('form[action="/uk/news/new"] button[type="submit"]'));
        assert(path(page).includes('?done=created'), `the draft is saved (${path(page)})`);
        newsIds.push(path(page).match(/\/news\/(\d+)\/edit/)[1]);
        await submit(page, page.locator('form[action$="/move"] button[value="publish"]'));
        assert(path(page).includes('?done=publish'), `published (${path(page)})`);
      }
      await checkPage(page, 'news editor (published item)');
      await page.goto(`${BASE}/uk/news`);
      equal(await page.locator('ol.news > li').count(), 3, 'three items in the list');
      await checkPage(page, 'news (uk)');
      await page.goto(`${BASE}/en/news/${newsIds[0]}`);
      assert((await text(page.locator('.notice'))).includes('not available in English'), 'the English page says so');
      await checkPage(page, 'news item (en, Ukrainian text)');
      await page.goto(`${BASE}/uk/news?q=${encodeURIComponent('укриттям')}`);
      equal(await page.locator('ol.news > li').count(), 1, 'the inflected word finds the item');
      await checkPage(page, 'news search');
    });

    let digestEdit = '';
    await step('8b. the editor drafts the week\'s digest, moves an item to the top and publishes', async () => {
      await page.goto(`${BASE}/uk/digest/manage`);
      await checkPage(page, 'digests');
      await submit(page, page.locator('form[action="/uk/digest/new"] button[type="submit"]'));
      assert(path(page).includes('?done=drafted'), `drafted (${path(page)})`);
      digestEdit = path(page).split('?')[0];
      equal(await page.locator('ol.digest-entries > li').count(), 3, 'three entries proposed');
      await checkPage(page, 'digest curation');
      // The water item goes to the top.
      const water = page.locator('ol.digest-entries > li', { has: page.locator(`a[href="/uk/news/${newsIds[2]}"]`) });
      await water.locator('select[name^="group_"]').selectOption('top');
      await water.locator('input[name^="position_"]').fill('0');
      await page.fill('#intro_uk', 'Тиждень у громадах коротко.');
      await submit(page, page.locator(`form[action="${digestEdit}"] button[type="submit"]`));
      assert(path(page).includes('?done=saved'), `saved (${path(page)})`);
      await submit(page, page.locator('form[action$="/publish"] button[type="submit"]'));
      assert(/\/uk\/digest\/\d{4}-\d{2}-\d{2}$/.test(path(page)), `the published digest (${path(page)})`);
      const top = await text(page.locator('section.group-top'));
      assert(top.includes('Дніпро відновив водопостачання'), `the moved item is on top (${top})`);
      await checkPage(page, 'digest (uk)');
      await page.goto(`${BASE}${path(page).replace('/uk/', '/en/')}`);
      await checkPage(page, 'digest (en)');
      await page.goto(`${BASE}/en/digest`);
      equal(await page.locator('ul.digests li').count(), 1, 'the archive lists it');
      await checkPage(page, 'digest archive');
    });

    // The editor stays signed in; the subscription form and links work the same for anyone.
    await step('8c. a reader subscribes; the editor sends the digest; the reader\'s mail arrives', async () => {
      await page.goto(`${BASE}/uk/digest`);
      await page.fill('#sub-email', 'reader@example.org');
      await submit(page, page.locator('form[action="/uk/digest/subscribe"] button[type="submit"]'));
      await checkPage(page, 'digest subscription requested');
      const confirm = await mailTo('reader@example.org', /підписк/i);
      await page.goto(linkIn(confirm, `${BASE}/uk/digest/confirm?token=`));
      await checkPage(page, 'digest subscription confirmation');
      await submit(page, page.locator('form[action="/uk/digest/confirm"] button[type="submit"]'));
      assert(path(page).includes('?done=confirmed'), `confirmed (${path(page)})`);
      await checkPage(page, 'digest preferences');
      await page.goto(`${BASE}${digestEdit.replace(/\/edit$/, '/preview')}`);
      equal(await text(page.locator('dd.recipients').first()), '1', 'one Ukrainian recipient');
      await checkPage(page, 'digest mail preview');
      await page.goto(`${BASE}${digestEdit.replace(/\/edit$/, '/sending')}`);
      await submit(page, page.locator('form[action$="/send"] button[type="submit"]'));
      const state = () => page.locator('.sending-state').getAttribute('data-state');
      for (let i = 0; i < 100 && (await state()) !== 'done'; i += 1) {
        await new Promise((r) => setTimeout(r, 200));
        await page.reload();
      }
      equal(await state(), 'done', 'the sending is done');
      equal(await text(page.locator('dd.sent')), '1', 'one sent');
      await checkPage(page, 'digest sending');
      const digest = await mailTo('reader@example.org', /Дайджест/);
      assert(digest.text.includes('Дніпро відновив водопостачання'), 'the digest mail lists the items');
      assert(/^<https?:\/\/[^>]+\/unsubscribe\/[^>]+>$/.test(digest.listUnsubscribe), `one-click unsubscribe (${digest.listUnsubscribe})`);
      equal(digest.listUnsubscribePost, 'List-Unsubscribe=One-Click', 'RFC 8058');
      await logout();
    });

    assert(pageErrors.length === 0, `no script or CSP errors in the browser:\n  ${pageErrors.join('\n  ')}`);
  } catch (err) {
    if (ARTIFACTS) {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, 'failure.txt'), `${page.url()}\n${err.stack || err}\n${pageErrors.join('\n')}\n`);
      await page.screenshot({ path: join(ARTIFACTS, 'failure.png'), fullPage: true }).catch(() => {});
      writeFileSync(join(ARTIFACTS, 'failure.html'), await page.content().catch(() => ''));
      console.error(`at ${page.url()}; screenshot and HTML in ${ARTIFACTS}`);
    }
    if (pageErrors.length) console.error(pageErrors.join('\n'));
    throw err;
  } finally {
    for (const n of notes) console.log(n);
    printSummary();
    await browser.close();
  }

  if (problems.length) {
    throw new Failure(`${problems.length} serious or critical accessibility violation(s):\n  ${problems.join('\n  ')}`);
  }
}

function printSummary() {
  if (!summary.length) return;
  const w = Math.max(...summary.map((s) => s.name.length));
  console.log('\npage'.padEnd(w + 2) + 'status   bytes  critical serious moderate minor  url');
  for (const s of summary) {
    const c = s.counts;
    console.log(
      `${s.name.padEnd(w)}  ${String(s.status).padStart(6)} ${String(s.bytes).padStart(7)}  ` +
        `${String(c.critical).padStart(8)} ${String(c.serious).padStart(7)} ${String(c.moderate).padStart(8)} ${String(c.minor).padStart(5)}  ${s.url}`,
    );
  }
}

main().then(
  () => {
    console.log(`\n${summary.length} pages checked with axe-core, none with serious or critical violations`);
    console.log(`browser: ${stepsPassed} passed, 0 failed`);
  },
  (err) => {
    console.error(`\n${err instanceof Failure ? err.message : err.stack || err}`);
    console.log(`browser: ${stepsPassed} passed, 1 failed`);
    process.exit(1);
  },
);

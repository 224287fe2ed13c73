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
  let offline = null; // requests refused while the browser is offline on purpose (step 9c)
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
  page.on('requestfailed', (r) => {
    if (offline && r.failure()?.errorText === 'net::ERR_INTERNET_DISCONNECTED') offline.push(r.url());
    else pageErrors.push(`request failed: ${r.url()}: ${r.failure()?.errorText}`);
  });

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
      // Every application gets the same answer (nobody learns who is a member); the status
      // page's secret link comes by mail only.
      assert(path(page) === '/en/club/apply/sent', `on the "received" page (${path(page)})`);
      await checkPage(page, 'club application received');
      const ack = await mailTo('olena.koval@example.ua', /has arrived/);
      statusPage = linkIn(ack, `${BASE}/en/club/applications/`).slice(BASE.length);
      await page.goto(`${BASE}${statusPage}`);
      assert((await text(page.locator('dl.facts'))).includes('waiting for the committee'), 'the status says submitted');
      await checkPage(page, 'club application status');
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
        if (who === 'committee2') {
          // Step 4c recorded Олена Коваль as head; her record has no owner, so the committee's
          // match links her at acceptance without anyone else's confirmation.
          assert((await text(page.locator('ul.matches'))).includes('Олена Коваль'), 'the head is offered as a match');
          await submit(page, page.locator('ul.matches li form button[type="submit"]').first());
          assert(path(page).endsWith('?done=matched'), `the match is confirmed (${path(page)})`);
          equal(await page.locator('ul.matches .match-confirmed').count(), 1, 'the match is marked');
        }
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
      await page.goto(`${BASE}${personPage}`);
      const term = await text(page.locator('ul.heads'));
      assert(term.includes('Vinnytska') && term.includes('2020') && term.includes('2024'), `her mayor page shows the 2020–2024 term (${term})`);
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

    // --- 9. statistics collection: a campaign, the official's report, review, reminders ------
    const VINNYTSIA = 'UA05020030000031457';
    const OFFICIAL = 'official@example.ua';
    // A date in Kyiv (the server's calendar), `days` from today, as YYYY-MM-DD.
    const kyivDate = (days) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Kyiv' }).format(new Date(Date.now() + days * 86_400_000));
    const daysUntil = (date) => Math.round((Date.parse(date) - Date.parse(kyivDate(0))) / 86_400_000);
    const waitUntil = async (what, cond, ms = 10_000) => {
      for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
        if (await cond()) return;
      }
      throw new Failure(`timed out waiting until ${what}`);
    };
    // The coordinator and the official take turns at this one browser as if each had their own:
    // a turn puts back the person's cookies (their session, its second factor passed), and the
    // first turn signs them in. (Signing staff in again would wait for a fresh TOTP time step.)
    const sessions = new Map();
    let person = '';
    const turnOf = async (who) => {
      if (person) sessions.set(person, await context.cookies());
      await context.clearCookies();
      person = who;
      if (!who) {
        // signed out
      } else if (sessions.has(who)) {
        await context.addCookies(sessions.get(who));
      } else if (who === OFFICIAL) {
        await page.goto(`${BASE}/en/login`);
        await page.fill('#email', OFFICIAL);
        await page.fill('#password', STAFF_PASSWORD);
        // An official signing in for no page in particular lands on what the community owes.
        await Promise.all([page.waitForURL(/\/en\/statistics\/owe$/), page.click('form[action="/en/login"] button[type="submit"]')]);
      } else {
        await staffLogin(who);
      }
    };
    const COORDINATOR = 'coordinator@example.ua';
    let campaignPath = '';
    let reportPath = '';
    let deadline = '';
    const ind = {}; // indicator ids of the form, by name

    await step('9a. a coordinator starts collecting the community profile 2023 from the Vinnytsia office', async () => {
      await turnOf(COORDINATOR);
      await page.goto(`${BASE}/en/statistics/campaigns`);
      equal(lastDocument.status(), 200, 'status of the campaigns page');
      equal(await page.locator('input[name="scope"][value="members"]').count(), 0, 'a coordinator cannot ask every member');
      equal((await page.locator('#c-office option').allInnerTexts()).join('|'), 'Vinnytsia regional office', 'the coordinator\'s own office only');
      await checkPage(page, 'campaigns (coordinator)');
      await page.selectOption('#c-dataset', 'community_profile');
      await page.fill('#c-period', '2023');
      await page.check('input[name="scope"][value="office"]');
      await page.selectOption('#c-office', 'vinnytska');
      deadline = kyivDate(10);
      await page.fill('#c-deadline', deadline);
      await page.fill('#c-note', 'Population on 1 January 2023, as your civil registry office counts it.');
      await submit(page, page.locator('form[aria-labelledby="new-title"] button[type="submit"]'));
      assert(/^\/en\/statistics\/campaigns\/\d+\?done=created$/.test(path(page)), `the campaign page (${path(page)})`);
      campaignPath = path(page).split('?')[0];
      reportPath = `${campaignPath}/report/${VINNYTSIA}`;
      const total = await text(page.locator('#completeness-total'));
      assert(total.startsWith('Asked: 1 · Reported: 0 (0 %)') && total.includes('Missing: 1'), `one community asked, none reported (${total})`);
      const row = await text(page.locator(`#report-${VINNYTSIA}`));
      assert(row.includes('Vinnytsia') && row.includes('not yet submitted'), `Vinnytsia's row (${row})`);
      await checkPage(page, 'campaign (created)');
    });

    await step('9b. the official sees what the community owes and opens the form', async () => {
      await turnOf(OFFICIAL);
      equal(path(page), '/en/statistics/owe', 'the official lands on the reporting page');
      equal(await text(header.locator(`nav a[href="/en/statistics/owe"]`)), 'Reporting', 'the navigation links the reporting page');
      const owed = page.locator('ul.owed > li');
      equal(await owed.count(), 1, 'one report owed');
      const line = await text(owed.first());
      const left = daysUntil(deadline);
      assert(line.startsWith('Community profile 2023'), `the data set and period (${line})`);
      assert(line.includes(`Deadline: ${deadline.split('-').reverse().join('.')}`), `the deadline (${line})`);
      assert(line.includes(`${left} days left`), `the days left (${line})`);
      assert(line.includes('4 values are missing.'), `four values missing (${line})`);
      await checkPage(page, 'reporting (owed)');
      await Promise.all([page.waitForURL(`${BASE}${reportPath}`), owed.first().locator('a', { hasText: 'Fill in the report' }).click()]);
      equal(lastDocument.status(), 200, 'status of the report form');
      const labels = await page.locator('form[data-autosave] label[for^="v-"]').evaluateAll((ls) =>
        ls.map((l) => [l.textContent.split(',')[0].trim(), l.htmlFor.slice(2)]),
      );
      for (const [name, id] of labels) ind[name] = id;
      for (const name of ['Present population', 'Urban present population', 'Number of settlements', 'Area']) {
        assert(/^\d+$/.test(ind[name] || ''), `a field for ${name} (${JSON.stringify(labels)})`);
      }
      const help = await text(page.locator(`#h-${ind['Present population']}`));
      assert(help.includes('Last period: 387,439'), `last period's population is shown (${help})`);
      await checkPage(page, 'report form (empty)');
    });

    // The form's autosave POST, answered 204. The script sends 0.8 s after the last keystroke, so
    // waiting can start right after typing.
    const autosaved = () =>
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === reportPath && r.status() === 204);
    const form = page.locator('form[data-autosave]');
    const autosaveStatus = form.locator('.autosave-status');
    const savedStatus = async () => /^Draft saved at \d\d:\d\d$/.test(await text(autosaveStatus));
    const offlineStatus = async () => (await text(autosaveStatus)).startsWith('No connection: what you typed is kept on this device');
    const v = (name) => page.locator(`#v-${ind[name]}`);
    // The ?done= confirmation (the entry form has another status notice, hidden until it restores).
    const doneNotice = page.locator('.notice[role="status"]:not(.restored)');

    await step('9c. drafts are saved as the official types, kept on the device offline, and nothing is lost', async () => {
      await v('Present population').fill('250000');
      await autosaved();
      await waitUntil('the status says the draft is saved', savedStatus);
      const key = await form.getAttribute('data-key');
      const kept = () => page.evaluate((k) => JSON.parse(localStorage.getItem(k) || 'null'), key);
      equal(await kept(), null, 'no copy left on the device once the server has the draft');

      // The connection drops: typing goes on, the script says so and keeps a copy.
      offline = [];
      await context.setOffline(true);
      await v('Urban present population').fill('260000');
      await waitUntil('the status says there is no connection', offlineStatus);
      await waitUntil('the browser refused the autosave offline', () => offline.length >= 1);
      equal((await kept())?.fields?.[`v_${ind['Urban present population']}`], '260000', 'the device keeps the urban population');
      // The connection comes back: the script sends what waited.
      let saved = autosaved();
      await context.setOffline(false);
      await saved;
      await waitUntil('the status says the draft is saved again', savedStatus);
      equal(await kept(), null, 'the device copy is dropped once sent');

      // Offline again; the official types the rest, and the browser is closed before the
      // connection returns.
      await context.setOffline(true);
      await v('Number of settlements').fill('8');
      await v('Area').fill('255.93');
      await waitUntil('the status says there is no connection', offlineStatus);
      await waitUntil('the browser refused the autosave offline', () => offline.length >= 2);
      const copy = await kept();
      assert(copy?.pending, `a pending copy on the device (${JSON.stringify(copy)})`);
      equal(copy.fields[`v_${ind['Number of settlements']}`], '8', 'the device keeps the settlements');
      equal(copy.fields[`v_${ind.Area}`], '255.93', 'the device keeps the area');

      // Opened again later, online: the same profile (cookies and local storage) in a new
      // context stands for the restarted browser, so the page left offline cannot send first.
      // (Leaving that page by navigating away is no test: the page being left could still send
      // what waited during the navigation, as if the emulated offline were lifted for it; 6 of
      // 30 tries did so here.)
      const typed = { 'Present population': '250000', 'Urban present population': '260000', 'Number of settlements': '8', Area: '255.93' };
      const reopened = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, storageState: await context.storageState() });
      try {
        const later = await reopened.newPage();
        later.on('pageerror', (e) => pageErrors.push(`page error at ${later.url()}: ${e.message}`));
        later.on('console', (m) => m.type() === 'error' && pageErrors.push(`console error at ${later.url()}: ${m.text()}`));
        later.on('requestfailed', (r) => pageErrors.push(`request failed: ${r.url()}: ${r.failure()?.errorText}`));
        const restoredSaved = later.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === reportPath && r.status() === 204);
        lastDocument = await later.goto(`${BASE}${reportPath}`);
        lastBody = lastDocument.body().catch(() => null);
        assert(await later.locator('.restored').isVisible(), 'the page says what came back from the device');
        for (const [name, want] of Object.entries(typed)) {
          equal(await later.locator(`#v-${ind[name]}`).inputValue(), want, `${name} in the reopened form`);
        }
        equal(await later.locator(`#v-${ind.Area}`).getAttribute('value'), '', 'the area came from the device, not the server');
        await checkPage(later, 'report form (restored from the device)');
        await restoredSaved; // the restored copy goes to the server at once
        equal(await later.evaluate((k) => localStorage.getItem(k), await form.getAttribute('data-key')), null, 'the device copy is dropped once sent');
      } finally {
        await reopened.close();
      }

      // The first browser comes back online too: its page sends what waited; after a reload,
      // everything comes from the server.
      const resent = autosaved();
      await context.setOffline(false);
      await resent;
      offline = null;
      await waitUntil('the status says the draft is saved', savedStatus);
      await page.reload();
      assert(await page.locator('.restored').isHidden(), 'nothing to restore after the server has it all');
      for (const [name, want] of Object.entries(typed)) {
        equal(await v(name).getAttribute('value'), want, `${name} from the server after a reload`);
        equal(await v(name).inputValue(), want, `${name} in the form after a reload`);
      }
    });

    await step('9d. a report breaking a rule is refused with the reasons; fixed and explained, it is submitted', async () => {
      await submit(page, form.locator('button[name="intent"][value="submit"]'));
      equal(path(page), reportPath, 'still on the report');
      equal(lastDocument.status(), 422, 'status of a refused report');
      const urban = ind['Urban present population'];
      const total = ind['Present population'];
      // The urban population breaks the rule and, down 29.9 %, needs a comment as well.
      equal(await text(page.locator(`#field-${urban} p.field-error`)), 'Urban population cannot exceed the present population.', 'the rule\'s message next to the urban population');
      equal(await page.getAttribute(`#v-${urban}`, 'aria-invalid'), 'true', 'the urban population is marked invalid');
      equal(await page.getAttribute(`#field-${urban} p.field-error`, 'id'), `e-${urban}`, 'the error has its id');
      assert((await page.getAttribute(`#v-${urban}`, 'aria-describedby')).split(' ').includes(`e-${urban}`), 'the message describes the field');
      const urbanWarning = await text(page.locator(`#field-${urban} p.field-warning`));
      assert(urbanWarning.includes('-29.9 %') && urbanWarning.includes('Explain it in the comment'), `the urban change asks for a comment (${urbanWarning})`);
      // A field with both a rule's error and a change warning names both for screen readers.
      equal(await page.locator(`[id="e-${urban}"]`).count(), 1, 'one element per message id');
      const described = await page.locator(`#v-${urban}`).getAttribute('aria-describedby');
      assert(described.includes(`e-${urban}`) && described.includes(`w-${urban}`), `both messages describe the field (${described})`);
      const warning = await text(page.locator(`#w-${total}.field-warning`));
      assert(warning.includes('-35.5 %') && warning.includes('Explain it in the comment'), `the population's change asks for a comment (${warning})`);
      assert((await page.getAttribute(`#v-${total}`, 'aria-describedby')).split(' ').includes(`w-${total}`), 'the warning describes the field');
      assert(await page.locator(`#c-${total}`).isVisible(), 'the comment box of the population is open');
      assert(await page.locator(`#c-${urban}`).isVisible(), 'the comment box of the urban population is open');
      const summary = await text(page.locator('.errors[role="alert"]'));
      assert(summary.includes('2 fields need attention'), `the summary counts the problems (${summary})`);
      equal(await v('Area').inputValue(), '255.93', 'the typed values are kept');
      await checkPage(page, 'report refused');

      // Urban below the total, and a word for both falls.
      await v('Urban present population').fill('240000');
      await page.fill(`#c-${urban}`, 'Families left for abroad during 2022.');
      await page.fill(`#c-${total}`, 'Many displaced people moved on from the city during 2022; the registry office counts 250,000.');
      await autosaved(); // before submitting, so no autosave is cut short by the navigation
      await submit(page, form.locator('button[name="intent"][value="submit"]'));
      equal(path(page), `${reportPath}?done=submitted`, 'the report is submitted');
      equal(await text(doneNotice), 'Report submitted. The regional coordinator will review it.', 'the confirmation');
      equal(await text(page.locator('#report-status')), 'submitted, awaiting review · on time', 'the report\'s status');
      equal(await form.count(), 0, 'nothing to edit while the coordinator reviews');
      equal(await text(page.locator(`#value-${total} td.num`).first()), '250,000', 'the value on record');
      await checkPage(page, 'report submitted');
    });

    const reviewForm = page.locator('form[aria-labelledby="review-title"]');
    const note = 'The codifier lists 9 settlements in the hromada: please check.';
    await step('9e. the coordinator sends the number of settlements back with a note', async () => {
      await turnOf(COORDINATOR);
      // The coordinator's reporting page lists what waits for review; the campaign links the report.
      await page.goto(`${BASE}/en/statistics/owe`);
      equal(await text(page.locator('ul.to-review')), 'Community profile 2023: 1 report', 'one report to review');
      await checkPage(page, 'reporting (coordinator)');
      await Promise.all([page.waitForURL(`${BASE}${campaignPath}`), page.click(`ul.to-review a[href="${campaignPath}"]`)]);
      await Promise.all([page.waitForURL(`${BASE}${reportPath}`), page.click(`#report-${VINNYTSIA} a`)]);
      equal(await reviewForm.count(), 1, 'the review form');
      equal(await form.count(), 0, 'no entry form for a submitted report');
      const settlements = ind['Number of settlements'];
      await reviewForm.locator(`input[name="r_${settlements}"]`).check();
      await reviewForm.locator(`#n-${settlements}`).fill(note);
      await checkPage(page, 'report review');
      await submit(page, reviewForm.locator('button[type="submit"]'));
      equal(path(page), `${reportPath}?done=returned`, 'the report goes back');
      equal(await text(doneNotice), 'Report sent back to the community with your comments.', 'the confirmation');
      equal(await reviewForm.count(), 0, 'no review form while the community corrects');
      await checkPage(page, 'report returned (coordinator)');
    });

    await step('9f. the official sees the note, corrects the returned value only and submits again', async () => {
      await turnOf(OFFICIAL);
      await page.goto(`${BASE}/en/statistics/owe`);
      const line = await text(page.locator('ul.owed > li').first());
      assert(line.includes('sent back for correction'), `the status says sent back (${line})`);
      assert(line.includes(`Sent back for correction: Number of settlements: ${note}`), `the note on the reporting page (${line})`);
      await checkPage(page, 'reporting (sent back)');
      await Promise.all([page.waitForURL(`${BASE}${reportPath}`), page.locator('ul.owed a', { hasText: 'Fill in the report' }).first().click()]);
      const settlements = ind['Number of settlements'];
      assert((await text(page.locator(`#note-${settlements}`))).includes(note), 'the note next to the field');
      equal(await form.locator('input[name^="v_"]').count(), 1, 'only the returned value is editable');
      equal(await v('Number of settlements').inputValue(), '8', 'the value sent back');
      await checkPage(page, 'report form (sent back)');
      await v('Number of settlements').fill('9');
      await autosaved();
      await submit(page, form.locator('button[name="intent"][value="submit"]'));
      equal(path(page), `${reportPath}?done=submitted`, 'submitted again');
      equal(await text(page.locator(`#value-${settlements} td.num`).first()), '9', 'the corrected value on record');
      await page.goto(`${BASE}/en/statistics/owe`);
      equal(await page.locator('ul.owed').count(), 0, 'nothing owed any more');
    });

    await step('9g. the coordinator approves; the values are public and the campaign is complete', async () => {
      await turnOf(COORDINATOR);
      await page.goto(`${BASE}${reportPath}`);
      equal(await reviewForm.locator('input[type="checkbox"]:checked').count(), 0, 'nothing marked');
      await submit(page, reviewForm.locator('button[type="submit"]'));
      equal(path(page), `${reportPath}?done=approved`, 'approved');
      equal(await text(doneNotice), 'Report approved: its values are now public.', 'the confirmation');
      equal(await text(page.locator('#report-status')), 'approved · on time', 'the report\'s status');
      await checkPage(page, 'report approved');
      await page.goto(`${BASE}${campaignPath}`);
      const total = await text(page.locator('#completeness-total'));
      equal(total, 'Asked: 1 · Reported: 1 (100 %) · On time: 1 · Late: 0 · Missing: 0 · Approved: 1 · Sent back: 0', 'the completeness');
      const row = await text(page.locator(`#report-${VINNYTSIA}`));
      assert(row.includes('approved · on time'), `Vinnytsia's row (${row})`);
      const oblast = await page.locator('table.completeness').first().locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.children].map((c) => c.textContent.trim()).join('|')),
      );
      equal(oblast.length, 1, `one oblast (${oblast.join(' / ')})`);
      assert(/oblast/i.test(oblast[0].split('|')[0]), `the oblast is named as the site names it (${oblast[0]})`);
      equal(oblast[0].split('|').slice(1).join('|'), '1|1 (100 %)|1|0|0|1', 'the completeness by oblast');
      await checkPage(page, 'campaign (complete)');
      // Anyone reads the approved values on the hromada's page.
      await turnOf('');
      await page.goto(`${BASE}/en/units/${VINNYTSIA}`);
      const stats = page.locator('table.stats-table tbody tr');
      const valueIn = async (name, period) => {
        const row = stats.filter({ has: page.locator('th', { hasText: name }) }).first();
        const li = row.locator('ul.periods li').filter({ has: page.locator('span.period', { hasText: new RegExp(`^${period}\\*?$`) }) });
        return (await li.count()) ? text(li.locator('span.value')) : null;
      };
      equal(await valueIn('Present population', '2023'), '250,000', 'the 2023 population is public');
      equal(await valueIn('Present population', '2022'), '387,439', 'the 2022 population stays');
      equal(await valueIn('Urban present population', '2023'), '240,000', 'the 2023 urban population is public');
      equal(await valueIn('Number of settlements', '2023'), '9', 'the corrected settlements are public');
      equal(await valueIn('Area', '2023'), '255.93', 'the 2023 area is public');
      await checkPage(page, 'hromada with the approved report');
    });

    await step('9h. the coordinator reminds the communities that owe a second campaign; the mail arrives', async () => {
      await turnOf(COORDINATOR);
      await page.goto(`${BASE}/en/statistics/campaigns`);
      equal(await page.locator(`main table a[href="${campaignPath}"]`).count(), 1, 'the first campaign is listed');
      await page.selectOption('#c-dataset', 'budget_revenues');
      await page.fill('#c-period', '2024');
      await page.check('input[name="scope"][value="list"]');
      await page.fill('#c-units', VINNYTSIA);
      await page.fill('#c-deadline', kyivDate(14));
      await submit(page, page.locator('form[aria-labelledby="new-title"] button[type="submit"]'));
      assert(/^\/en\/statistics\/campaigns\/\d+\?done=created$/.test(path(page)), `the second campaign (${path(page)})`);
      const second = path(page).split('?')[0];
      assert(second !== campaignPath, 'a new campaign');
      await submit(page, page.locator(`form[action="${second}/remind"] button[type="submit"]`));
      equal(path(page), `${second}?done=reminded`, 'the reminders are queued');
      equal(await text(doneNotice), 'Reminders queued.', 'the confirmation');
      const mail = await mailTo(OFFICIAL, /^A reminder about a report for the association$/);
      assert(mail.text.includes('Local budget revenues') && mail.text.includes('2024'), `the mail names the report (${mail.text})`);
      equal(linkIn(mail, `${BASE}/en/statistics/campaigns/`), `${BASE}${second}/report/${VINNYTSIA}`, 'the mail links the report');
      const other = readdirSync(MAIL_DIR).map((f) => JSON.parse(readFileSync(join(MAIL_DIR, f), 'utf8')))
        .filter((m) => /reminder|нагадування/i.test(m.subject));
      equal(other.length, 1, 'one reminder in all (the approved report owes nothing)');
      await page.reload();
      const row = await text(page.locator(`#report-${VINNYTSIA}`));
      assert(/now-\d{4}-\d{2}-\d{2}, 1\)/.test(row), `the reminder is listed on the campaign (${row})`);
      await checkPage(page, 'campaign (reminded)');
      await logout();
    });

    await step('10a. anyone opens Vinnytska\'s statistics: places among all hromadas and among its peers', async () => {
      await turnOf('');
      await page.goto(`${BASE}/uk/units/${VINNYTSIA}`);
      await Promise.all([
        page.waitForURL(`${BASE}/uk/units/${VINNYTSIA}/statistics`),
        page.click(`main a[href="/uk/units/${VINNYTSIA}/statistics"]`),
      ]);
      const row = page.locator('#i-budget_revenue_total');
      assert((await text(row.locator('th'))).startsWith('Доходи бюджету, усього'), 'the total revenue line');
      const all = await text(row.locator('.rank-all'));
      assert(/^\d+ з 1\s4\d\d$/.test(all), `its place among all hromadas (${all})`);
      const peers = await text(page.locator('#peers-text'));
      assert(peers.startsWith('Міські громади з населенням 250 тис. осіб і більше'), `the peers are stated (${peers})`);
      assert(/^\d+ з \d+$/.test(await text(row.locator('.rank-peers'))), 'its place among its peers');
      assert((await text(row.locator('.per-capita'))).includes(','), 'per inhabitant');
      equal(await page.locator('#community-values svg.spark').count(), await page.locator('#community-values tbody tr').count(), 'a sparkline per indicator');
      await checkPage(page, 'hromada statistics (uk)');
      await page.check('input[name="oblast"]');
      await submit(page, page.locator('form.peers button[type="submit"]'));
      assert((await text(page.locator('#peers-text'))).includes('Вінницька область'), 'peers in the same oblast');
      await page.goto(`${BASE}/en/units/${VINNYTSIA}/statistics`);
      assert((await text(page.locator('#peers-text'))).startsWith('Urban hromadas of 250 thousand people or more'), 'the peers in English');
      await checkPage(page, 'hromada statistics (en)');
    });

    await step('10b. the indicator page of own revenues per inhabitant: ranking, map and oblast aggregates', async () => {
      await page.goto(`${BASE}/uk/statistics`);
      await Promise.all([
        page.waitForURL(`${BASE}/uk/statistics/indicators/budget_revenue_own`),
        page.click('main a[href="/uk/statistics/indicators/budget_revenue_own"]'),
      ]);
      await page.selectOption('#f-measure', 'per_capita');
      await submit(page, page.locator('form.filters button[type="submit"]'));
      assert(path(page).includes('measure=per_capita'), `per inhabitant chosen (${path(page)})`);
      equal(await page.locator('#ranking tbody tr').count(), 50, 'a page of the ranking');
      const img = page.locator('#map img');
      await waitUntil('the map has loaded', async () => img.evaluate((i) => i.complete && i.naturalWidth > 0));
      assert((await page.locator('#aggregates tbody tr').count()) >= 25, 'aggregates by oblast');
      const vinnytsia = page.locator('#aggregates tbody tr', { hasText: 'Вінницька' });
      assert(/63 \/ 63/.test(await text(vinnytsia)), `the oblast's coverage (${await text(vinnytsia)})`);
      await checkPage(page, 'indicator per inhabitant (uk)');
      const map = await page.request.get(await img.evaluate((i) => i.src));
      assert((map.headers()['content-type'] || '').startsWith('image/svg+xml'), 'the map is SVG');
      notes.add(`map.svg: ${(await map.body()).length} bytes`);
      await page.goto(`${BASE}/en/statistics/indicators/budget_revenue_own?measure=per_capita&kind=rural&oblast=UA05000000000010236&agg=raion`);
      const n = await page.locator('#ranking tbody tr').count();
      assert(n > 0 && n <= 50, `rural hromadas of Vinnytsia oblast (${n})`);
      equal(await page.locator('#aggregates tbody tr').count(), 6, 'the oblast\'s raions');
      await checkPage(page, 'indicator filtered (en)');
    });

    await step('10c. two communities compared by name over the budget years', async () => {
      await page.goto(`${BASE}/en/statistics/compare`);
      await page.fill('#c-units', 'Vinnytska, Zhmerynska');
      await page.check('input[name="indicators"][value="budget_revenue_own"]');
      await submit(page, page.locator('form[aria-labelledby="compare-form-title"] button[type="submit"]'));
      equal(await page.locator('#c-budget_revenue_own tbody tr').count(), 2, 'two communities');
      equal(await page.locator('#c-budget_revenue_own svg.chart polyline').count(), 2, 'two lines');
      await checkPage(page, 'compare (en)');
    });

    await step('10d. an admin publishes the 2022 budgets; the release and the catalogue are public', async () => {
      await turnOf('statistician@example.ua');
      await page.goto(`${BASE}/uk/statistics/releases`);
      await page.selectOption('#r-dataset', 'budget_revenues');
      await page.fill('#r-period', '2022');
      await submit(page, page.locator('form[aria-labelledby="publish-title"] button[type="submit"]'));
      equal(path(page), '/uk/statistics/releases?done=published', 'published');
      equal(await page.locator('#releases tbody tr').count(), 1, 'one release');
      await checkPage(page, 'releases (admin)');
      await logout();
      await turnOf('');
      const release = await page.request.get(`${BASE}/api/v1/releases/budget_revenues/2022/1?format=csv`);
      equal(release.status(), 200, 'the release downloads');
      const lines = (await release.text()).trim().split('\n').length;
      assert(lines > 20_000, `the release holds the values (${lines} lines)`);
      const catalog = await page.request.get(`${BASE}/api/v1/catalog`);
      assert((catalog.headers()['content-type'] || '').startsWith('application/ld+json'), 'JSON-LD');
      const doc = await catalog.json();
      // Expanded by a JSON-LD processor (the context is inline, nothing is fetched).
      const jsonld = require('jsonld');
      const expanded = await jsonld.expand(doc);
      const types = expanded.flatMap((n) => n['@type'] || []);
      assert(types.includes('http://www.w3.org/ns/dcat#Catalog'), `a dcat:Catalog (${types})`);
      const sets = expanded[0]['http://www.w3.org/ns/dcat#dataset'] || [];
      equal(sets.length, 1, 'one released data set');
      const titles = sets[0]['http://purl.org/dc/terms/title'].map((t) => t['@language']).sort();
      equal(titles.join(','), 'en,uk', 'titled in both languages');
      equal((sets[0]['http://www.w3.org/ns/dcat#distribution'] || []).length, 3, 'CSV, XLSX and JSON');
      await page.goto(`${BASE}/en/statistics/releases`);
      await checkPage(page, 'releases (en)');
    });

    await step('11. five key pages on a 2G connection (250 kbit/s down, 50 up, 300 ms): first paint under 3 s', async () => {
      // A new visitor: no cookies, nothing in the browser's cache, Chromium's network emulation.
      const slow = await browser.newContext({ locale: 'uk-UA' });
      try {
        const p = await slow.newPage();
        const cdp = await slow.newCDPSession(p);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: 300,
          downloadThroughput: (250 * 1000) / 8,
          uploadThroughput: (50 * 1000) / 8,
        });
        const pages = ['/uk/', '/uk/news', '/uk/members', '/uk/units/UA05020030000031457', '/uk/statistics'];
        const timings = [];
        for (const url of pages) {
          const response = await p.goto(`${BASE}${url}`, { waitUntil: 'load', timeout: 60_000 });
          equal(response.status(), 200, `${url} answers`);
          const fcp = await p.evaluate(
            () =>
              new Promise((resolve) => {
                const seen = performance.getEntriesByName('first-contentful-paint')[0];
                if (seen) return resolve(seen.startTime);
                new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true });
              }),
          );
          const encoding = (await response.allHeaders())['content-encoding'] || 'none';
          timings.push(`${url} ${Math.round(fcp)} ms (${encoding})`);
          assert(fcp < 3000, `first contentful paint of ${url} at 2G is ${Math.round(fcp)} ms`);
        }
        console.log(`  first contentful paint at 2G: ${timings.join(', ')}`);
      } finally {
        await slow.close();
      }
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

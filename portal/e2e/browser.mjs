// The portal's whole life in headless Debian chromium, driven by playwright-core
// (never downloads a browser), against `make demo`'s stack (portal/e2e.sh starts it).
// Screenshots of each page go to SCREENSHOTS_DIR (printed at the end).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set: run portal/e2e.sh`);
  return v;
};
const portal = env('PORTAL_URL');
const cognitoLog = env('COGNITO_LOG');
const srpFront = env('SRP_FRONT');
const shots = resolve(process.env.SCREENSHOTS_DIR || 'screenshots');
mkdirSync(shots, { recursive: true });

const email = `Ana.Lima.${Date.now()}@acme.example`;
const firstPassword = 'Sunny-Meadow-42';
const newPassword = 'Quiet-River-58';
const legacy = { email: 'marta.silva@legacy.example.com', password: 'Correct-Horse-7' };

// The last message cognito-local printed to `to`, box characters and whitespace removed.
function lastMessage(to) {
  const text = readFileSync(cognitoLog, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
  const boxes = text.split('╭').slice(1).map((b) => b.split('╰')[0].replace(/[│\s]/g, ''));
  const mine = boxes.filter((b) => b.toLowerCase().includes(`destination:${to.toLowerCase()}`));
  assert.ok(mine.length > 0, `cognito-local printed no message to ${to}`);
  return mine[mine.length - 1];
}

// What the SRP front (deploy/demo/srp-front.mjs) has answered so far, and the
// change since `before`: the portal's endpoint is the front, so these counts say
// which flow a sign-in took.
async function frontStats() {
  const res = await fetch(`${srpFront}/srp-front/stats`);
  assert.equal(res.status, 200);
  return res.json();
}
const since = (before, after) => Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
const noSRP = { srpInitiated: 0, userNotFound: 0, challenges: 0, verified: 0, refused: 0 };

async function eventually(fn, what) {
  for (let i = 0; i < 100; i++) {
    try { return fn(); } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  return fn(); // the last try's error names what is missing
}

const userDataDir = mkdtempSync(join(tmpdir(), 'poolside-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 390, height: 844 }, // a phone
});
let n = 0;
const page = context.pages()[0] ?? await context.newPage();
const snap = async (name) => page.screenshot({ path: join(shots, `${String(++n).padStart(2, '0')}-${name}.png`), fullPage: true });
const view = () => page.locator('section[data-view]:not([hidden])');
const heading = (text) => page.getByRole('heading', { level: 1, name: text });
const focusedHeading = () => page.evaluate(() => document.activeElement?.tagName === 'H1' && document.activeElement.textContent);

async function signIn(user, password) {
  await view().getByLabel('Email').fill(user);
  await view().getByLabel('Password', { exact: true }).fill(password);
  await view().getByRole('button', { name: 'Sign in' }).click();
  await heading('Your account').waitFor();
}

async function step(name, fn) {
  process.stdout.write(`• ${name} … `);
  await fn();
  console.log('ok');
}

try {
  await step('sign up (policy shown, errors announced)', async () => {
    await page.goto(`${portal}#signup`);
    await heading('Create your account').waitFor();
    assert.equal(await focusedHeading(), 'Create your account', 'the view heading takes focus');
    await page.locator('#su-policy').getByText('At least 8 characters').waitFor();
    await view().getByLabel('First name').fill('Ana');
    await view().getByLabel('Last name').fill('Lima');
    await view().getByLabel('Email').fill(email);
    await view().getByLabel('Password', { exact: true }).fill('weak');
    await view().getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('alert').filter({ hasText: 'at least 8 characters' }).waitFor();
    assert.equal(await view().getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
    await snap('signup-error');
    await view().getByLabel('Password', { exact: true }).fill(firstPassword);
    await snap('signup');
    await view().getByRole('button', { name: 'Sign up' }).click();
    await heading('Check your email').waitFor();
    await snap('check-email');
  });

  await step('open the emailed confirmation link', async () => {
    const msg = await eventually(() => lastMessage(email));
    const m = msg.match(/href="([^"]*\?code=[^"]*)"/);
    assert.ok(m, 'the email holds the confirmation link');
    const link = m[1].replace(/&amp;/g, '&');
    assert.ok(link.startsWith(portal), `the link lands on the portal: ${link}`);
    await page.goto(link);
    await heading('Email confirmed').waitFor();
    // Amazon Cognito marks the email verified when ConfirmSignUp confirms it;
    // cognito-local does not (deploy/e2e/README.md), so do what Cognito would.
    // The first sign-in's PreTokenGeneration then gives the domain's tenant.
    execFileSync('aws', ['--endpoint-url', env('COGNITO_ENDPOINT'), 'cognito-idp', 'admin-update-user-attributes',
      '--user-pool-id', env('POOL_ID'), '--username', email, '--user-attributes', `Name=email,Value=${email}`, 'Name=email_verified,Value=true'],
    { env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1' } });
    assert.ok(!page.url().includes('code='), 'the code leaves the address bar');
    await snap('confirmed');
  });

  await step('sign in with SRP: the details page shows the tenant', async () => {
    await view().getByRole('link', { name: 'Sign in' }).first().click();
    await heading('Sign in').waitFor();
    let before = await frontStats();
    await view().getByLabel('Email').fill(email);
    await view().getByLabel('Password', { exact: true }).fill('Wrong-Password-1');
    await view().getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect email or password.' }).waitFor();
    // The wrong password failed the SRP proof (PASSWORD_VERIFIER), not a password compare.
    assert.deepEqual(since(before, await frontStats()), { ...noSRP, srpInitiated: 1, challenges: 1, refused: 1 });
    await snap('signin-error');
    before = await frontStats();
    await signIn(email, firstPassword);
    assert.deepEqual(since(before, await frontStats()), { ...noSRP, srpInitiated: 1, challenges: 1, verified: 1 });
    assert.equal(await page.locator('#d-tenant').textContent(), 'acme');
    assert.match(await page.locator('#d-handle').textContent(), /^@AnaLima\d*$/);
    assert.equal(await page.locator('#d-name').textContent(), 'Ana Lima');
    await page.locator('#d-badges li', { hasText: 'NEW_MEMBER' }).waitFor();
    await snap('details');
  });

  await step('edit a preference (saved through PATCH /api/me/preferences)', async () => {
    await view().getByLabel('Language').selectOption('pt-BR');
    await view().getByLabel('Currency').fill('BRL');
    await view().getByRole('button', { name: 'Save preferences' }).click();
    await page.getByRole('status').filter({ hasText: 'Preferences saved.' }).waitFor();
    await page.reload();
    await heading('Your account').waitFor();
    await page.waitForFunction(() => document.getElementById('pr-currency').value === 'BRL');
    assert.equal(await view().getByLabel('Language').inputValue(), 'pt-BR');
    await snap('preferences-saved');
  });

  await step('sign out (global)', async () => {
    await view().getByRole('button', { name: 'Sign out everywhere' }).click();
    await heading('Sign in').waitFor();
    await page.getByRole('status').filter({ hasText: 'signed out' }).waitFor();
    await snap('signed-out');
    await page.goto(`${portal}#details`);
    await heading('Sign in').waitFor(); // no tokens left
  });

  await step('forgot password → reset with the emailed code', async () => {
    await view().getByRole('link', { name: 'Forgot your password?' }).click();
    await heading('Reset your password').waitFor();
    await view().getByLabel('Email').fill(email);
    await snap('forgot');
    await view().getByRole('button', { name: 'Send me a code' }).click();
    await heading('Choose a new password').waitFor();
    const code = await eventually(() => {
      const m = lastMessage(email).match(/Code:(\d{6})/);
      assert.ok(m, 'a code was printed');
      return m[1];
    });
    await view().getByLabel('Code from the email').fill(code);
    await view().getByLabel('New password').fill(newPassword);
    await snap('reset');
    await view().getByRole('button', { name: 'Change password' }).click();
    await heading('Sign in').waitFor();
    await page.getByRole('status').filter({ hasText: 'password is changed' }).waitFor();
  });

  await step('sign in with the new password', async () => {
    const before = await frontStats();
    await signIn(email, newPassword);
    assert.equal(since(before, await frontStats()).verified, 1, 'signed in with SRP');
    assert.equal(await page.locator('#d-tenant').textContent(), 'acme');
    await snap('details-after-reset');
    await view().getByRole('button', { name: 'Sign out everywhere' }).click();
    await heading('Sign in').waitFor();
  });

  await step('a legacy user: SRP → UserNotFoundException → USER_PASSWORD_AUTH → UserMigration', async () => {
    const before = await frontStats();
    await signIn(legacy.email, legacy.password);
    // SRP did not know the user; the fallback went through the front unchanged to
    // cognito-local, whose UserMigration trigger (poolside) created the user.
    assert.deepEqual(since(before, await frontStats()), { ...noSRP, srpInitiated: 1, userNotFound: 1 });
    // The legacy record's names reached Cognito through the UserMigration response.
    assert.match(await page.locator('#d-name').textContent(), /Marta/);
    assert.equal((await page.locator('#d-email').textContent()).toLowerCase(), legacy.email);
    // The profile UserMigration kept pending (the legacy record's tenant and
    // role) is adopted at the first sign-in, by the verified email.
    assert.equal(await page.locator('#d-tenant').textContent(), 'legacy-co');
    assert.equal(await page.locator('#d-role').textContent(), 'EDITOR');
    await snap('legacy-details');
    await view().getByRole('button', { name: 'Sign out everywhere' }).click();
    await heading('Sign in').waitFor();
  });

  await step('the migrated legacy user signs in with SRP', async () => {
    const before = await frontStats();
    await signIn(legacy.email, legacy.password);
    assert.deepEqual(since(before, await frontStats()), { ...noSRP, srpInitiated: 1, challenges: 1, verified: 1 });
    assert.match(await page.locator('#d-name').textContent(), /Marta/);
    await snap('legacy-details-srp');
    await view().getByRole('button', { name: 'Sign out everywhere' }).click();
    await heading('Sign in').waitFor();
  });
} catch (err) {
  await snap('failure').catch(() => {});
  console.log('FAILED');
  throw err;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  console.log(`screenshots: ${shots}`);
}

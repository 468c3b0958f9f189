import { Amplify } from 'aws-amplify';
import {
  signUp, confirmSignUp, signIn, signOut, resetPassword, confirmResetPassword, fetchAuthSession,
} from 'aws-amplify/auth';
import { signInWithFallback, userMessage, policyLines, policyProblem, SRP } from './signin.js';

const $ = (id) => document.getElementById(id);
let config;
let profileETag = '';

// ---- messages: errors go to role=alert, progress to role=status (both announced)
function showError(text, field) {
  const el = $('error');
  el.textContent = text;
  el.hidden = !text;
  document.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-errormessage', 'error');
    field.focus();
  }
}
function showStatus(text) { $('status').textContent = text; }
function clearMessages() { showError(''); showStatus(''); }

// ---- views: one visible section; its heading takes focus so screen readers announce it
function show(view, { keepMessages = false } = {}) {
  if (!keepMessages) clearMessages();
  document.querySelectorAll('[data-view]').forEach((s) => { s.hidden = s.id !== `view-${view}`; });
  const h = document.querySelector(`#view-${view} h1`);
  document.title = `${h.textContent} — poolside`;
  h.focus();
}

async function busy(form, fn) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try { await fn(); } finally { button.disabled = false; }
}

function required(form) {
  for (const input of form.querySelectorAll('input[required]')) {
    if (!input.value.trim()) {
      const label = form.querySelector(`label[for="${input.id}"]`).textContent;
      showError(`Please fill in: ${label}.`, input);
      return false;
    }
  }
  return true;
}

// ---- the User API
async function api(method, path, body, headers = {}) {
  const { tokens } = await fetchAuthSession();
  if (!tokens?.idToken) throw Object.assign(new Error('not signed in'), { name: 'NotSignedIn' });
  const res = await fetch(config.apiUrl + path, {
    method,
    headers: { Authorization: `Bearer ${tokens.idToken.toString()}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const doc = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(doc.detail || res.statusText), { name: 'ApiProblem', status: res.status, doc });
  if (res.headers.get('ETag')) profileETag = res.headers.get('ETag');
  return doc;
}

function renderProfile(p) {
  $('d-name').textContent = p.name || [p.givenName, p.familyName].filter(Boolean).join(' ');
  $('d-email').textContent = p.email || '';
  $('d-handle').textContent = p.handle || '';
  $('d-tenant').textContent = p.tenantId || '';
  $('d-role').textContent = p.role || '';
  const badges = $('d-badges');
  badges.replaceChildren(...(p.badges || []).map((b) => Object.assign(document.createElement('li'), { textContent: b })));
  $('pr-lang').value = p.preferences?.lang || '';
  $('pr-currency').value = p.preferences?.currency || '';
}

function clearProfile() {
  renderProfile({});
  profileETag = '';
}

async function showDetails(opts) {
  clearProfile(); // never show the previous user's details
  try {
    renderProfile(await api('GET', '/me'));
    show('details', opts);
  } catch (err) {
    if (err.name === 'NotSignedIn') { show('signin'); return; }
    show('details', opts);
    showError(err.name === 'ApiProblem' ? err.message : userMessage(err));
  }
}

// ---- forms
function wire() {
  const policy = config.passwordPolicy || {};
  for (const id of ['su-policy', 're-policy']) {
    $(id).replaceChildren(...policyLines(policy).map((t) => Object.assign(document.createElement('li'), { textContent: t })));
  }

  // Every form: no native submit, messages cleared, required fields checked,
  // the button disabled while Cognito or the API answers, errors announced.
  const onSubmit = (id, fn, { password } = {}) => $(id).addEventListener('submit', (e) => {
    e.preventDefault();
    const f = e.target;
    clearMessages();
    if (!required(f)) return;
    const problem = password ? policyProblem(f.password.value, policy) : '';
    if (problem) { showError(problem, f.password); return; }
    busy(f, async () => {
      try { await fn(f); } catch (err) { showError(err.name === 'ApiProblem' ? err.message : userMessage(err)); }
    });
  });

  onSubmit('signup-form', async (f) => {
    const email = f.email.value.trim();
    await signUp({
      username: email,
      password: f.password.value,
      options: { userAttributes: { email, given_name: f.given.value.trim(), family_name: f.family.value.trim() } },
    });
    $('check-email-address').textContent = email;
    location.hash = 'check-email';
  }, { password: true });

  onSubmit('signin-form', async (f) => {
    const out = await signInWithFallback(signIn, { username: f.email.value.trim(), password: f.password.value },
      { primary: config.authFlow || SRP, migration: !!config.migration });
    if (out.nextStep?.signInStep === 'CONFIRM_SIGN_UP') { showError(userMessage({ name: 'UserNotConfirmedException' })); return; }
    if (out.nextStep?.signInStep === 'RESET_PASSWORD') { location.hash = 'forgot'; return; }
    if (!out.isSignedIn) { showError('This sign-in needs a step this portal does not offer yet.'); return; }
    f.reset();
    location.hash = 'details';
  });

  onSubmit('forgot-form', async (f) => {
    await resetPassword({ username: f.email.value.trim() });
    $('re-email').value = f.email.value.trim();
    location.hash = 'reset';
    showStatus('If the account exists, we emailed it a code.');
  });

  onSubmit('reset-form', async (f) => {
    await confirmResetPassword({ username: f.email.value.trim(), confirmationCode: f.code.value.trim(), newPassword: f.password.value });
    $('si-email').value = f.email.value.trim();
    f.reset();
    location.hash = 'signin';
    showStatus('Your password is changed. Sign in with the new one.');
  }, { password: true });

  onSubmit('prefs-form', async (f) => {
    try {
      const p = await api('PATCH', '/me/preferences',
        { lang: f.lang.value, currency: f.currency.value.trim().toUpperCase() },
        profileETag ? { 'If-Match': profileETag } : {});
      renderProfile(p);
      showStatus('Preferences saved.');
    } catch (err) {
      if (err.status === 412) { showError('Your profile changed in another window; it is reloaded, save again.'); renderProfile(await api('GET', '/me')); return; }
      const field = err.doc?.errors?.[0]?.field;
      showError(err.message, field ? f.elements[field] : undefined);
    }
  });

  $('signout').addEventListener('click', async () => {
    clearMessages();
    await signOut({ global: true }); // Amplify clears the tokens even when the service call fails
    clearProfile();
    location.hash = 'signin';
    showStatus('You are signed out on every device.');
  });
}

// ---- routing: the confirmation link (?code=…&username=…) first, then the hash
async function route() {
  const params = new URLSearchParams(location.search);
  if (params.has('code') && params.has('username')) {
    show('confirm');
    const code = params.get('code');
    const username = params.get('username');
    history.replaceState(null, '', location.pathname); // the code leaves the address bar
    try {
      await confirmSignUp({ username, confirmationCode: code });
      $('view-confirm').querySelector('h1').textContent = 'Email confirmed';
      $('confirm-result').textContent = 'Your account is active. You can sign in now.';
    } catch (err) {
      $('view-confirm').querySelector('h1').textContent = 'Could not confirm';
      showError(userMessage(err));
    }
    $('view-confirm').querySelector('h1').focus();
    return;
  }
  const view = location.hash.slice(1) || 'details';
  if (view === 'details') { await showDetails({ keepMessages: true }); return; }
  if (['signup', 'signin', 'forgot', 'reset', 'check-email'].includes(view)) { show(view, { keepMessages: true }); return; }
  show('signin');
}

async function start() {
  const res = await fetch('config.json', { cache: 'no-store' });
  config = await res.json();
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        ...(config.userPoolEndpoint ? { userPoolEndpoint: config.userPoolEndpoint } : {}),
      },
    },
  });
  wire();
  window.addEventListener('hashchange', () => { route(); });
  await route();
}

start().catch(() => { show('signin'); showError('The portal could not load its configuration.'); });

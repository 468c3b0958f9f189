import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signInWithFallback, userMessage, policyProblem, SRP, PASSWORD } from '../src/signin.js';

function stub(answers) {
  const calls = [];
  const fn = async (input) => {
    calls.push(input.options.authFlowType);
    const a = answers[calls.length - 1];
    if (a instanceof Error) throw a;
    return a;
  };
  return { fn, calls };
}

function named(name) {
  const e = new Error(name);
  e.name = name;
  return e;
}

test('SRP succeeds: one call', async () => {
  const s = stub([{ isSignedIn: true }]);
  assert.deepEqual(await signInWithFallback(s.fn, { username: 'a', password: 'p' }, { migration: true }), { isSignedIn: true });
  assert.deepEqual(s.calls, [SRP]);
});

test('unknown user with migration on: once more with USER_PASSWORD_AUTH', async () => {
  const s = stub([named('UserNotFoundException'), { isSignedIn: true }]);
  await signInWithFallback(s.fn, { username: 'a', password: 'p' }, { migration: true });
  assert.deepEqual(s.calls, [SRP, PASSWORD]);
});

test('the fallback runs once: its failure is the answer', async () => {
  const s = stub([named('UserNotFoundException'), named('NotAuthorizedException'), { isSignedIn: true }]);
  await assert.rejects(signInWithFallback(s.fn, { username: 'a', password: 'p' }, { migration: true }), { name: 'NotAuthorizedException' });
  assert.deepEqual(s.calls, [SRP, PASSWORD]);
});

test('no fallback when migration is off or for other errors', async () => {
  for (const [err, migration] of [['UserNotFoundException', false], ['NotAuthorizedException', true]]) {
    const s = stub([named(err), { isSignedIn: true }]);
    await assert.rejects(signInWithFallback(s.fn, { username: 'a', password: 'p' }, { migration }), { name: err });
    assert.deepEqual(s.calls, [SRP]);
  }
});

test('a trigger refusal is shown as the trigger wrote it', () => {
  const e = named('UserLambdaValidationException');
  e.message = 'PreSignUp failed with error Please enter a valid email address.';
  assert.equal(userMessage(e), 'Please enter a valid email address.');
  assert.equal(userMessage(named('Weird')), 'Something went wrong. Please try again.');
});

test('password policy', () => {
  const p = { minLength: 8, requireUppercase: true, requireNumbers: true };
  assert.equal(policyProblem('short', p), 'The password needs at least 8 characters.');
  assert.equal(policyProblem('longenough1', p), 'The password needs an uppercase letter.');
  assert.equal(policyProblem('Longenough1', p), '');
});

// The demo's SRP front (deploy/demo/srp-front.mjs) against Amplify's own
// client-side SRP (the helpers signIn uses in the browser): the same password
// must verify, any other must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAuthenticationHelper, getNowString, getSignatureString } from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/index.mjs';
import { getPaddedHex } from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/getPaddedHex.mjs';
import BigInteger from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/BigInteger/BigInteger.mjs';
import { N, k, padHex, poolNameOf, startChallenge, verifyClaim, createFront } from '../../deploy/demo/srp-front.mjs';

const poolId = 'local_Ab12Cd34';
const userId = '3f1c2a9e-0000-4000-8000-5d1e0c7b9a11';
const password = 'Sunny-Meadow-42';

// What Amplify's handlePasswordVerifierChallenge sends for these challenge parameters.
async function amplifyClaim(helper, params, pw, dateNow = getNowString()) {
  const poolName = poolNameOf(poolId);
  const hkdf = await helper.getPasswordAuthenticationKey({
    username: params.USER_ID_FOR_SRP,
    password: pw,
    serverBValue: new BigInteger(params.SRP_B, 16),
    salt: new BigInteger(params.SALT, 16),
  });
  return {
    secretBlock: params.SECRET_BLOCK,
    timestamp: dateNow,
    signature: getSignatureString({ userPoolName: poolName, username: params.USER_ID_FOR_SRP, challengeParameters: params, dateNow, hkdf }),
  };
}

test('padHex is Amplify getPaddedHex (first bit set, odd length, small values)', () => {
  for (const n of [1n, 0x7fn, 0x80n, 0xfffn, 0x8000n, 2n, k, N, N - 1n]) {
    assert.equal(padHex(n), getPaddedHex(new BigInteger(n.toString(16), 16)), n.toString(16).slice(0, 12));
  }
});

test('Amplify client and the front agree on the right password, not on a wrong one', async () => {
  const cases = {
    'right password': { pw: password, ok: true },
    'wrong password': { pw: 'Sunny-Meadow-43', ok: false },
    'empty password': { pw: '', ok: false },
  };
  for (const [name, c] of Object.entries(cases)) {
    await test(name, async () => {
      // Several rounds: random a, b and salt hit the padding rules both ways.
      for (let i = 0; i < 4; i++) {
        const helper = await getAuthenticationHelper(poolNameOf(poolId));
        const { params, state } = startChallenge({ poolName: poolNameOf(poolId), userId, password, srpA: helper.A.toString(16) });
        assert.equal(params.USER_ID_FOR_SRP, userId);
        assert.equal(verifyClaim(state, await amplifyClaim(helper, params, c.pw)), c.ok);
      }
    });
  }
});

test('the claim is bound to its timestamp, secret block and pool', async () => {
  const helper = await getAuthenticationHelper(poolNameOf(poolId));
  const { params, state } = startChallenge({ poolName: poolNameOf(poolId), userId, password, srpA: helper.A.toString(16) });
  const claim = await amplifyClaim(helper, params, password, 'Mon Nov 3 09:05:07 UTC 2026');
  assert.equal(verifyClaim(state, claim), true);
  assert.equal(verifyClaim(state, { ...claim, timestamp: 'Mon Nov 3 09:05:08 UTC 2026' }), false);
  assert.equal(verifyClaim(state, { ...claim, timestamp: '2026-11-03T09:05:07Z' }), false);
  assert.equal(verifyClaim(state, { ...claim, secretBlock: startChallenge({ poolName: 'x', userId, password, srpA: 'abc' }).params.SECRET_BLOCK }), false);
  assert.equal(verifyClaim({ ...state, poolName: 'Other' }, claim), false);
});

// The front over HTTP with a cognito-local data folder; the upstream records
// the USER_PASSWORD_AUTH the front makes once the signature is verified.
test('the front: challenge, verify, refuse, unknown user, forward', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'srp-front-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'clients.json'), JSON.stringify({ Clients: { client1: { ClientId: 'client1', UserPoolId: poolId } } }));
  writeFileSync(join(dir, `${poolId}.json`), JSON.stringify({
    Options: { Id: poolId, UsernameAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } },
    Users: { [userId]: { Username: userId, Password: password, Attributes: [{ Name: 'email', Value: 'Ana@Acme.example' }] } },
  }));
  const seen = [];
  const upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ target: req.headers['x-amz-target'], body: JSON.parse(body || '{}') });
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ AuthenticationResult: { IdToken: 'id' } }));
    });
  });
  const front = createFront({ upstream: await listen(upstream), dataDir: dir, log: () => {} });
  const url = await listen(front);
  t.after(() => { front.close(); upstream.close(); });
  const call = async (target, body) => {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}` }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const signIn = async (username, pw) => {
    const helper = await getAuthenticationHelper(poolNameOf(poolId));
    const init = await call('InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: 'client1', AuthParameters: { USERNAME: username, SRP_A: helper.A.toString(16) } });
    if (init.status !== 200) return init;
    assert.equal(init.body.ChallengeName, 'PASSWORD_VERIFIER');
    const p = init.body.ChallengeParameters;
    const claim = await amplifyClaim(helper, p, pw);
    return call('RespondToAuthChallenge', {
      ChallengeName: 'PASSWORD_VERIFIER', ClientId: 'client1',
      ChallengeResponses: { USERNAME: p.USER_ID_FOR_SRP, PASSWORD_CLAIM_SECRET_BLOCK: claim.secretBlock, TIMESTAMP: claim.timestamp, PASSWORD_CLAIM_SIGNATURE: claim.signature },
    });
  };

  const ok = await signIn('ana@acme.example', password); // the pool ignores case, as Cognito's does
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body, { AuthenticationResult: { IdToken: 'id' } });
  assert.equal(seen.length, 1);
  assert.equal(seen[0].target, 'AWSCognitoIdentityProviderService.InitiateAuth');
  assert.deepEqual(seen[0].body, { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'client1', AuthParameters: { USERNAME: userId, PASSWORD: password } });

  const wrong = await signIn('ana@acme.example', 'Not-The-Password-1');
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.body, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });

  const unknown = await signIn('marta.silva@legacy.example.com', password);
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.__type, 'UserNotFoundException');
  assert.equal(seen.length, 1, 'nothing reached cognito-local for the refusals');

  const other = await call('ListUsers', { UserPoolId: poolId });
  assert.equal(other.status, 200);
  assert.equal(seen.at(-1).target, 'AWSCognitoIdentityProviderService.ListUsers', 'other calls are forwarded unchanged');

  const stats = await (await fetch(`${url}srp-front/stats`)).json();
  assert.deepEqual(stats, { srpInitiated: 3, userNotFound: 1, challenges: 2, verified: 1, refused: 1 });
});

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/`)));
}

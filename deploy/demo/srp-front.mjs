#!/usr/bin/env node
// The demo's SRP front for cognito-local (make demo, make portal-e2e).
//
// cognito-local (deploy/e2e) implements USER_PASSWORD_AUTH but not SRP, and the
// portal signs in the way it does in AWS: USER_SRP_AUTH, then once more with
// USER_PASSWORD_AUTH when the pool does not know the user and migration is on
// (portal/src/signin.js). This front sits between the browser and cognito-local
// and forwards every request unchanged, except two, which it answers as Amazon
// Cognito does:
//
//   InitiateAuth AuthFlow=USER_SRP_AUTH        → ChallengeName PASSWORD_VERIFIER with SALT,
//                                                SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP, USERNAME;
//                                                an unknown user → UserNotFoundException
//   RespondToAuthChallenge PASSWORD_VERIFIER   → checks PASSWORD_CLAIM_SIGNATURE; a wrong
//                                                password → NotAuthorizedException
//
// The math is Cognito's SRP-6a variant as Amplify's client computes it
// (@aws-amplify/auth providers/cognito/utils/srp): the 3072-bit group of RFC 5054,
// g = 2, k = H(N | g), x = H(salt | H(poolName | userId | ":" | password)),
// u = H(A | B) over padded hex, the HKDF "Caldera Derived Key" from S and u,
// and the signature HMAC-SHA256(key, poolName | userId | secretBlock | timestamp).
//
// Usage: node srp-front.mjs --port N --upstream http://127.0.0.1:PORT --data DIR
// (DIR: cognito-local's .cognito/db). GET /srp-front/stats answers the counts
// of what it did (the browser test reads them). It never logs a password, a
// code or a token.
import http from 'node:http';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

// ---- SRP (server side)

const N_HEX = 'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1'
  + '29024E088A67CC74020BBEA63B139B22514A08798E3404DD'
  + 'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245'
  + 'E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED'
  + 'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D'
  + 'C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F'
  + '83655D23DCA3AD961C62F356208552BB9ED529077096966D'
  + '670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B'
  + 'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9'
  + 'DE2BCBF6955817183995497CEA956AE515D2261898FA0510'
  + '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64'
  + 'ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7'
  + 'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B'
  + 'F12FFA06D98A0864D87602733EC86A64521F2B18177B200C'
  + 'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31'
  + '43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF'; // RFC 5054, 3072-bit group
export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;

// Amplify's getPaddedHex for non-negative values: even length, and "00" in
// front when the first bit is set (Java's BigInteger.toByteArray()).
export function padHex(n) {
  let h = n.toString(16);
  if (h.length % 2) h = `0${h}`;
  return /^[89a-f]/.test(h) ? `00${h}` : h;
}
const sha256 = (data) => createHash('sha256').update(data).digest();
const hashHex = (hex) => sha256(Buffer.from(hex, 'hex')).toString('hex');
const toBig = (hex) => BigInt(`0x${hex}`);
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

function modPow(base, exp, mod) {
  let result = 1n;
  let b = ((base % mod) + mod) % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

export const k = toBig(hashHex(padHex(N) + padHex(g)));

// The part of the pool id Cognito's SRP hashes: "us-east-1_AbC" → "AbC".
export const poolNameOf = (poolId) => poolId.split('_')[1] ?? '';

// x = H(salt | H(poolName | userId | ":" | password)); the verifier is g^x.
function verifier({ poolName, userId, password, salt }) {
  const inner = sha256(`${poolName}${userId}:${password}`).toString('hex');
  const x = toBig(hashHex(padHex(salt) + inner));
  return modPow(g, x, N);
}

/**
 * The server's half of the PASSWORD_VERIFIER challenge for a known user.
 * Returns the challenge parameters and the state verifyClaim needs (no password in it).
 */
export function startChallenge({ poolName, userId, password, srpA }) {
  const A = toBig(srpA);
  if (A % N === 0n) throw new Error('SRP_A mod N is 0');
  const salt = toBig(randomBytes(16).toString('hex'));
  const v = verifier({ poolName, userId, password, salt });
  let b; let B;
  do {
    b = toBig(randomBytes(128).toString('hex'));
    B = (k * v + modPow(g, b, N)) % N;
  } while (B === 0n);
  const secretBlock = randomBytes(64).toString('base64');
  return {
    params: { SALT: salt.toString(16), SRP_B: B.toString(16), SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: userId, USERNAME: userId },
    state: { poolName, userId, A, B, b, v, secretBlock },
  };
}

// The 16-byte key both sides derive: HKDF-SHA256(ikm = S, salt = u, info = "Caldera Derived Key" 0x01).
function sessionKey({ A, B, b, v }) {
  const u = toBig(hashHex(padHex(A) + padHex(B)));
  if (u === 0n) throw new Error('u is 0');
  const S = modPow(A * modPow(v, u, N), b, N);
  const prk = hmac(Buffer.from(padHex(u), 'hex'), Buffer.from(padHex(S), 'hex'));
  return hmac(prk, Buffer.from('Caldera Derived Key\u0001', 'utf8')).subarray(0, 16);
}

// Amplify's getNowString: "Mon Nov 3 09:05:07 UTC 2026" (day not padded).
const TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2} \d{2}:\d{2}:\d{2} UTC \d{4}$/;

/** Whether PASSWORD_CLAIM_SIGNATURE proves the password behind the state's verifier. */
export function verifyClaim(state, { secretBlock, timestamp, signature }) {
  if (secretBlock !== state.secretBlock || !TIMESTAMP.test(timestamp ?? '') || typeof signature !== 'string') return false;
  const msg = Buffer.concat([
    Buffer.from(state.poolName, 'utf8'), Buffer.from(state.userId, 'utf8'),
    Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8'),
  ]);
  const want = hmac(sessionKey(state), msg);
  const got = Buffer.from(signature, 'base64');
  return got.length === want.length && timingSafeEqual(got, want);
}

// ---- cognito-local's data (its .cognito/db folder: clients.json, <poolId>.json)

async function readJSON(file) {
  for (let i = 0; ; i++) {
    try {
      return JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      if (err.code === 'ENOENT') return null;
      if (i >= 2) throw err; // cognito-local rewrites the file: read again
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

// The user a sign-in names: by user name, then sub, email, phone_number, as
// cognito-local's getUserByUsername. Where the pool is case-insensitive
// (UsernameConfiguration.CaseSensitive false) the comparison ignores case, as
// Amazon Cognito's does and cognito-local's does not: a migrated user keeps the
// email's case from the legacy record and signs in with any case.
function findUser(pool, username) {
  const users = pool?.Users ?? {};
  if (users[username]) return users[username];
  const fold = pool?.Options?.UsernameConfiguration?.CaseSensitive === false ? (v) => String(v).toLowerCase() : (v) => v;
  const want = fold(username);
  const aliases = pool?.Options?.UsernameAttributes ?? [];
  const has = (u, name) => (u.Attributes ?? []).some((a) => a.Name === name && fold(a.Value) === want);
  return Object.values(users).find((u) => fold(u.Username) === want || has(u, 'sub')
    || (aliases.includes('email') && has(u, 'email'))
    || (aliases.includes('phone_number') && has(u, 'phone_number'))) ?? null;
}

// ---- the front

const cognitoError = (type, message) => ({ status: 400, body: { __type: type, message } });

export function createFront({ upstream, dataDir, log = (line) => console.error(line) }) {
  const stats = { srpInitiated: 0, userNotFound: 0, challenges: 0, verified: 0, refused: 0 };
  const pending = new Map(); // SECRET_BLOCK → state; single use, dropped after 5 minutes
  const store = {
    client: async (id) => (await readJSON(join(dataDir, 'clients.json')))?.Clients?.[id] ?? null,
    pool: async (id) => readJSON(join(dataDir, `${id}.json`)),
  };

  async function callUpstream(target, body) {
    const res = await fetch(upstream, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  async function initiateSRP(req) {
    stats.srpInitiated++;
    const client = await store.client(req.ClientId);
    if (!client) return null; // cognito-local answers for an unknown client
    if (client.ExplicitAuthFlows && !client.ExplicitAuthFlows.includes('ALLOW_USER_SRP_AUTH')) {
      return cognitoError('InvalidParameterException', 'USER_SRP_AUTH is not enabled for the client.');
    }
    const { USERNAME: username, SRP_A: srpA } = req.AuthParameters ?? {};
    if (!username || !/^[0-9a-fA-F]+$/.test(srpA ?? '')) {
      return cognitoError('InvalidParameterException', 'USERNAME and SRP_A are required.');
    }
    const user = findUser(await store.pool(client.UserPoolId), username);
    if (!user) {
      stats.userNotFound++;
      log('srp-front: USER_SRP_AUTH for a user the pool does not have → UserNotFoundException');
      return cognitoError('UserNotFoundException', 'User does not exist.');
    }
    let challenge;
    try {
      challenge = startChallenge({ poolName: poolNameOf(client.UserPoolId), userId: user.Username, password: user.Password ?? '', srpA });
    } catch {
      return cognitoError('InvalidParameterException', 'SRP_A is not valid.');
    }
    const now = Date.now();
    for (const [key, s] of pending) if (now - s.at > 5 * 60_000) pending.delete(key);
    pending.set(challenge.params.SECRET_BLOCK, { ...challenge.state, at: now, clientId: req.ClientId, poolId: client.UserPoolId });
    stats.challenges++;
    log('srp-front: USER_SRP_AUTH → PASSWORD_VERIFIER challenge');
    return { status: 200, body: { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: challenge.params } };
  }

  async function passwordVerifier(req) {
    const r = req.ChallengeResponses ?? {};
    const state = pending.get(r.PASSWORD_CLAIM_SECRET_BLOCK);
    if (!state) return cognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    pending.delete(r.PASSWORD_CLAIM_SECRET_BLOCK);
    const ok = state.clientId === req.ClientId && r.USERNAME === state.userId
      && verifyClaim(state, { secretBlock: r.PASSWORD_CLAIM_SECRET_BLOCK, timestamp: r.TIMESTAMP, signature: r.PASSWORD_CLAIM_SIGNATURE });
    if (!ok) {
      stats.refused++;
      log('srp-front: PASSWORD_VERIFIER refused → NotAuthorizedException');
      return cognitoError('NotAuthorizedException', 'Incorrect username or password.');
    }
    stats.verified++;
    log('srp-front: PASSWORD_VERIFIER verified; tokens from cognito-local');
    // The emulation boundary: the password is proven, but cognito-local can only
    // issue tokens through USER_PASSWORD_AUTH, so the front signs in there with
    // the password cognito-local stores. Its answer (tokens, or its refusal:
    // UserNotConfirmedException, PasswordResetRequiredException, a
    // NEW_PASSWORD_REQUIRED challenge) is the answer, and its triggers
    // (PostAuthentication, PreTokenGeneration) fire as Cognito's would after SRP.
    const user = findUser(await store.pool(state.poolId), state.userId);
    if (!user) return cognitoError('UserNotFoundException', 'User does not exist.');
    return callUpstream('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: req.ClientId,
      AuthParameters: { USERNAME: user.Username, PASSWORD: user.Password ?? '', ...(r.SECRET_HASH ? { SECRET_HASH: r.SECRET_HASH } : {}) },
      ...(req.ClientMetadata ? { ClientMetadata: req.ClientMetadata } : {}),
    });
  }

  // The answer of the front itself, or null: forward to cognito-local.
  async function answer(target, req) {
    if (target === 'InitiateAuth' && req.AuthFlow === 'USER_SRP_AUTH') return initiateSRP(req);
    if (target === 'RespondToAuthChallenge' && req.ChallengeName === 'PASSWORD_VERIFIER') return passwordVerifier(req);
    return null;
  }

  function forward(req, res, body) {
    const u = new URL(upstream);
    const out = http.request({ host: u.hostname, port: u.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    out.on('error', (err) => {
      log(`srp-front: cognito-local did not answer: ${err.code ?? err.message}`);
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    out.end(body);
  }

  return http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'GET' && req.url === '/srp-front/stats') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(stats));
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '').split('.')[1];
      let mine = null;
      if (req.method === 'POST' && target) {
        try {
          mine = await answer(target, JSON.parse(body.toString('utf8') || '{}'));
        } catch (err) {
          log(`srp-front: ${target}: ${err.message}`);
          mine = { status: 500, body: { __type: 'InternalErrorException', message: 'The SRP front failed.' } };
        }
      }
      if (!mine) { forward(req, res, body); return; }
      res.writeHead(mine.status, { 'Content-Type': 'application/x-amz-json-1.1', 'Access-Control-Allow-Origin': '*' });
      res.end(JSON.stringify(mine.body));
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { port: { type: 'string' }, upstream: { type: 'string' }, data: { type: 'string' } } });
  if (!values.port || !values.upstream || !values.data) {
    console.error('usage: srp-front.mjs --port N --upstream URL --data DIR');
    process.exit(2);
  }
  createFront({ upstream: values.upstream, dataDir: values.data })
    .listen(Number(values.port), '127.0.0.1', () => console.error(`srp-front: listening on 127.0.0.1:${values.port}, forwarding to ${values.upstream}`));
}

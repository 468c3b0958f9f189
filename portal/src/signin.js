// Sign-in with the migration fallback, kept free of Amplify so it can be tested
// with a stub: SRP first (the password never leaves the browser); when the pool
// does not know the user and migration is on, once more with USER_PASSWORD_AUTH,
// which lets Cognito hand the password to the UserMigration trigger.

export const SRP = 'USER_SRP_AUTH';
export const PASSWORD = 'USER_PASSWORD_AUTH';

/**
 * @param {(input: object) => Promise<object>} signIn Amplify's signIn
 * @param {{username: string, password: string}} creds
 * @param {{primary?: string, migration?: boolean}} opts
 */
export async function signInWithFallback(signIn, { username, password }, { primary = SRP, migration = false } = {}) {
  try {
    return await signIn({ username, password, options: { authFlowType: primary } });
  } catch (err) {
    if (!migration || primary === PASSWORD || err?.name !== 'UserNotFoundException') {
      throw err;
    }
    return signIn({ username, password, options: { authFlowType: PASSWORD } });
  }
}

// What a user reads for an Amplify/Cognito error: the service's message when it
// is meant for users (trigger refusals are), a plain sentence otherwise.
export function userMessage(err) {
  const byName = {
    NotAuthorizedException: 'Incorrect email or password.',
    UserNotFoundException: 'Incorrect email or password.',
    UsernameExistsException: 'An account with this email already exists.',
    CodeMismatchException: 'That code is not right. Check the email and try again.',
    ExpiredCodeException: 'That code has expired. Ask for a new one.',
    InvalidPasswordException: 'The password does not meet the rules.',
    LimitExceededException: 'Too many attempts. Wait a moment and try again.',
    UserNotConfirmedException: 'Confirm your email first: open the link we sent you.',
  };
  const name = err?.name ?? '';
  if (name === 'UserLambdaValidationException' && typeof err.message === 'string') {
    // "PreSignUp failed with error Please enter a valid email address."
    const m = err.message.match(/failed with error (.*)$/s);
    return (m ? m[1] : err.message).trim();
  }
  return byName[name] ?? 'Something went wrong. Please try again.';
}

// The password rules of the pool, as sentences (shown beside the field).
export function policyLines(p = {}) {
  const lines = [`At least ${p.minLength ?? 8} characters`];
  if (p.requireUppercase) lines.push('An uppercase letter');
  if (p.requireLowercase) lines.push('A lowercase letter');
  if (p.requireNumbers) lines.push('A number');
  if (p.requireSymbols) lines.push('A symbol');
  return lines;
}

// The first rule a password breaks, or '' (checked before calling Cognito, which checks again).
export function policyProblem(password, p = {}) {
  if (password.length < (p.minLength ?? 8)) return `The password needs at least ${p.minLength ?? 8} characters.`;
  if (p.requireUppercase && !/[A-Z]/.test(password)) return 'The password needs an uppercase letter.';
  if (p.requireLowercase && !/[a-z]/.test(password)) return 'The password needs a lowercase letter.';
  if (p.requireNumbers && !/[0-9]/.test(password)) return 'The password needs a number.';
  if (p.requireSymbols && !/[^A-Za-z0-9]/.test(password)) return 'The password needs a symbol.';
  return '';
}

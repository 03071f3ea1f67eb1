/**
 * Fields that may carry a secret, wherever they sit in a logged object (top level, one or two levels
 * down: pino's redaction takes explicit paths, no deep wildcard). Matching is by exact key, so both
 * spellings used in this code base are listed (camelCase in TypeScript, snake_case in rows and
 * WeChat's JSON).
 */
const SECRET_KEYS = [
  "appsecret",
  "appSecret",
  "secret",
  "password",
  "passwordHash",
  "password_hash",
  "token",
  "accessToken",
  "access_token",
  "pushToken",
  "push_token",
  "aesKey",
  "aes_key",
  "encodingAESKey",
  "encodingAesKey",
  "EncodingAESKey",
  "authorization",
  "Authorization",
  "cookie",
  "Cookie",
  "set-cookie",
  "apiKey",
  "api_key",
  "AUTH_SECRET",
  "UNIONVIEW_SECRET_KEY",
  "METRICS_TOKEN",
  "appsecretSealed",
  "appsecret_sealed",
  "pushTokenSealed",
  "push_token_sealed",
  "aesKeySealed",
  "aes_key_sealed",
  "sessionToken",
  "echostr",
];

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`);
const join = (prefix: string, name: string) =>
  name.startsWith("[") ? `${prefix}${name}` : `${prefix}.${name}`;

export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((name) => {
  const k = key(name);
  return [k, join("*", k), join("*.*", k)];
});

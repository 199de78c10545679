// A real OpenID provider (npm oidc-provider) for the portal's browser tests, on loopback only.
//
// Started by the tests (tests/CoordinationPortal.Browser.Tests/Oidc/OidcProviderProcess.cs): it listens on a free port of
// 127.0.0.1, prints "LISTENING <issuer>" once ready, and exits when its standard input closes (so a test run that dies
// leaves no provider behind). Clients and accounts are registered by the test after start (POST /__test/clients and
// /__test/accounts, JSON), because the portal's redirect URIs are only known once the portal listens.
//
// Environment: CLOCK_OFFSET_SECONDS shifts this provider's clock (e.g. -3600: every token it issues expired long ago),
// which makes the expired-token case deterministic without waiting.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const offsetSeconds = Number.parseInt(process.env.CLOCK_OFFSET_SECONDS ?? '0', 10) || 0;
if (offsetSeconds !== 0) {
  const realNow = Date.now;
  Date.now = () => realNow() + offsetSeconds * 1000;
}

// oidc-provider keeps grants, sessions, codes and the test's clients in an adapter; this one is a Map per model.
const stores = new Map();
class MemoryAdapter {
  constructor(model) {
    this.model = model;
    if (!stores.has(model)) stores.set(model, new Map());
    this.items = stores.get(model);
  }

  async upsert(id, payload) { this.items.set(id, { ...payload }); }

  async find(id) { return this.items.get(id); }

  async findByUid(uid) { return [...this.items.values()].find((p) => p.uid === uid); }

  async findByUserCode(userCode) { return [...this.items.values()].find((p) => p.userCode === userCode); }

  async consume(id) { const p = this.items.get(id); if (p) p.consumed = Math.floor(Date.now() / 1000); }

  async destroy(id) { this.items.delete(id); }

  async revokeByGrantId(grantId) {
    for (const store of stores.values()) {
      for (const [id, p] of store) if (p.grantId === grantId) store.delete(id);
    }
  }
}

// sub -> { email, email_verified, name, amr }
const accounts = new Map();

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

const readBody = (req) => new Promise((resolve, reject) => {
  let data = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { data += chunk; if (data.length > 65536) req.destroy(); });
  req.on('end', () => resolve(data));
  req.on('error', reject);
});

const send = (res, status, type, body) => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
};

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    clients: [],
    findAccount: async (ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: account.email, email_verified: account.email_verified, name: account.name }),
      };
    },
    // amr under the openid scope, or oidc-provider leaves it out of the id_token unless a claims parameter asks for it
    // (the portal reads it for the second-factor requirement, as real providers send it).
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // The default page loads a web font from the internet, which these machines cannot reach.
        logoutSource: async (ctx, form) => {
          ctx.body = `<!doctype html><html lang="en"><head><title>Sign out</title></head><body><h1>Sign out of the test provider?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></body></html>`;
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('hex')], long: { sameSite: 'lax' }, short: { sameSite: 'lax' } },
    jwks: { keys: [{ ...key, kid: randomUUID(), use: 'sig', alg: 'RS256' }] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    // Long enough that cookies outlive a shifted clock (CLOCK_OFFSET_SECONDS), short enough for an id_token to be
    // well expired under an offset of an hour.
    ttl: { Interaction: 4 * 3600, Session: 86400, Grant: 86400, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
  });

  const oidc = provider.callback();

  async function interaction(req, res, url) {
    const details = await provider.interactionDetails(req, res);
    const { uid, prompt, params, session } = details;
    if (req.method === 'GET' && prompt.name === 'login') {
      return send(res, 200, 'text/html; charset=utf-8', `<!doctype html><html lang="en"><head><title>Test provider sign-in</title></head>
<body><h1>Test provider</h1><p>Signing in to ${escapeHtml(params.client_id)}</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="login">Account</label> <input id="login" name="login" autofocus>
<button type="submit">Continue</button></form></body></html>`);
    }

    if (req.method === 'POST' && url.pathname.endsWith('/login')) {
      const login = new URLSearchParams(await readBody(req)).get('login') ?? '';
      const account = accounts.get(login);
      if (!account) {
        return send(res, 400, 'text/plain; charset=utf-8', 'unknown account');
      }

      const result = { login: { accountId: login, ...(account.amr ? { amr: account.amr } : {}) } };
      return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    }

    if (prompt.name === 'consent') {
      // The test's clients are first-party: consent is given without asking.
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      const missing = prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      if (missing.missingResourceScopes) {
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) grant.addResourceScope(indicator, scopes.join(' '));
      }

      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }

    return send(res, 400, 'text/plain; charset=utf-8', `unexpected prompt ${prompt.name}`);
  }

  async function testAdmin(req, res, url) {
    const body = JSON.parse(await readBody(req));
    if (url.pathname === '/__test/clients') {
      await new MemoryAdapter('Client').upsert(body.client_id, {
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        ...body,
      });
    } else if (url.pathname === '/__test/accounts') {
      accounts.set(body.sub, body);
    } else {
      return send(res, 404, 'text/plain', 'not found');
    }

    return send(res, 204, 'text/plain', '');
  }

  server.on('request', async (req, res) => {
    const url = new URL(req.url, issuer);
    try {
      if (url.pathname.startsWith('/interaction/')) return await interaction(req, res, url);
      if (url.pathname.startsWith('/__test/') && req.method === 'POST') return await testAdmin(req, res, url);
      return oidc(req, res);
    } catch (error) {
      return send(res, 500, 'text/plain; charset=utf-8', String(error?.message ?? error));
    }
  });

  process.stdout.write(`LISTENING ${issuer}\n`);
});

// The test process holds this pipe open; when it goes, so does the provider.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));

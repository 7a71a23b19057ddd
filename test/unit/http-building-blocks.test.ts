import express, { type Express, type RequestHandler } from 'express';
import request from 'supertest';
import { inSequence } from '../../src/http/in-sequence';
import { parseBodies } from '../../src/http/parse-bodies';
import { sendJson } from '../../src/http/send-json';

/** An app that answers what the middleware under test left in req.body (and whether it was parsed). */
function bodyEcho(parser: RequestHandler): Express {
  const app = express();
  app.use(parser);
  app.post('/', (req, res) => {
    res.json({ parsed: req.body !== undefined, body: req.body as unknown });
  });
  app.use((error: { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(error.status ?? 500).json({ error: { code: error.type ?? 'internal', message: 'refused' } });
  });
  return app;
}

describe('parseBodies (one content-type check for the JSON and form parsers)', () => {
  const app = bodyEcho(parseBodies('1kb'));

  it('parses JSON, whatever the case of the type and with parameters', async () => {
    for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'application/json ;charset=UTF-8']) {
      const answer = await request(app).post('/').set('Content-Type', type).send('{"a":1}');
      expect({ type, answer: answer.body as unknown }).toEqual({ type, answer: { parsed: true, body: { a: 1 } } });
    }
  });

  it('parses an HTML form, including one whose parameters mention json', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; x=json']) {
      const answer = await request(app).post('/').set('Content-Type', type).send('signed_request=abc&n=2');
      expect({ type, answer: answer.body as unknown }).toEqual({ type, answer: { parsed: true, body: { signed_request: 'abc', n: '2' } } });
    }
  });

  it('leaves other types, and types the JSON parser does not take, unparsed as the two parsers in a row did', async () => {
    for (const type of ['text/plain', 'application/vnd.api+json', 'multipart/form-data; boundary=x']) {
      const answer = await request(app).post('/').set('Content-Type', type).send('{"a":1}');
      expect({ type, parsed: (answer.body as { parsed: boolean }).parsed }).toEqual({ type, parsed: false });
    }
  });

  it('keeps the limit and the refusal of bad JSON and of charsets other than UTF-8', async () => {
    const big = await request(app).post('/').set('Content-Type', 'application/json').send(`{"a":"${'x'.repeat(2000)}"}`);
    expect(big.status).toBe(413);
    const bad = await request(app).post('/').set('Content-Type', 'application/json').send('{"a":');
    expect(bad.status).toBe(400);
    const latin = await request(app).post('/').set('Content-Type', 'application/json; charset=latin1').send('{"a":1}');
    expect(latin.status).toBe(415);
  });
});

describe('inSequence (several middlewares as one router layer)', () => {
  function appWith(handler: RequestHandler): Express {
    const app = express();
    app.use(handler);
    app.get('/', (_req, res) => {
      res.json({ steps: res.locals.steps as unknown });
    });
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ error: { code: 'internal', message: error.message }, steps: res.locals.steps as unknown });
    });
    return app;
  }
  const step =
    (name: string): RequestHandler =>
    (_req, res, next) => {
      res.locals.steps = [...((res.locals.steps as string[] | undefined) ?? []), name];
      next();
    };

  it('runs each in order, then the next layer', async () => {
    const answer = await request(appWith(inSequence(step('a'), step('b'), step('c')))).get('/');
    expect(answer.body).toEqual({ steps: ['a', 'b', 'c'] });
  });

  it('waits for a middleware that calls next later', async () => {
    const later: RequestHandler = (_req, _res, next) => void setTimeout(next, 5);
    const answer = await request(appWith(inSequence(step('a'), later, step('b')))).get('/');
    expect(answer.body).toEqual({ steps: ['a', 'b'] });
  });

  it('skips the rest on an error passed to next, thrown, or rejected', async () => {
    const passed: RequestHandler = (_req, _res, next) => next(new Error('passed'));
    const thrown: RequestHandler = () => {
      throw new Error('thrown');
    };
    const rejected: RequestHandler = async () => {
      await Promise.resolve();
      throw new Error('rejected');
    };
    for (const [failing, message] of [[passed, 'passed'], [thrown, 'thrown'], [rejected, 'rejected']] as const) {
      const answer = await request(appWith(inSequence(step('a'), failing, step('b')))).get('/');
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ error: { code: 'internal', message }, steps: ['a'] });
    }
  });

  it("reads next's argument as Express does: a falsy one is no error, a promise rejected without a reason is one", async () => {
    const nullNext: RequestHandler = (_req, _res, next) => next(null);
    expect((await request(appWith(inSequence(step('a'), nullNext, step('b')))).get('/')).body).toEqual({ steps: ['a', 'b'] });
    const rejectsEmpty: RequestHandler = () => Promise.reject(undefined as unknown as Error);
    const answer = await request(appWith(inSequence(step('a'), rejectsEmpty, step('b')))).get('/');
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ error: { code: 'internal', message: 'Rejected promise' }, steps: ['a'] });
  });

  it('lets a middleware answer and stop the chain', async () => {
    const answers: RequestHandler = (_req, res) => void res.status(204).end();
    const answer = await request(appWith(inSequence(step('a'), answers, step('b')))).get('/');
    expect(answer.status).toBe(204);
  });
});

describe('sendJson (res.json for the hot routes)', () => {
  const body = { label: { type: 'html', value: '<b>2</b> open tasks — “ok”' }, n: [1, null, true] };
  const app = express();
  app.set('etag', false);
  app.get('/express', (_req, res) => void res.json(body));
  app.get('/ours', (_req, res) => sendJson(res, body));
  app.get('/created', (_req, res) => {
    res.status(201);
    sendJson(res, body);
  });

  it('answers the same bytes, Content-Type and Content-Length as res.json (UTF-8 included)', async () => {
    const [theirs, ours] = await Promise.all([request(app).get('/express'), request(app).get('/ours')]);
    expect(ours.status).toBe(200);
    expect(ours.text).toBe(theirs.text);
    for (const header of ['content-type', 'content-length']) expect(ours.headers[header]).toBe(theirs.headers[header]);
    expect(ours.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('never answers 304 (res.json did to If-None-Match: *, for answers that are live values)', async () => {
    const answer = await request(app).get('/ours').set('If-None-Match', '*');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(body);
  });

  it('keeps a status set before it, and answers HEAD with the headers alone', async () => {
    expect((await request(app).get('/created')).status).toBe(201);
    const head = await request(app).head('/ours');
    const full = await request(app).get('/ours');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.text).toBeUndefined();
  });
});

import express, { type RequestHandler } from 'express';

/**
 * The app's JSON and HTML-form body parsers as one middleware. Run in a row, both would parse the
 * Content-Type header on every request; here its media type picks the one that can match, which then
 * checks the type itself exactly as before (so a body of any other type stays unparsed, as it did).
 */
export function parseBodies(limit: string): RequestHandler {
  const json = express.json({ limit });
  const form = express.urlencoded({ extended: false, limit });
  return (req, res, next) => {
    // body-parser's JSON type is application/json: a body it parses always has "json" in its media type.
    const parser = mediaTypeOf(req.headers['content-type']).includes('json') ? json : form;
    parser(req, res, next);
  };
}

/** The part of a Content-Type before its parameters, in lower case ('' when there is none). */
function mediaTypeOf(header: string | undefined): string {
  if (header === undefined) return '';
  const semicolon = header.indexOf(';');
  return (semicolon === -1 ? header : header.slice(0, semicolon)).toLowerCase();
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body when the answer was JSON, else undefined. */
  json: unknown;
}

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** Sent as JSON when set. */
  json?: unknown;
  timeoutMs: number;
  /** 'manual' to see redirects (the browser install flow expects a 302). */
  redirect?: 'follow' | 'manual';
}

/** The emulator's only outbound HTTP call (to add-ons). Never throws on HTTP status; throws on network errors and timeouts. */
export async function sendHttpRequest(url: string, request: OutboundRequest): Promise<OutboundResponse> {
  const headers: Record<string, string> = { 'User-Agent': 'HipChat-Emulator/1.0', ...request.headers };
  if (request.json !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, {
    method: request.method,
    headers,
    redirect: request.redirect ?? 'follow',
    signal: AbortSignal.timeout(request.timeoutMs),
    ...(request.json !== undefined ? { body: JSON.stringify(request.json) } : {}),
  });
  const text = await response.text();
  let json: unknown;
  if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ? `${error.message} (${cause.code})` : error.message;
  }
  return String(error);
}

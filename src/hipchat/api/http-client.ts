import axios, { AxiosError, type AxiosInstance } from 'axios';

export const DEFAULT_HTTP_DEADLINE_MS = 10_000;

/**
 * The add-on's outgoing HTTP client: no redirects followed (a redirect could leave a trusted host), a
 * bounded size, and a TOTAL deadline per request. Axios's `timeout` alone restarts with every byte
 * received, so a HipChat trickling its body one byte at a time could hold a call for ever; an abort
 * signal armed when the request starts cuts it off headers and body alike.
 */
export function createHttpClient(deadlineMs = DEFAULT_HTTP_DEADLINE_MS): AxiosInstance {
  const client = axios.create({
    timeout: deadlineMs,
    maxRedirects: 0,
    maxContentLength: 1_000_000,
    headers: { 'user-agent': 'hipchat-connect-server' },
  });
  client.interceptors.request.use((config) => {
    const deadline = AbortSignal.timeout(deadlineMs);
    const callers = config.signal as AbortSignal | undefined;
    config.signal = callers ? AbortSignal.any([callers, deadline]) : deadline;
    return config;
  });
  client.interceptors.response.use(undefined, (error: unknown) => {
    const reason = (axios.isCancel(error) ? ((error as AxiosError).config?.signal as AbortSignal | undefined)?.reason : undefined) as
      | { name?: string }
      | undefined;
    if (reason?.name === 'TimeoutError') {
      const cancel = error as AxiosError;
      throw new AxiosError(`no complete answer within ${deadlineMs} ms`, AxiosError.ETIMEDOUT, cancel.config, cancel.request);
    }
    throw error;
  });
  return client;
}

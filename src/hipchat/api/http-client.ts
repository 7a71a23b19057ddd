import axios, { type AxiosInstance } from 'axios';

/** The add-on's outgoing HTTP client: bounded time, no redirects followed (a redirect could leave a trusted host). */
export function createHttpClient(timeoutMs = 10_000): AxiosInstance {
  return axios.create({
    timeout: timeoutMs,
    maxRedirects: 0,
    maxContentLength: 1_000_000,
    headers: { 'user-agent': 'hipchat-connect-server' },
  });
}

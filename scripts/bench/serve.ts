// The built app (dist/) served on a free loopback port, for benchmarks.
import { preview } from 'vite';

export async function serveDist() {
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('preview server did not report its URL');
  return { url, close: () => server.close() };
}

import { expect, it } from 'vitest';
import { PageCache } from './page-cache';

it('serves a page until its data changes, and forgets the least recently used beyond its size', () => {
  const cache = new PageCache(2);
  cache.set('/a', '1', Buffer.from('A1'));
  expect(cache.get('/a', '1')?.toString()).toBe('A1');
  expect(cache.get('/a', '2')).toBeUndefined();
  cache.set('/b', '1', Buffer.from('B'));
  cache.get('/a', '1');
  cache.set('/c', '1', Buffer.from('C'));
  expect(cache.get('/b', '1')).toBeUndefined();
  expect(cache.get('/a', '1')?.toString()).toBe('A1');
  expect(cache.get('/c', '1')?.toString()).toBe('C');
});

/** What `npm start` runs first: the browser assets and the server, each built only when its sources changed. */
await import('./build-assets');
await import('./build-server');

export {};

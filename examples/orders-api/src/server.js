import { createServer } from 'node:http';
import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
if (process.env.DATABASE_URL)
  console.warn('DATABASE_URL is set, but this example keeps orders in memory');

createServer(createApp()).listen(port, () => console.log(`orders-api listening on ${port}`));

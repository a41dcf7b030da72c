import { createServer } from 'node:http';
import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is not set: orders are kept in memory');

createServer(createApp()).listen(port, () => console.log(`orders-api listening on ${port}`));

/**
 * Parsers for the runtime API's tabular replies. Pure, so the formats are pinned by unit tests.
 * https://docs.haproxy.org/2.6/management.html#9.3-show%20servers%20state
 */

export interface ServerState {
  backend: string;
  name: string;
  address: string;
  port: number;
  /** Operational state: 0 stopped, 1 starting, 2 running, 3 stopping. */
  operational: number;
  /** Administrative flags; 0 is ready, anything else is some form of maintenance or drain. */
  admin: number;
  weight: number;
}

/** Parses `show servers state [<backend>]`: a version line, a `#` header, then rows. */
export function parseServersState(reply: string): ServerState[] {
  const lines = reply.split('\n').filter((line) => line.trim() !== '');
  const header = lines.find((line) => line.startsWith('#'));
  if (!header) throw new Error(`unexpected "show servers state" reply: ${reply.slice(0, 200)}`);
  const columns = header.slice(1).trim().split(/\s+/);
  const at = (row: string[], column: string) => row[columns.indexOf(column)] ?? '';
  return lines
    .filter((line) => !line.startsWith('#') && /\s/.test(line.trim()))
    .map((line) => {
      const row = line.trim().split(/\s+/);
      return {
        backend: at(row, 'be_name'),
        name: at(row, 'srv_name'),
        address: at(row, 'srv_addr'),
        port: Number(at(row, 'srv_port')),
        operational: Number(at(row, 'srv_op_state')),
        admin: Number(at(row, 'srv_admin_state')),
        weight: Number(at(row, 'srv_uweight')),
      };
    });
}

/** Parses `show stat` CSV into one record per proxy/server row, keyed by column name. */
export function parseStatCsv(reply: string): Array<Record<string, string>> {
  const lines = reply.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0];
  if (!header?.startsWith('# '))
    throw new Error(`unexpected "show stat" reply: ${reply.slice(0, 200)}`);
  const columns = header.slice(2).split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
  });
}

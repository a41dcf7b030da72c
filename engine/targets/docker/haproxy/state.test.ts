import { describe, expect, it } from 'vitest';
import { parseServersState, parseStatCsv } from './state.ts';

// Replies captured from HAProxy 2.6.12 (Debian 12).
const serversState = [
  '1',
  '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port',
  '3 be 1 v1 172.31.252.9 2 0 5 0 1 17 0 0 7 0 0 0 - 8080 - 0 0 - - 0',
  '',
  '',
].join('\n');

describe('parseServersState', () => {
  it('reads rows by header name', () => {
    expect(parseServersState(serversState)).toEqual([
      {
        backend: 'be',
        name: 'v1',
        address: '172.31.252.9',
        port: 8080,
        operational: 2,
        admin: 0,
        weight: 5,
      },
    ]);
  });

  it('returns no servers for an empty backend and throws on an error reply', () => {
    const empty = serversState.split('\n').slice(0, 2).join('\n') + '\n\n';
    expect(parseServersState(empty)).toEqual([]);
    expect(() => parseServersState("Can't find backend.\n")).toThrow(/unexpected/);
  });
});

describe('parseStatCsv', () => {
  it('keys each row by column name', () => {
    const rows = parseStatCsv(
      '# pxname,svname,scur,check_status,\nbe,v1_0,3,L7OK,\nbe,BACKEND,3,,\n\n',
    );
    expect(rows[0]).toMatchObject({
      pxname: 'be',
      svname: 'v1_0',
      scur: '3',
      check_status: 'L7OK',
    });
    expect(rows).toHaveLength(2);
  });
});
